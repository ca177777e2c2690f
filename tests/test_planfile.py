"""A plan file that is deep, huge in its numbers or strange in its strings gives located
one-line problems, never an exception of the parser."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys

import pytest
from conftest import ROOT

from vpcp_indicators import Engine, PlanError, load_plan
from vpcp_indicators.errors import VALUE_WIDTH
from vpcp_indicators.plan.reading import read_plan

LARGEST = sys.float_info.max
TOO_LARGE = "number too large (at most 1.7976931348623157e+308 in absolute value)"
TOO_DEEP = "nesting too deep (more than 32 levels of tables and arrays)"

# Line numbers matter below: at_risk is on line 8, the task's weight on 13, the indicator's
# weight on 20, its baseline on 21, its targets on 22.
BASE = """\
[plan]
id = "p"
title = "Plan"
start = 2011-01-01
end = 2015-12-31

[scoring]
at_risk = 80

[[tasks]]
id = "NV1"
title = "Task one"
weight = 1

[[indicators]]
id = "docs"
task = "NV1"
kind = "e_document_dispatch"
title = "Documents"
weight = 1
baseline = { on = 2011-01-01, value = 0.0 }
targets = [{ by = 2015-12-31, value = 1.0 }]
[indicators.sources]
documents = "data/documents.csv"
"""


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    _, found = read_plan(path)
    return [str(p).removeprefix(f"{tmp_path}/") for p in found]


def test_the_base_plan_has_no_problem(tmp_path):
    assert problems(tmp_path, BASE) == []


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("at_risk = 80", "at_risk = 1e400", "8:1: scoring.at_risk"),
        ("weight = 1\n\n[[indicators]]", "weight = 1e400\n\n[[indicators]]",
         "13:1: tasks[0].weight"),
        ("title = \"Documents\"\nweight = 1", "title = \"Documents\"\nweight = 1" + "0" * 400,
         "20:1: indicators[0].weight"),
        ("value = 0.0 }", "value = -1e400 }", "21:31: indicators[0].baseline.value"),
        ("value = 1.0 }", "value = 2e308 }", "22:31: indicators[0].targets[0].value"),
        ("documents = \"data/documents.csv\"",
         "documents = \"data/documents.csv\"\n[indicators.params]\nx = [1, -1e999]",
         "26:9: indicators[0].params.x[1]"),
    ],
)  # fmt: skip
def test_a_number_beyond_a_float_is_refused_at_its_key(tmp_path, old, new, where):
    assert problems(tmp_path, BASE.replace(old, new, 1)) == [f"plan.toml:{where}: {TOO_LARGE}"]


def test_inf_and_nan_are_refused_as_not_finite(tmp_path):
    text = BASE.replace("at_risk = 80", "at_risk = -inf").replace("value = 1.0 }", "value = nan }")
    assert problems(tmp_path, text) == [
        "plan.toml:8:1: scoring.at_risk: expected a finite number",
        "plan.toml:22:31: indicators[0].targets[0].value: expected a finite number",
    ]


def test_the_largest_float_is_a_number_and_one_more_is_not(tmp_path):
    largest = BASE.replace("weight = 1\n\n", "weight = 1.7976931348623157e308\n\n")
    assert problems(tmp_path, largest) == []
    beyond = BASE.replace("weight = 1\n\n", f"weight = {int(LARGEST) + 1}\n\n")
    assert problems(tmp_path, beyond) == [f"plan.toml:13:1: tasks[0].weight: {TOO_LARGE}"]


def test_an_integer_with_more_digits_than_python_converts_is_located(tmp_path):
    text = BASE.replace("at_risk = 80", "at_risk = " + "9" * 5000)
    # "at_risk = " is 10 characters: the number starts in column 11.
    assert problems(tmp_path, text) == [f"plan.toml:8:11: {TOO_LARGE}"]


def test_nesting_1000_deep_is_refused_at_the_first_bracket_too_deep(tmp_path):
    # "x = " is 4 characters; the 33rd "[" is the 37th character.
    for opening, closing in (("[", "]"), ("{ a = ", "}")):
        text = "x = " + opening * 1000 + "1" + closing * 1000 + "\n" + BASE
        if opening == "[":
            assert problems(tmp_path, text) == [f"plan.toml:1:37: {TOO_DEEP}"]
        else:
            # "{ a = " is 6 characters: the 33rd opening brace is at 4 + 32 * 6 + 1.
            assert problems(tmp_path, text) == [f"plan.toml:1:197: {TOO_DEEP}"]


def test_32_levels_are_allowed_and_33_are_not(tmp_path):
    allowed = BASE + "[indicators.params]\nx = " + "[" * 29 + "]" * 29 + "\n"
    # indicators (1), its table (2), params (3), then 29 arrays: 32 levels.
    assert problems(tmp_path, allowed) == []
    deeper = BASE + "[indicators.params]\nx = " + "[" * 30 + "]" * 30 + "\n"
    # The 30th "[" of line 26 is its 34th character ("x = " then 29 brackets): x[0]...[0].
    key = "indicators[0].params.x" + "[0]" * 29
    assert problems(tmp_path, deeper) == [f"plan.toml:26:34: {key}: {TOO_DEEP}"]


def test_a_dotted_key_of_too_many_parts_is_refused_before_parsing(tmp_path):
    # tomllib takes a minute on a key of 40,000 parts: it never sees one of 33.
    text = BASE + "[indicators.params]\n" + ".".join(["a"] * 40_000) + " = 1\n"
    assert problems(tmp_path, text) == [f"plan.toml:26:1: {TOO_DEEP}"]


def test_nesting_by_headers_and_dotted_keys_together_is_refused_at_the_key(tmp_path):
    text = BASE + "[indicators.params]\n" + ".".join(["a"] * 30) + " = { b = 1 }\n"
    # params is level 3; the 30th "a" holds a table at level 33, the first too deep.
    key = "indicators[0].params" + ".a" * 30
    assert problems(tmp_path, text) == [f"plan.toml:26:1: {key}: {TOO_DEEP}"]


def test_a_string_with_a_line_break_is_shown_on_one_line(tmp_path):
    text = BASE.replace('title = "Documents"', 'title = "Documents"\nwindow = "ye\\nar\\u001b"')
    (problem,) = problems(tmp_path, text)
    assert problem == (
        "plan.toml:20:1: indicators[0].window: unknown window 'ye\\nar\\x1b' "
        "(year, quarter, month, cumulative, point)"
    )


def test_a_wrong_value_of_a_megabyte_is_cut(tmp_path):
    text = BASE.replace("at_risk = 80", 'at_risk = "' + "x" * 1_000_000 + '"')
    (problem,) = problems(tmp_path, text)
    assert problem == (
        "plan.toml:8:1: scoring.at_risk: expected a number, found the string '"
        + "x" * (VALUE_WIDTH - 2)
        + "…"
    )


def test_a_plan_with_the_largest_weights_evaluates_to_json(tmp_path):
    """The weights a plan may hold go through scoring and out as JSON numbers."""
    shutil.copytree(ROOT / "plans", tmp_path, dirs_exist_ok=True)
    seed = tmp_path / "vpcp-2011-2015.toml"
    text = seed.read_text("utf-8").replace(
        "[[tasks]]\n", "[[tasks]]\nweight = 1.7976931348623157e308\n"
    )
    text = text.replace('aggregation = "weighted_mean"', 'aggregation = "geometric_mean"')
    seed.write_text(text, "utf-8")
    engine = Engine()
    report = engine.evaluate(load_plan(seed), [dt.date(2013, 12, 31)])
    data = json.loads(engine.render(report, "json"))
    assert {t["weight"] for t in data["plan"]["tasks"]} == {LARGEST}
    assert 0 <= data["evaluations"][0]["score"] <= 100


def test_load_plan_raises_a_plan_error_for_each_of_these(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(PlanError) as deep:
        load_plan(path)
    assert deep.value.lines() == [f"{path}:1:37: {TOO_DEEP}"]


def test_a_parser_out_of_stack_is_still_a_plan_problem(tmp_path, monkeypatch):
    # Reached only when the loader is called with little stack left: simulated.
    def exhausted(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("vpcp_indicators.plan.parsing.tomllib.loads", exhausted)
    assert problems(tmp_path, BASE) == [f"plan.toml: {TOO_DEEP}"]
