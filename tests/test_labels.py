"""Labels for the codes of columns (``[labels.<column>]``): read from the plan, carried to the
results' breakdowns, shown by the reports for people, and kept out of the JSON's codes."""

from __future__ import annotations

import json

from conftest import indicator, plan_text

from vpcp_indicators import report_from_dict
from vpcp_indicators.evaluation import Report
from vpcp_indicators.plan.jsonform import plan_from_dict, plan_to_dict
from vpcp_indicators.plan.reading import load_plan

LABELS = {
    "counterpart_kind": {"corporation_91": "Tổng công ty 91"},
    "issuer": {"prime_minister": {"vi": "Thủ tướng Chính phủ", "en": "Prime Minister"}},
}
DOCUMENTS = indicator("e_document_dispatch", {"documents": "documents.csv"})


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
