"""A plan, a source or a plugins directory that is not what it should be: one clear line, in
bounded time and memory, naming the path and what is there."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
from conftest import indicator, plan_text

from vpcp_indicators import Engine, PlanError, SourceError, filekinds, load_plan
from vpcp_indicators.filekinds import FileProblem, directory_problem, file_problem, read_file
from vpcp_indicators.sources.csv import CsvReader
from vpcp_indicators.sources.jsonl import JsonLinesReader


def shown(path: Path) -> str:
    """A path as a message shows it: NUL escaped, cut at 200 characters (see test_errors)."""
    text = str(path).replace("\0", "\\x00")
    return text if len(text) <= 200 else text[:199] + "…"


def soon(call, *args, seconds: float = 10):
    """``call(*args)``, failing the test if it has not returned within ``seconds``: a FIFO
    opened for reading would otherwise hang the test run."""
    outcome: dict[str, object] = {}

    def target():
        try:
            outcome["value"] = call(*args)
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{call.__name__} still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


@pytest.fixture
def odd(tmp_path) -> dict[str, Path]:
    """One path of each kind that is not a regular file, and what is said of it."""
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "loop").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing-here")
    (tmp_path / "file").write_text("x", "utf-8")
    return {
        "is a directory": tmp_path / "folder",
        "is not a regular file (a FIFO)": tmp_path / "pipe",
        "is not a regular file (a character device)": Path("/dev/zero"),
        "too many levels of symbolic links": tmp_path / "loop",
        "is a symbolic link to nothing": tmp_path / "dangling",
        "not found": tmp_path / "missing",
        "not found (a part of its path is not a directory)": tmp_path / "file" / "below",
        "the name is too long": tmp_path / ("a" * 300),
        "not a valid file name": tmp_path / "nul\0here",
    }


def test_what_is_at_each_path_is_said(odd):
    for said, path in odd.items():
        assert str(file_problem(path)) == said, path


def test_a_socket_is_not_a_regular_file(tmp_path):
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "sock"))
        assert str(file_problem(tmp_path / "sock")) == "is not a regular file (a socket)"
    finally:
        listener.close()


def test_a_regular_file_and_a_directory_pass_their_own_checks(tmp_path):
    (tmp_path / "f").write_text("x", "utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "f")
    assert file_problem(tmp_path / "f") is None
    assert file_problem(tmp_path / "link") is None  # a link is followed
    assert directory_problem(tmp_path) is None
    assert str(directory_problem(tmp_path / "f")) == "is not a directory (a regular file)"
    assert str(directory_problem(Path("/dev/null"))) == "is not a directory (a character device)"


def test_each_of_them_as_the_plan_is_one_line_and_quick(odd):
    for said, path in odd.items():
        with pytest.raises(PlanError) as error:
            soon(load_plan, path)
        assert error.value.lines() == [f"{shown(path)}: {said}"]


def test_a_plan_over_10_mb_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(b"#" * (10 * 2**20 + 1))
    with pytest.raises(PlanError) as error:
        load_plan(path)
    assert error.value.lines() == [f"{path}: is too large (more than 10 MB)"]


def test_read_file_reads_at_most_one_byte_past_its_limit(tmp_path, monkeypatch):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    assert read_file(path, 10) == b"0123456789"
    asked = []
    real_read = os.read

    def read(handle, size):
        asked.append(size)
        return real_read(handle, size)

    monkeypatch.setattr(os, "read", read)
    with pytest.raises(FileProblem) as error:
        read_file(path, 4)
    assert str(error.value) == "is too large (more than 4 bytes)"
    assert sum(asked) <= 5


def test_a_file_that_cannot_be_opened(tmp_path, monkeypatch):
    # Tests run as root, to whom every file is readable: the refusal is simulated.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "plan.toml"
    path.write_text("", "utf-8")
    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(PlanError) as error:
        load_plan(path)
    assert error.value.lines() == [f"{path}: permission denied"]


def test_a_fifo_put_in_place_after_the_check_is_neither_waited_for_nor_read(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "pipe")
    # The check sees a regular file; what is opened is a FIFO.
    monkeypatch.setattr(filekinds, "file_problem", lambda path: None)
    with pytest.raises(FileProblem) as error:
        soon(read_file, tmp_path / "pipe", 100)
    assert str(error.value) == "is not a regular file (a FIFO)"


def test_each_of_them_as_a_source_is_a_problem_at_its_key(tmp_path, odd):
    found = []
    for said, path in odd.items():
        if "\0" in str(path):
            continue  # TOML strings hold no NUL: see the next test
        plan = tmp_path / "plan.toml"
        source = {"documents": str(path)}
        plan.write_text(plan_text([indicator("e_document_dispatch", source)]), "utf-8")
        (problem,) = soon(Engine().validate, plan)
        found.append(str(problem).removeprefix(f"{plan}:"))
        assert found[-1] == f"17:13: indicators[0].sources.documents: {shown(path)}: {said}"


def test_a_nul_in_a_source_path_is_a_problem_at_its_key(tmp_path):
    plan = tmp_path / "plan.toml"
    source = {"documents": "a\0b.csv"}
    plan.write_text(plan_text([indicator("e_document_dispatch", source)]), "utf-8")
    (problem,) = Engine().validate(plan)
    assert str(problem) == (
        f"{plan}:17:13: indicators[0].sources.documents: {tmp_path}/a\\x00b.csv: "
        "not a valid file name"
    )


@pytest.mark.parametrize(
    ("name", "said"),
    [("x" * 300, "the name is too long"), ("plan.toml", "is not a directory (a regular file)")],
)
def test_a_plugins_dir_that_is_not_a_directory_is_a_problem_at_its_key(tmp_path, name, said):
    plan = tmp_path / "plan.toml"
    text = plan_text([], plan={"plugins_dir": name})
    plan.write_text(text, "utf-8")
    assert [str(p) for p in Engine().validate(plan)] == [
        f"{plan}:6:1: plan.plugins_dir: {shown(tmp_path / name)}: {said}"
    ]


@pytest.mark.parametrize("reader", [CsvReader(), JsonLinesReader()])
def test_the_readers_refuse_what_is_not_a_regular_file(tmp_path, reader):
    os.mkfifo(tmp_path / "pipe")
    for path, said in [
        (tmp_path / "pipe", "is not a regular file (a FIFO)"),
        (Path("/dev/zero"), "is not a regular file (a character device)"),
        (tmp_path, "is a directory"),
    ]:
        with pytest.raises(SourceError) as error:
            soon(reader.columns, path)
        assert error.value.lines() == [f"{path}: cannot open the source: {said}"]


def test_validate_dev_zero_and_a_fifo_on_the_command_line(tmp_path, cli_env):
    from click.testing import CliRunner

    from vpcp_indicators.cli import cli

    os.mkfifo(tmp_path / "plan.toml")
    for path, said in [
        ("/dev/zero", "is not a regular file (a character device)"),
        (str(tmp_path / "plan.toml"), "is not a regular file (a FIFO)"),
    ]:
        result = soon(CliRunner().invoke, cli, ["validate", "--lang", "en", path])
        assert result.exit_code == 2
        assert result.stderr == f"{path}: {said}\n"


def test_a_fifo_named_like_a_module_in_a_plugins_dir_is_not_imported(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    os.mkfifo(plugins / "waits.py")
    (plugins / "fine.py").write_text("PLUGIN_INTERFACE = 1\n", "utf-8")
    engine = soon(lambda: Engine(plugins_dirs=[plugins]))
    found = {p.name: p.error for p in engine.plugins()}
    assert found["waits"] == "is not a regular file (a FIFO)"
    assert found["fine"] is None
