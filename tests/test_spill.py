"""DuckDB's spill folders: named after their process, and removed once it is gone."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from vpcp_indicators.spill import LEGACY_AGE, remove_stale, spill_folder

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process ids and owners")


@pytest.fixture(scope="module")
def dead_pid():
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def folder(parent, name, files=("spill.tmp",)):
    path = parent / name
    path.mkdir()
    for file in files:
        (path / file).write_bytes(b"x" * 100)
    return path


def names(parent):
    return sorted(p.name for p in parent.iterdir())


def test_the_folder_of_a_process_that_is_gone_is_removed(tmp_path, dead_pid):
    gone = folder(tmp_path, f"vpcp-duckdb-{dead_pid}-a1b2c3d4")
    mine = folder(tmp_path, f"vpcp-duckdb-{os.getpid()}-e5f6g7h8")
    assert remove_stale(tmp_path) == [gone]
    assert names(tmp_path) == [mine.name]


def test_a_living_process_keeps_its_folder(tmp_path):
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as other:
        try:
            kept = folder(tmp_path, f"vpcp-duckdb-{other.pid}-abcd_123")
            assert remove_stale(tmp_path) == []
            assert kept.exists()
        finally:
            other.kill()


def test_a_folder_named_without_a_process_id_is_removed_once_a_day_old(tmp_path):
    old = folder(tmp_path, "vpcp-duckdb-k3j4h5g6")
    new = folder(tmp_path, "vpcp-duckdb-x_9y8z7w")
    now = time.time()
    os.utime(old, (now - LEGACY_AGE - 60, now - LEGACY_AGE - 60))
    assert remove_stale(tmp_path, now) == [old]
    assert names(tmp_path) == [new.name]


def test_links_other_names_and_files_are_left_alone(tmp_path, dead_pid):
    target = folder(tmp_path, "precious", files=("keep.txt",))
    (tmp_path / f"vpcp-duckdb-{dead_pid}-link1234").symlink_to(target)
    (tmp_path / f"vpcp-duckdb-{dead_pid}-file1234").write_text("not a folder", "utf-8")
    folder(tmp_path, f"vpcp-duckdb-{dead_pid}-a-b")  # not a name of ours
    folder(tmp_path, "vpcp-duckdb-Not_Ours")
    folder(tmp_path, f"other-{dead_pid}-a1b2c3d4")
    before = names(tmp_path)
    old = time.time() + 2 * LEGACY_AGE
    assert remove_stale(tmp_path, old) == []
    assert names(tmp_path) == before
    assert names(target) == ["keep.txt"]


def test_a_link_inside_a_stale_folder_is_not_followed(tmp_path, dead_pid):
    target = folder(tmp_path, "precious", files=("keep.txt",))
    gone = folder(tmp_path, f"vpcp-duckdb-{dead_pid}-abcdefgh")
    (gone / "link").symlink_to(target)
    assert remove_stale(tmp_path) == [gone]
    assert names(target) == ["keep.txt"]


def test_another_users_folder_is_left_alone(tmp_path, dead_pid):
    if os.geteuid() != 0:
        pytest.skip("only root gives a folder to another user")
    theirs = folder(tmp_path, f"vpcp-duckdb-{dead_pid}-theirs12")
    os.chown(theirs, 65534, 65534)
    assert remove_stale(tmp_path) == []
    assert theirs.exists()


def test_a_spill_folder_is_named_after_its_process_and_cleans_up_first(tmp_path, dead_pid):
    gone = folder(tmp_path, f"vpcp-duckdb-{dead_pid}-a1b2c3d4")
    with spill_folder(tmp_path) as spill:
        assert spill.parent == tmp_path and spill.is_dir()
        assert spill.name.startswith(f"vpcp-duckdb-{os.getpid()}-")
        assert not gone.exists()
        (spill / "duckdb_temp_block").write_bytes(b"x")
    assert names(tmp_path) == []


def test_a_signal_the_moment_the_folder_is_made_still_removes_it(tmp_path, monkeypatch):
    make = os.mkdir

    def made_then_interrupted(path, *args, **kwargs):
        make(path, *args, **kwargs)
        raise KeyboardInterrupt  # as a signal handler would, before the folder is in use

    monkeypatch.setattr(os, "mkdir", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt), spill_folder(tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []
