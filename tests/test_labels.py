"""Labels for the codes of columns (``[labels.<column>]``): read from the plan, carried to the
results' breakdowns, shown by the reports for people, and kept out of the JSON's codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import d, indicator, plan_text, write_csv

from vpcp_indicators import (
    Column,
    Engine,
    Group,
    Kind,
    Measurement,
    Source,
    hookimpl,
    report_from_dict,
)
from vpcp_indicators.evaluation import Report
from vpcp_indicators.plan.jsonform import plan_from_dict, plan_to_dict
from vpcp_indicators.plan.reading import load_plan

LABELS = {
    "counterpart_kind": {"corporation_91": "Tổng công ty 91"},
    "issuer": {"prime_minister": {"vi": "Thủ tướng Chính phủ", "en": "Prime Minister"}},
}
DOCUMENTS = indicator("e_document_dispatch", {"documents": "documents.csv"})
#: Two meetings with Corporation 91, one of them online, and one online with a ministry.
MEETINGS = (
    "meeting_id,held_on,chair,counterpart_kind,mode\n"
    "M1,2012-02-01,prime_minister,corporation_91,online\n"
    "M2,2012-03-01,prime_minister,corporation_91,in_person\n"
    "M3,2012-04-01,prime_minister,ministry,online\n"
)
COUNTERPARTS = {"counterpart_kind": {"corporation_91": {"vi": "Tổng công ty 91", "en": "Corp 91"}}}


def meetings_plan(tmp_path: Path, labels: dict | None = COUNTERPARTS, **plan: str) -> Path:
    """A plan of one indicator, the share of meetings held online, broken down by the kind
    of counterpart; labelled as told."""
    write_csv(tmp_path / "meetings.csv", MEETINGS)
    path = tmp_path / "plan.toml"
    items = [indicator("online_meeting_coverage", {"meetings": "meetings.csv"})]
    path.write_text(plan_text(items, plan=plan or None, labels=labels), "utf-8")
    return path


def meetings_report(tmp_path: Path, labels: dict | None = COUNTERPARTS, **plan: str) -> Report:
    return Engine().evaluate(meetings_plan(tmp_path, labels, **plan), [d("2012-12-31")])


def test_the_plan_json_carries_the_labels_and_reads_them_back(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([DOCUMENTS], labels=LABELS), "utf-8")
    plan = load_plan(path)
    data = json.loads(json.dumps(plan_to_dict(plan)))
    assert data["labels"] == LABELS
    again = plan_from_dict(data)
    assert again.labels == plan.labels
    assert again.label("issuer", "prime_minister", "en") == "Prime Minister"
    assert report_from_dict(Report(plan, ()).to_dict()).plan.labels == LABELS


def test_a_plan_without_labels_has_no_labels_in_its_json(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([DOCUMENTS]), "utf-8")
    assert "labels" not in plan_to_dict(load_plan(path))


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_breakdown_by_a_labelled_column_knows_its_column_and_keeps_its_codes(tmp_path, backend):
    plan = meetings_plan(tmp_path)
    report = Engine().evaluate(plan, [d("2012-12-31")], backend=backend)
    result = report.latest.indicator("ind")
    assert result.labelled_by == "counterpart_kind"
    assert [(g.key, g.numerator, g.denominator) for g in result.breakdown] == [
        ("corporation_91", 1, 2),
        ("ministry", 1, 1),
    ]
    data = json.loads(json.dumps(report.to_dict()))
    (found,) = data["evaluations"][0]["indicators"]
    assert found["labelled_by"] == "counterpart_kind"
    assert [g["group"] for g in found["breakdown"]] == ["corporation_91", "ministry"]
    assert data["plan"]["labels"] == COUNTERPARTS
    again = report_from_dict(data)
    assert again.evaluations == report.evaluations
    assert again.plan.labels == report.plan.labels


def test_a_breakdown_by_a_column_the_plan_does_not_label_says_no_column(tmp_path):
    report = meetings_report(tmp_path, labels={"issuer": {"government": "Chính phủ"}})
    assert report.latest.indicator("ind").labelled_by is None
    assert "labelled_by" not in report.to_dict()["evaluations"][0]["indicators"][0]


class ByState:
    """A host plugin whose kind computes in Python and says the column of its groups."""

    @hookimpl
    def register_kinds(self, register):
        def compute(records, window, params):
            rows = records["things"]
            done = [r for r in rows if r["state"] == "done"]
            groups = [Group("done", len(done), len(done)), Group("open", 0, len(rows) - len(done))]
            return Measurement(len(done), len(rows), breakdown=groups, breakdown_by="state")

        things = Source("things", [Column("state")])
        register(Kind("by_state", "By state", [things], compute=compute))


def test_a_kind_that_computes_in_python_may_name_the_column_of_its_groups(tmp_path):
    write_csv(tmp_path / "things.csv", "state\ndone\nopen\ndone\n")
    path = tmp_path / "plan.toml"
    items = [indicator("by_state", {"things": "things.csv"})]
    path.write_text(plan_text(items, labels={"state": {"done": "Xong"}}), "utf-8")
    engine = Engine(entry_points=False, plugins=[ByState()])
    result = engine.evaluate(path, [d("2012-12-31")], backend="python").latest.indicator("ind")
    assert (result.numerator, result.denominator, result.labelled_by) == (2, 3, "state")
