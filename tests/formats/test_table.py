"""The table a person reads in a terminal: nothing from the plan or records controls it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hostile import CONTROL, GROUP, INDICATOR_ID, PLAN_TITLE, TASK_TITLE, write_hostile_plan

from vpcp_indicators import Engine, RenderOptions


@pytest.fixture
def hostile_report(tmp_path):
    return Engine().evaluate(write_hostile_plan(tmp_path), [dt.date(2012, 12, 31)])


def test_no_control_character_from_the_plan_or_records_reaches_the_table(hostile_report):
    text = Engine().render(hostile_report, "table", RenderOptions(lang="en"))
    assert CONTROL.findall(text.replace("\n", "")) == []
    lines = text.splitlines()
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
