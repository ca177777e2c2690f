"""The command line's outputs, end to end: where --output leads, what it will not write
over, standard output closed, full or gone, and an interrupted run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from conftest import ONE_MEETING, SEED_PLAN, indicator, plan_text
from hostile import CONTROL, INDICATOR_ID, write_hostile_plan

from vpcp_indicators.cli import cli


@pytest.fixture(autouse=True)
def _clean_env(cli_env):
    pass


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def evaluate(*args):
    return run("evaluate", SEED_PLAN, "--lang", "en", "--as-of", "2012-12-31", *args)


def test_output_through_a_link_replaces_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "report-2012.json"
    real.write_text("stale", "utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real.name)
    result = evaluate("--format", "json", "--output", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert json.loads(real.read_text("utf-8"))["evaluations"][0]["as_of"] == "2012-12-31"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "report-2012.json"]


def test_output_onto_a_socket_is_refused_in_one_line_before_computing(tmp_path):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        # A plan that cannot be read: the output is refused first, so nothing is computed.
        result = run("evaluate", tmp_path / "missing.toml", "--lang", "en", "--output", path)
    finally:
        server.close()
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: will not write {path}: it is a socket\n"


def own_plan(tmp_path):
    """A plan of one indicator on meetings.csv, both in tmp_path (never the shipped data)."""
    (tmp_path / "meetings.csv").write_text(ONE_MEETING, "utf-8")
    path = tmp_path / "plan.toml"
    item = indicator("online_meeting_coverage", {"meetings": "meetings.csv"}, id="meetings")
    path.write_text(plan_text([item]), "utf-8")
    return path


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def contents(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_output_onto_the_plan_is_refused_before_anything_is_written(tmp_path):
    plan = own_plan(tmp_path)
    before = contents(tmp_path)
    result = run("evaluate", plan, "--lang", "en", "--as-of", "2012-12-31", "-o", plan)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: will not write {plan}: it is the plan file\n"
    assert contents(tmp_path) == before


@pytest.mark.parametrize("how", ["same path", "symbolic link", "hard link", "written around"])
def test_output_onto_a_source_is_refused_however_the_path_is_written(tmp_path, how):
    plan = own_plan(tmp_path)
    source = tmp_path / "meetings.csv"
    output = {
        "same path": source,
        "symbolic link": tmp_path / "link.csv",
        "hard link": tmp_path / "hard.csv",
        "written around": tmp_path / "." / "sub" / ".." / "meetings.csv",
    }[how]
    if how == "symbolic link":
        output.symlink_to(source)
    elif how == "hard link":
        output.hardlink_to(source)
    elif how == "written around":
        (tmp_path / "sub").mkdir()
    before = contents(tmp_path)
    result = run("evaluate", plan, "--lang", "en", "--as-of", "2012-12-31", "-o", output)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: will not write {output}: it is a source of indicator 'meetings'\n"
    )
    assert contents(tmp_path) == before


def test_schema_output_onto_its_plan_is_refused(tmp_path):
    plan = own_plan(tmp_path)
    before = plan.read_bytes()
    result = run("schema", plan, "--output", plan)
    assert result.exit_code == 2
    # schema has no --lang: in Vietnamese.
    assert result.stderr == f"lỗi: từ chối ghi {plan}: đó là tệp kế hoạch\n"
    assert plan.read_bytes() == before


def command(*args, **popen):
    """The command in a process of its own; its standard error as text."""
    line = [sys.executable, "-m", "vpcp_indicators", *map(str, args)]
    return subprocess.run(line, stderr=subprocess.PIPE, text=True, check=False, **popen)


def closed_stdout():
    os.close(1)


EVALUATE = ["evaluate", SEED_PLAN, "--lang", "en", "--as-of", "2012-12-31"]


def test_a_closed_standard_output_is_one_line_and_status_2():
    process = command(*EVALUATE, preexec_fn=closed_stdout)
    assert (process.returncode, process.stderr) == (
        2,
        "error: cannot write to standard output: Bad file descriptor\n",
    )


def test_a_closed_standard_output_stays_closed_for_output_to_dev_stdout():
    process = command(*EVALUATE, "-o", "/dev/stdout", preexec_fn=closed_stdout)
    assert (process.returncode, process.stderr) == (
        2,
        "error: cannot write /dev/stdout: Bad file descriptor\n",
    )


def test_a_closed_standard_output_does_not_matter_with_an_output_file(tmp_path):
    out = tmp_path / "r.json"
    process = command(*EVALUATE, "--format", "json", "-o", out, preexec_fn=closed_stdout)
    assert process.returncode == 0, process.stderr
    assert json.loads(out.read_text("utf-8"))["evaluations"][0]["as_of"] == "2012-12-31"


FULL = "error: cannot write to standard output: No space left on device"
# In Vietnamese, the system's reason too.
FULL_VI = "lỗi: không ghi được ra đầu ra chuẩn: thiết bị đã hết dung lượng trống"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (EVALUATE, FULL),
        (["validate", SEED_PLAN, "--lang", "en"], FULL),
        (["plugins"], FULL_VI),  # no --lang: Vietnamese
        (["--version"], FULL_VI),
    ],
    ids=["evaluate", "validate", "plugins", "version"],
)
def test_a_full_standard_output_is_one_line_and_status_2(args, line):
    with open("/dev/full", "wb") as full:
        process = command(*args, stdout=full)
    assert (process.returncode, process.stderr) == (2, line + "\n")


@pytest.mark.parametrize(
    "args", [[*EVALUATE, "--format", "json"], ["plugins"]], ids=["evaluate", "plugins"]
)
def test_a_reader_that_went_away_ends_the_command_quietly(args):
    line = [sys.executable, "-m", "vpcp_indicators", *map(str, args)]
    process = subprocess.Popen(line, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # as `| head -c 10` does once it has its bytes
    _, error = process.communicate(timeout=120)
    assert (process.returncode, error) == (141, b"")


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory):
    """A plan on a documents file large enough that DuckDB reads it for a while."""
    folder = tmp_path_factory.mktemp("long")
    issuers = ("government", "prime_minister", "ministry")
    rows = (
        f"VB{i:08d},2012-{1 + i % 12:02d}-{1 + i % 28:02d},{issuers[i % 3]},normal,electronic\n"
        for i in range(1_500_000)
    )
    with open(folder / "documents.csv", "w", encoding="utf-8") as stream:
        stream.write("doc_id,issued_on,issuer,classification,channel\n")
        stream.writelines(rows)
    plan = folder / "plan.toml"
    item = indicator("e_document_dispatch", {"documents": "documents.csv"}, id="docs")
    plan.write_text(plan_text([item]), "utf-8")
    return plan


def start(plan, tmp, *args):
    """An evaluation in a process of its own, with its temporary folder ``tmp``."""
    line = [sys.executable, "-m", "vpcp_indicators", "evaluate", str(plan), "--lang", "en"]
    line += ["--as-of", "2012-12-31", "--format", "json", *map(str, args)]
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def spill_of(process, tmp):
    """The process's spill folder, once DuckDB is at work."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = list(tmp.glob(f"vpcp-duckdb-{process.pid}-*"))
        if found:
            return found[0]
        if process.poll() is not None:
            pytest.fail(f"the run ended before it made its spill folder: {process.stderr.read()}")
        time.sleep(0.005)
    pytest.fail("no spill folder")


