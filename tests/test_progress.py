"""Long runs: the engine tells its progress; the command shows it only on a terminal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import SEED_PLAN

from vpcp_indicators import Engine, RenderOptions
from vpcp_indicators.cli.progress import Progress
from vpcp_indicators.i18n import language


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_engine_tells_which_file_it_reads_and_when_it_is_done(backend):
    calls = []
    Engine().evaluate(
        SEED_PLAN,
        [dt.date(2012, 12, 31)],
        backend=backend,
        progress=lambda name, done, rows: calls.append((name, done, rows)),
    )
    finished = {name for name, done, _ in calls if done == 1.0}
    assert {
        "data/meetings.csv",
        "data/documents.csv",
        "data/staff.csv",
        "data/trainings.jsonl",
    } <= finished
    if backend == "python":
        assert ("data/documents.csv", 1.0, 7700) in calls


def test_the_progress_line_shows_records_rate_and_time_left(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    clock = iter([0.0, 0.0, 2.0, 2.5])
    monkeypatch.setattr("vpcp_indicators.cli.progress.time.monotonic", lambda: next(clock))
    progress = Progress(language("en"))
    progress("documents.csv", 0.0, 0)  # the engine starts a file
    progress("documents.csv", 0.5, 1_000_000)
    shown = stream.getvalue()
    assert shown.startswith("\rdocuments.csv  1,000,000 records, 500,000/s  50.0%  2 s left")
    progress.close()
    assert stream.getvalue().endswith("\r")


def test_the_progress_line_shows_a_file_name_with_its_control_characters_escaped(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    progress = Progress(language("en"))
    progress("data/\x1b[2Jm\r.csv", 1.0, None)
    assert stream.getvalue() == "\rdata/\\x1b[2Jm\\r.csv  100.0%"


def test_nothing_is_shown_when_standard_error_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert Progress.wanted() is False


def test_the_table_has_colour_only_when_asked(seed_report):
    engine = Engine()
    plain = engine.render(seed_report, "table", RenderOptions(lang="en"))
    coloured = engine.render(seed_report, "table", RenderOptions(lang="en", color=True))
    assert "\x1b[" not in plain
    assert "\x1b[33m▲ at risk" in coloured  # status colour, with its shape and words
