"""The table a person reads in a terminal: nothing from the plan or records controls it."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest
from hostile import CONTROL, GROUP, INDICATOR_ID, PLAN_TITLE, TASK_TITLE, write_hostile_plan

from vpcp_indicators import Engine, RenderOptions


@pytest.fixture
def hostile_report(tmp_path):
    return Engine().evaluate(write_hostile_plan(tmp_path), [dt.date(2012, 12, 31)])


def before_provenance(text) -> list[str]:
    """The table's lines before its closing section, where the figures came from."""
    lines = str(text).splitlines()
    return lines[: lines.index("Where the figures came from:") - 1]


def test_no_control_character_from_the_plan_or_records_reaches_the_table(hostile_report):
    text = Engine().render(hostile_report, "table", RenderOptions(lang="en"))
    assert CONTROL.findall(text.replace("\n", "")) == []
    lines = before_provenance(text)
    assert lines[0] == "Plan \\x1b[2J\\x1b[Hcleared"
    task = next(line for line in lines if line.startswith("T\\x1b[1m1 "))
    assert task.endswith("Task \\u202eevil\\u202c\\r\\x9b31m")
    assert any(line.startswith("meet\\x1b[31m\\x07ings  T\\x1b[1m1  ") for line in lines)
    assert lines[-1] == (
        "  meet\\x1b[31m\\x07ings: m\\x1b[31m.csv: 1 row skipped: 'held_on' is not a date "
        "written YYYY-MM-DD (row 3)"
    )
    assert GROUP not in text and PLAN_TITLE not in text and TASK_TITLE not in text


def test_in_colour_the_only_escape_sequences_are_the_tables_own(hostile_report):
    text = Engine().render(hostile_report, "table", RenderOptions(lang="en", color=True))
    ours = re.compile(r"\x1b\[[0-9]+m")
    assert ours.search(text)  # it is in colour
    assert CONTROL.findall(ours.sub("", text).replace("\n", "")) == []
    assert INDICATOR_ID not in text


SKIPPED = (
    "  e-documents: data/documents.csv: 1 row skipped: 'issued_on' is not a date written "
    "YYYY-MM-DD (row 2502)"
)
IGNORED = (
    "  it-training: data/trainings.jsonl: 1 row ignored: 'staff_id' matches no record of "
    "'staff' (row 146)"
)


def test_data_warnings_the_same_at_every_date_are_told_once_at_the_end(seed_report):
    lines = before_provenance(Engine().render(seed_report, "table", RenderOptions(lang="en")))
    assert lines.count(SKIPPED) == 1 and lines.count(IGNORED) == 1
    assert "Errors and data warnings:" not in lines
    assert lines[-3:] == ["Data warnings, the same at every date:", SKIPPED, IGNORED]


def test_a_data_warning_of_one_date_only_is_told_at_that_date(seed_report):
    def without_warnings(evaluation):
        results = [
            attrs.evolve(r, warnings=()) if r.id == "it-training" else r
            for r in evaluation.indicators
        ]
        return attrs.evolve(evaluation, indicators=tuple(results))

    first, *rest = seed_report.evaluations
    report = attrs.evolve(seed_report, evaluations=(first, *map(without_warnings, rest)))
    lines = before_provenance(Engine().render(report, "table", RenderOptions(lang="en")))
    assert lines.count(IGNORED) == 1 and lines.count("Errors and data warnings:") == 1
    # Told with the first date, before the second date's heading.
    assert lines.index(IGNORED) < lines.index(next(x for x in lines if "As of 2012-12-31" in x))
    assert lines[-2:] == ["Data warnings, the same at every date:", SKIPPED]


def test_with_one_date_the_warnings_are_told_with_it(seed_report):
    report = attrs.evolve(seed_report, evaluations=seed_report.evaluations[1:2])
    lines = before_provenance(Engine().render(report, "table", RenderOptions(lang="en")))
    assert lines[-3:] == ["Errors and data warnings:", SKIPPED, IGNORED]
