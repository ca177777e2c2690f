"""Reading plan files: every mistake is one located line naming the key."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SEED_PLAN

from vpcp_indicators import PlanError, load_plan
from vpcp_indicators.plan.reading import read_plan

GOOD = """\
[plan]
id = "p"
title = "Plan"
start = 2011-01-01
end = 2015-12-31

[[tasks]]
id = "NV1"
title = "Task one"

[[tasks]]
id = "NV2"
title = "Task two"
weight = 2

[[indicators]]
id = "docs"
task = "NV2"
kind = "e_document_dispatch"
title = "Documents"
targets = [{ by = 2012-12-31, value = 0.7 }, { by = 2015-12-31, value = 1.0 }]
[indicators.sources]
documents = "data/documents.csv"
"""


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    _, found = read_plan(path)
    prefix = f"{path}:"
    lines = [str(p) for p in found]
    assert all(line.startswith(prefix) for line in lines), lines
    return [line[len(prefix) :] for line in lines]


def test_a_good_plan_loads_into_values(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(GOOD, "utf-8")
    plan = load_plan(path)
    assert [t.id for t in plan.tasks] == ["NV1", "NV2"]
    assert plan.tasks[1].weight == 2
    (docs,) = plan.indicators
    assert (docs.baseline.on, docs.baseline.value) == (dt.date(2011, 1, 1), 0)
    assert [(t.by, float(t.value)) for t in docs.targets] == [
        (dt.date(2012, 12, 31), 0.7),
        (dt.date(2015, 12, 31), 1.0),
    ]
    assert docs.sources["documents"].path == tmp_path / "data" / "documents.csv"
    assert docs.source_names["documents"] == "data/documents.csv"
    assert docs.window is None and docs.direction is None and docs.weight == 1


def test_the_seed_plan_holds_what_the_decision_says():
    plan = load_plan(SEED_PLAN)
    assert plan.decision == "1935/QĐ-VPCP"
    assert [t.id for t in plan.tasks] == ["NV1", "NV2", "NV3", "NV4"]
    leads = {t.id: [p.lead for p in t.projects] for t in plan.tasks}
    assert len(leads["NV1"]) == 6
    assert leads["NV1"].count("Trung tâm Tin học") == 5
    assert leads["NV1"].count("Cục Kiểm soát thủ tục hành chính") == 1
    assert len(leads["NV2"]) == 8
    assert leads["NV2"].count("Trung tâm Tin học") == 3
    assert leads["NV2"].count("Cổng TTĐT Chính phủ") == 3
    assert leads["NV2"].count("Vụ Tổng hợp") == 1
    assert leads["NV2"].count("Vụ Hành chính") == 1
    targets = {
        i.kind: [(t.by.isoformat(), float(t.value)) for t in i.targets] for i in plan.indicators
    }
    assert targets["e_document_dispatch"] == [("2012-12-31", 0.7), ("2015-12-31", 1.0)]
    assert targets["digital_signature_issuance"] == [("2011-12-31", 1.0)]
    assert targets["online_meeting_coverage"] == [("2015-12-31", 1.0)]
    assert any(i.task == "NV4" for i in plan.indicators if i.kind == "training_completion")
    text = SEED_PLAN.read_text("utf-8")
    assert "ASSUMPTION: the source gives no date for T1" in text
    assert "ASSUMPTION: the source sets no figure for training" in text


def test_unknown_keys_are_named_with_their_line_and_column(tmp_path):
    text = GOOD.replace('title = "Task one"', 'title = "Task one"\nwieght = 3')
    text = text.replace("[[indicators]]", "[[indicators]]\n  colour = 'red'")
    assert problems(tmp_path, text) == [
        "10:1: tasks[0].wieght: unknown key (allowed: description, id, projects, title, weight)",
        "18:3: indicators[0].colour: unknown key (allowed: baseline, breakdown, description, "
        "direction, id, kind, min_denominator, params, sources, targets, task, title, unit, "
        "weight, window)",
    ]


def test_an_unknown_table_at_the_top(tmp_path):
    assert problems(tmp_path, GOOD + "\n[extras]\na = 1\n") == [
        "25:1: extras: unknown key (allowed: indicators, labels, plan, scoring, tasks, units)"
    ]


def test_a_task_that_does_not_exist(tmp_path):
    text = GOOD.replace('task = "NV2"', 'task = "NV9"')
    assert problems(tmp_path, text) == [
        "18:1: indicators[0].task: task 'NV9' does not exist (tasks: NV1, NV2)"
    ]


def test_missing_required_keys_point_at_their_table(tmp_path):
    text = GOOD.replace('title = "Documents"\n', "").replace('title = "Plan"\n', "")
    assert problems(tmp_path, text) == [
        "1:1: plan: missing required key 'title'",
        "15:1: indicators[0]: missing required key 'title'",
    ]


def test_a_target_outside_the_plan(tmp_path):
    text = GOOD.replace("by = 2015-12-31", "by = 2016-06-30")
    assert problems(tmp_path, text) == [
        "21:48: indicators[0].targets[1].by: target date 2016-06-30 is outside the plan "
        "(2011-01-01 to 2015-12-31)"
    ]


def test_targets_not_in_date_order(tmp_path):
    text = GOOD.replace("by = 2012-12-31", "by = 2015-12-31", 1).replace(
        "{ by = 2015-12-31, value = 1.0 }", "{ by = 2012-12-31, value = 1.0 }"
    )
    assert problems(tmp_path, text) == [
        "21:48: indicators[0].targets[1].by: targets are not in date order: 2012-12-31 comes "
        "after 2015-12-31"
    ]


def test_two_targets_on_one_date_are_not_in_order(tmp_path):
    text = GOOD.replace("by = 2012-12-31", "by = 2015-12-31")
    assert len(problems(tmp_path, text)) == 1


def test_repeated_ids(tmp_path):
    text = GOOD.replace('id = "NV2"', 'id = "NV1"').replace('task = "NV2"', 'task = "NV1"')
    assert problems(tmp_path, text) == ["12:1: tasks[1].id: task id 'NV1' is already used"]


def test_wrong_types_and_values(tmp_path):
    text = GOOD.replace("start = 2011-01-01", 'start = "2011-01-01"')
    text = text.replace("weight = 2", "weight = 0")
    text = text.replace(
        'kind = "e_document_dispatch"',
        'kind = "e_document_dispatch"\ndirection = "sideways"\nwindow = "decade"',
    )
    found = problems(tmp_path, text)
    assert found[0] == (
        "4:1: plan.start: expected a date, found the string '2011-01-01' "
        "(write it unquoted, like 2012-12-31)"
    )
    assert found[1] == "14:1: tasks[1].weight: must be greater than 0, found 0"
    assert found[2] == "20:1: indicators[0].direction: must be 'up' or 'down', found 'sideways'"
    assert found[3].startswith("21:1: indicators[0].window: unknown window 'decade'")


def test_a_baseline_after_the_first_target(tmp_path):
    text = GOOD.replace(
        'title = "Documents"', 'title = "Documents"\nbaseline = { on = 2013-01-01, value = 0.1 }'
    )
    assert problems(tmp_path, text) == [
        "21:14: indicators[0].baseline.on: the baseline (2013-01-01) must come before the "
        "first target (2012-12-31)"
    ]


def test_an_indicator_without_targets(tmp_path):
    text = GOOD.replace(
        "targets = [{ by = 2012-12-31, value = 0.7 }, { by = 2015-12-31, value = 1.0 }]",
        "targets = []",
    )
    assert problems(tmp_path, text) == [
        "21:1: indicators[0].targets: expected an array of at least one "
        "{ by = DATE, value = NUMBER }"
    ]


def test_a_toml_syntax_error_gives_line_and_column(tmp_path):
    text = GOOD.replace('id = "p"', 'id = "p')
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("2:")
    assert "not valid TOML" in problem


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    text = GOOD.replace('task = "NV2"', 'task = "NV7"').replace("weight = 2", "weight = -1")
    assert len(problems(tmp_path, text)) == 2


def test_a_missing_plan_file_and_one_that_is_not_utf8(tmp_path):
    with pytest.raises(PlanError) as missing:
        load_plan(tmp_path / "nowhere.toml")
    assert str(missing.value) == f"{tmp_path / 'nowhere.toml'}: not found"
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace('"Plan"', '"Kế hoạch"').encode("utf-8")[:40] + b"\xff\n")
    with pytest.raises(PlanError) as bad:
        load_plan(path)
    # The bad byte follows "[plan]", the id, the title and "s": it is on line 4.
    assert bad.value.lines() == [f"{path}:4: the plan file is not UTF-8 text"]


def test_a_byte_order_mark_is_tolerated(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_plan(path).id == "p"


def test_a_misspelt_table_name_written_as_a_dotted_key_is_found_on_its_line(tmp_path):
    text = GOOD.replace("[indicators.sources]\ndocuments", "source.documents")
    found = problems(tmp_path, text)
    assert found[0].startswith("22:1: indicators[0].source: unknown key")


def test_an_id_that_is_not_a_string_is_a_located_problem(tmp_path):
    text = GOOD.replace('id = "NV1"', 'id = ["NV1"]').replace('id = "docs"', "id = { x = 1 }")
    assert problems(tmp_path, text) == [
        "8:1: tasks[0].id: expected a non-empty string, found an array",
        "17:1: indicators[0].id: expected a non-empty string, found a table",
    ]


def test_a_plan_needs_a_task(tmp_path):
    text = GOOD.split("[[tasks]]")[0]
    # No line: there is no [[tasks]] to point at.
    assert problems(tmp_path, text) == [
        " tasks: a plan needs at least one task ([[tasks]] with id and title)"
    ]
