"""Each plan key is declared once (``plan/keys.py``): the loader checks it, the schema
describes it, from that one declaration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import plan_text

from vpcp_indicators.i18n import language
from vpcp_indicators.plan import keys
from vpcp_indicators.plan.keys import Key, Table
from vpcp_indicators.plan.reading import read_plan
from vpcp_indicators.plan.schema import plan_schema

INDICATOR = {
    "id": "ind",
    "task": "T1",
    "kind": "e_document_dispatch",
    "title": "Documents",
    "targets": [{"by": dt.date(2015, 12, 31), "value": 1.0}],
    "sources": {"documents": "documents.csv"},
}


def read(tmp_path: Path, text: str) -> tuple[Any, list[str], list[str]]:
    """The plan, and its problems in English and in Vietnamese (without the file name)."""
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    plan, problems = read_plan(path)
    vi = language("vi").translator()
    cut = len(f"{path}:")
    return plan, [str(p)[cut:] for p in problems], [p.render(vi)[cut:] for p in problems]


def tables(table: Table = keys.TOP) -> Iterator[Table]:
    yield table
    for key in table:
        if key.table is not None:
            yield from tables(key.table)


def test_every_table_is_declared_and_reachable_from_the_top():
    found = list(tables())
    declared = [keys.TOP, keys.PLAN, keys.SCORING, keys.TASK, keys.PROJECT, keys.INDICATOR]
    assert all(any(t is d for t in found) for d in [*declared, keys.BASELINE, keys.TARGET])
    for table in found:
        for key in table:
            assert key.description.strip() and "\n" not in key.description, key.name
            tabled = ("table", "tables", "labels", "files")
            assert (key.table is not None) == (key.type in tabled), key.name
            assert not key.choices or key.refusal, key.name


@pytest.fixture
def budget() -> Iterator[Key]:
    """A key added to ``[plan]``, in its declaration only."""
    added = Key("budget", "number", "What the plan may spend, in millions.", minimum=0,
                maximum=10**6, example=12)  # fmt: skip
    saved = keys.PLAN.keys
    object.__setattr__(keys.PLAN, "keys", (*saved, added))
    yield added
    object.__setattr__(keys.PLAN, "keys", saved)


def test_a_key_declared_once_is_read_checked_and_described(tmp_path, budget):
    _, problems, _ = read(tmp_path, plan_text([INDICATOR], plan={"budget": 12}))
    assert problems == []
    _, problems, _ = read(tmp_path, plan_text([INDICATOR], plan={"budget": "many"}))
    assert problems == ["6:1: plan.budget: expected a number, found the string 'many'"]
    _, problems, _ = read(tmp_path, plan_text([INDICATOR], plan={"budget": 2 * 10**6}))
    assert problems == ["6:1: plan.budget: must be between 0 and 1000000, found 2000000"]
    described = plan_schema()["properties"]["plan"]["properties"]["budget"]
    assert described == {
        "type": "number",
        "description": budget.description,
        "minimum": 0,
        "maximum": 10**6,
    }


def test_a_key_not_declared_is_refused_with_the_declared_ones_named(tmp_path):
    _, problems, _ = read(tmp_path, plan_text([INDICATOR], plan={"budget": 12}))
    allowed = ", ".join(sorted(k.name for k in keys.PLAN))
    assert problems == [f"6:1: plan.budget: unknown key (allowed: {allowed})"]


def test_a_missing_key_takes_its_declared_default(tmp_path):
    plan, problems, _ = read(tmp_path, plan_text([INDICATOR]))
    assert problems == []
    (indicator,) = plan.indicators
    assert plan.scoring.at_risk == keys.SCORING["at_risk"].default
    assert plan.scoring.aggregation == keys.SCORING["aggregation"].default
    assert plan.tasks[0].weight == keys.TASK["weight"].default
    assert indicator.weight == keys.INDICATOR["weight"].default
    assert indicator.direction == keys.INDICATOR["direction"].default
    assert indicator.baseline.value == keys.BASELINE["value"].default
    assert indicator.baseline.on == plan.start


@pytest.mark.parametrize(
    ("key", "value", "english", "vietnamese"),
    [
        ("direction", "sideways", "must be 'up' or 'down', found 'sideways'",
         "phải là 'up' hoặc 'down', nhưng có 'sideways'"),
        ("unit", "percent", "must be 'ratio' or 'number', found 'percent'",
         "phải là 'ratio' hoặc 'number', nhưng có 'percent'"),
        ("window", "week", "unknown window 'week' (year, quarter, month, cumulative, point)",
         "không có khoảng thời gian 'week' (year, quarter, month, cumulative, point)"),
        ("weight", 0, "must be greater than 0, found 0", "phải lớn hơn 0, nhưng có 0"),
    ],
)  # fmt: skip
def test_allowed_values_and_bounds_are_named_from_the_declaration(
    tmp_path, key, value, english, vietnamese
):
    _, problems, vi = read(tmp_path, plan_text([{**INDICATOR, key: value}]))
    assert [p.split(": ", 2)[2] for p in problems] == [english]
    assert [p.split(": ", 2)[2] for p in vi] == [vietnamese]


def test_the_language_and_at_risk_bounds_in_both_languages(tmp_path):
    text = plan_text([INDICATOR], plan={"language": "fr"}, scoring={"at_risk": 120})
    _, problems, vi = read(tmp_path, text)
    assert [p.split(": ", 2)[2] for p in problems] == [
        "unknown language 'fr' (languages: vi, en)",
        "must be between 0 and 100, found 120",
    ]
    assert [p.split(": ", 2)[2] for p in vi] == [
        "không có ngôn ngữ 'fr' (các ngôn ngữ: vi, en)",
        "phải nằm trong khoảng 0 đến 100, nhưng có 120",
    ]


def test_every_key_of_a_table_is_checked_even_when_the_table_is_left_out(tmp_path):
    # A task or an indicator that cannot be kept (no title, no kind) still has each of its
    # keys checked, its description too; so does a project's description.
    task = {"id": "T1", "description": 3, "projects": [{"id": "P", "title": "P", "description": 4}]}
    text = plan_text([{**INDICATOR, "kind": 1, "description": []}], tasks=[task])
    _, problems, _ = read(tmp_path, text)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "tasks[0]: missing required key 'title'",
        "tasks[0].description: expected a non-empty string, found an integer",
        "tasks[0].projects[0].description: expected a non-empty string, found an integer",
        "indicators[0].kind: expected a non-empty string, found an integer",
        "indicators[0].description: expected a non-empty string, found an array",
        "indicators[0].task: task 'T1' does not exist (tasks: none)",
    ]


def test_an_at_risk_out_of_bounds_leaves_the_aggregation_as_written(tmp_path):
    text = plan_text([INDICATOR], scoring={"at_risk": 120, "aggregation": "minimum"})
    plan, problems, _ = read(tmp_path, text)
    assert len(problems) == 1
    assert plan.scoring.aggregation == "minimum"
    assert plan.scoring.at_risk == keys.SCORING["at_risk"].default


def test_labels_are_read_by_column_and_code_in_one_language_or_by_language(tmp_path):
    labels = {
        "counterpart_kind": {"corporation_91": "Tổng công ty 91"},
        "issuer": {"prime_minister": {"vi": "Thủ tướng Chính phủ", "en": "Prime Minister"}},
    }
    plan, problems, _ = read(tmp_path, plan_text([INDICATOR], labels=labels))
    assert problems == []
    assert plan.labels == labels
    assert plan.label("issuer", "prime_minister", "en") == "Prime Minister"
    assert plan.label("issuer", "prime_minister", "vi") == "Thủ tướng Chính phủ"
    # One language serves every reader; a code or a column without a label is its code.
    assert plan.label("counterpart_kind", "corporation_91", "en") == "Tổng công ty 91"
    assert plan.label("issuer", "government", "en") == "government"
    assert plan.label(None, "prime_minister", "en") == "prime_minister"


def test_a_label_falls_back_to_another_language_than_the_readers(tmp_path):
    labels = {"issuer": {"government": {"vi": "Chính phủ"}, "ministry": {"en": "Ministry"}}}
    plan, problems, _ = read(tmp_path, plan_text([INDICATOR], labels=labels))
    assert problems == []
    assert plan.label("issuer", "government", "en") == "Chính phủ"
    assert plan.label("issuer", "ministry", "vi") == "Ministry"


def test_wrong_labels_are_refused_each_at_its_key_in_both_languages(tmp_path):
    labels = {
        "issuer": {
            "prime_minister": {"vi": "Thủ tướng", "fr": "Premier ministre"},
            "government": {},
            "ministry": 3,
            "office": {"en": " "},
        },
    }
    text = plan_text([INDICATOR], labels=labels) + '[labels]\nunit = "Ministry"\n'
    plan, problems, vi = read(tmp_path, text)
    assert problems == [
        "20:38: labels.issuer.prime_minister.fr: unknown key (allowed: en, vi)",
        "21:1: labels.issuer.government: a label needs a text in at least one language (vi, en)",
        "22:1: labels.issuer.ministry: expected a non-empty string, found an integer",
        "23:12: labels.issuer.office.en: expected a non-empty string, found an empty string",
        "26:1: labels.unit: expected a table of labels by code, found the string 'Ministry'",
    ]
    assert vi[1].endswith("một nhãn cần có chữ bằng ít nhất một ngôn ngữ (vi, en)")
    # What could be read is kept: the reports still name the prime minister.
    assert plan.labels == {"issuer": {"prime_minister": {"vi": "Thủ tướng"}}}
