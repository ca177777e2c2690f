"""Output files: written whole, through links, directly into pipes and devices, and never
over what is not a file."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading

import pytest
from conftest import SEED_PLAN

from vpcp_indicators.errors import OutputError
from vpcp_indicators.files import write_whole

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX files")


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_file_is_replaced_whole_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    inode = target.stat().st_ino
    write_whole(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    # Replaced (a reader of the old file never sees half the new one), not written in place.
    assert target.stat().st_ino != inode
    assert names(tmp_path) == ["out.txt"]


def test_a_link_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "2012.json"
    real.write_bytes(b"stale")
    real.chmod(0o600)
    link = tmp_path / "latest.json"
    link.symlink_to("reports/2012.json")
    write_whole(link, b"fresh")
    assert link.is_symlink() and os.readlink(link) == "reports/2012.json"
    assert real.read_bytes() == b"fresh"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert names(tmp_path) == ["latest.json", "reports"]
    assert names(tmp_path / "reports") == ["2012.json"]


def test_a_dangling_link_makes_the_file_it_leads_to(tmp_path):
    (tmp_path / "reports").mkdir()
    link = tmp_path / "latest.json"
    link.symlink_to("reports/2013.json")
    write_whole(link, b"first")
    assert link.is_symlink()
    assert (tmp_path / "reports" / "2013.json").read_bytes() == b"first"


def test_a_dangling_link_into_a_missing_folder_is_refused(tmp_path):
    link = tmp_path / "latest.json"
    link.symlink_to("nowhere/2013.json")
    with pytest.raises(OutputError) as raised:
        write_whole(link, b"first")
    assert str(raised.value) == (
        f"cannot write {link}: the folder {tmp_path}/nowhere does not exist"
    )
    assert names(tmp_path) == ["latest.json"] and link.is_symlink()


def test_a_path_in_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(OutputError) as raised:
        write_whole(tmp_path / "no" / "out.txt", b"x")
    assert str(raised.value) == (
        f"cannot write {tmp_path}/no/out.txt: the folder {tmp_path}/no does not exist"
    )
    assert names(tmp_path) == []


def test_a_link_loop_is_refused_in_one_line(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError) as raised:
        write_whole(tmp_path / "a", b"x")
    assert str(raised.value) == f"cannot write {tmp_path}/a: Too many levels of symbolic links"
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_fifo_is_written_directly_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []

    def read():
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    # A daemon: should the FIFO be replaced, the reader waits forever, and must not hold pytest.
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    data = b"x" * 300_000  # more than a pipe holds: the writer must wait for the reader
    write_whole(fifo, data)
    reader.join(timeout=10)
    assert received == [data]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert names(tmp_path) == ["pipe"]


@pytest.fixture
def device(tmp_path):
    """A character device: a node of our own when we are root (so that a broken promise
    cannot replace the system's /dev/null), else /dev/null, which we cannot replace."""

    def make(name: str, major: int, minor: int):
        if os.geteuid() != 0:
            if (major, minor) != (1, 3):
                pytest.skip("only root makes device nodes")
            return "/dev/null"
        node = tmp_path / name
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(major, minor))
        except PermissionError:
            pytest.skip("this system allows no device nodes")
        return str(node)

    return make


def test_a_character_device_is_written_directly_and_stays_a_device(device):
    null = device("null", 1, 3)
    write_whole(null, b"gone")
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_full_device_is_an_output_error(device):
    full = device("full", 1, 7)
    with pytest.raises(OutputError) as raised:
        write_whole(full, b"x")
    assert str(raised.value) == f"cannot write {full}: No space left on device"
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_a_link_to_a_device_writes_to_the_device(tmp_path, device):
    null = device("null", 1, 3)
    link = tmp_path / "out.txt"
    link.symlink_to(null)
    write_whole(link, b"gone")
    assert link.is_symlink() and stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(OutputError) as raised:
        write_whole(folder, b"x")
    assert str(raised.value) == f"will not write {folder}: it is a directory"
    assert names(folder) == []


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(OutputError) as raised:
            write_whole(path, b"x")
    finally:
        server.close()
    assert str(raised.value) == f"will not write {path}: it is a socket"
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_block_device_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only root makes device nodes")
    node = tmp_path / "disk"
    try:
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except PermissionError:
        pytest.skip("this system allows no device nodes")
    with pytest.raises(OutputError) as raised:
        write_whole(node, b"x")
    assert str(raised.value) == f"will not write {node}: it is a block device"
    assert stat.S_ISBLK(node.lstat().st_mode)


def evaluate_to(output, **popen):
    command = [sys.executable, "-m", "vpcp_indicators", "evaluate", str(SEED_PLAN)]
    command += ["--as-of", "2012-12-31", "--format", "json", "--output", output]
    return subprocess.run(command, stderr=subprocess.PIPE, check=False, **popen)


def test_output_to_dev_stdout_reaches_standard_output_through_a_pipe():
    process = evaluate_to("/dev/stdout", stdout=subprocess.PIPE)
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith(b'{"plan":{"id":"vpcp-2011-2015"')


def test_output_to_dev_stdout_appends_when_standard_output_appends(tmp_path):
    log = tmp_path / "log.txt"
    log.write_bytes(b"earlier\n")
    with open(log, "ab") as stream:
        process = evaluate_to("/dev/stdout", stdout=stream)
    assert process.returncode == 0, process.stderr
    text = log.read_bytes()
    assert text.startswith(b'earlier\n{"plan":') and text.endswith(b"}\n")