def test_the_next_run_removes_the_spill_folder_of_a_killed_one(long_plan, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    killed = start(long_plan, tmp)
    spill = spill_of(killed, tmp)
    killed.kill()
    killed.communicate()
    assert spill.is_dir()  # SIGKILL leaves it: no cleanup can run
    following = start(SEED_PLAN, tmp)
    following.communicate(timeout=120)
    assert following.returncode == 0
    assert list(tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"]
)
def test_a_signal_ends_the_run_cleanly_in_one_line(long_plan, tmp_path, signum, status):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out.json"
    process = start(long_plan, tmp, "--output", out)
    spill_of(process, tmp)  # DuckDB is reading: the signal reaches it mid-query
    process.send_signal(signum)
    output, error = process.communicate(timeout=120)
    assert (process.returncode, output, error) == (status, b"", b"error: interrupted\n")
    assert list(tmp.iterdir()) == []  # the spill folder was removed
    assert names(tmp_path) == ["tmp"]  # no output, and no temporary file of one


def no_controls(text):
    return CONTROL.findall(text.replace("\n", "")) == []


def test_the_terminal_gets_no_control_character_from_a_plan_or_records(tmp_path):
    plan = write_hostile_plan(tmp_path)
    shown = run("evaluate", plan, "--lang", "en", "--as-of", "2012-12-31")
    assert shown.exit_code == 0, shown.output
    assert no_controls(shown.stdout) and "Plan \\x1b[2J\\x1b[Hcleared" in shown.stdout
    # The output elsewhere: the data warnings are told on standard error.
    elsewhere = run("evaluate", plan, "--lang", "en", "--format", "json", "-o", tmp_path / "r")
    assert elsewhere.exit_code == 0, elsewhere.output
    assert elsewhere.stderr == (
        "warning: meet\\x1b[31m\\x07ings: m\\x1b[31m.csv: 1 row skipped: 'held_on' is not a "
        "date written YYYY-MM-DD (row 3)\n"
    )
    explained = run("explain", plan, INDICATOR_ID, "--lang", "en", "--as-of", "2012-12-31")
    assert explained.exit_code == 0, explained.output
    assert no_controls(explained.stdout)
    assert explained.stdout.splitlines()[0] == (
        "![pic](http://evil.example/x.png) [click](http://evil.example) "
        "<script>alert(1)</script> <http://evil.example> a|b\\nnext \\x1b]0;owned\\x07 \\x08"
    )


def test_errors_show_the_plans_and_the_users_text_escaped_on_one_line(tmp_path):
    plan = write_hostile_plan(tmp_path)
    text = plan.read_text("utf-8").replace('task = "T\\u001b[1m1"', 'task = "T\\u001b[2J9"')
    plan.write_text(text, "utf-8")
    wrong = run("validate", plan, "--lang", "en")
    assert wrong.exit_code == 2
    assert wrong.stderr.endswith(
        "indicators[0].task: task 'T\\x1b[2J9' does not exist (tasks: T\\x1b[1m1)\n"
    )
    assert no_controls(wrong.stderr)
    unknown = evaluate("--format", "x\x1b[2J\ny")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: unknown format 'x\\x1b[2J\\ny' (formats: ")
    assert no_controls(unknown.stderr)
