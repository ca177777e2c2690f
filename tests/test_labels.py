"""Labels for the codes of columns (``[labels.<column>]``): read from the plan, carried to the
results' breakdowns, shown by the reports for people, and kept out of the JSON's codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import d, indicator, plan_text, write_csv
from hostile import CONTROL, GROUP, LABEL, write_hostile_plan

from vpcp_indicators import (
    Column,
    Engine,
    Group,
    Kind,
    Measurement,
    RenderOptions,
    Source,
    hookimpl,
    load_plan,
    report_from_dict,
)
from vpcp_indicators.cli import cli
from vpcp_indicators.evaluation import Report
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.i18n import language
from vpcp_indicators.plan.jsonform import plan_from_dict, plan_to_dict

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


# -- what people read --------------------------------------------------------------------------


def breakdown_rows(markdown: str) -> list[str]:
    lines = markdown.splitlines()
    start = lines.index("| Group | Numerator | Denominator | Value |") + 2
    return lines[start : start + 2]


def test_markdown_shows_the_label_of_a_group_in_the_readers_language_and_the_code_else(
    tmp_path,
):
    report = meetings_report(tmp_path)
    english = Engine().render(report, "markdown", RenderOptions(lang="en"))
    assert breakdown_rows(english) == [
        "| Corp 91 | 1 | 2 | 50.0% |",
        "| ministry | 1 | 1 | 100.0% |",
    ]


def test_the_plans_language_chooses_the_label_when_the_reader_does_not(tmp_path):
    report = meetings_report(tmp_path, language="vi")
    page = Engine().render(report, "html", RenderOptions())
    # The code stays at hand, as the cell's title; an unlabelled code is shown as it is.
    assert '<td title="corporation_91">Tổng công ty 91</td>' in page
    assert "<td>ministry</td>" in page
    assert "Corp 91" not in page


def test_explain_names_a_labelled_value_by_its_label_then_its_code(tmp_path):
    plan = load_plan(meetings_plan(tmp_path))
    found = explain(Engine(), plan, "ind", d("2012-12-31"))
    assert (
        "counterpart_kind is Corp 91 (corporation_91), ministry, province, sector or "
        "state_group: 3 kept, 0 dropped" in render_explanation(found, language("en"))
    )
    assert (
        "counterpart_kind là Tổng công ty 91 (corporation_91), ministry, province, sector "
        "hoặc state_group: giữ 3, loại 0" in render_explanation(found, language("vi"))
    )


def test_a_hostile_label_is_shown_as_text(tmp_path):
    plan = write_hostile_plan(tmp_path, labelled=True)
    report = Engine().evaluate(plan, [d("2012-12-31")])
    markdown = Engine().render(report, "markdown", RenderOptions(lang="en"))
    assert (
        "| \\*\\[lbl\\](http\\://evil.example)\\*\\\\x1b\\[31m\\|"
        "\\<img src=x onerror=alert(1)>\\\\u202e | 1 | 1 | 100.0% |"
    ) in markdown.splitlines()
    assert CONTROL.findall(markdown.replace("\n", "")) == []
    page = Engine().render(report, "html", RenderOptions(lang="en"))
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'title="[grp](http://evil.example)\x1b[5m|&lt;b&gt;x&lt;/b&gt;\x9b"' in page
    found = explain(Engine(), load_plan(plan), report.plan.indicators[0].id, d("2012-12-31"))
    text = render_explanation(found, language("en"))
    assert CONTROL.findall(text.replace("\n", "")) == []
    assert "\\x1b[31m|<img src=x onerror=alert(1)>\\u202e ([grp]" in text
    assert LABEL not in text and GROUP not in text


# -- validate ---------------------------------------------------------------------------------


def test_validate_warns_of_labels_for_a_column_no_kind_reads_and_finds_the_plan_sound(
    tmp_path,
):
    labels = {**COUNTERPARTS, "isuer": {"government": "Chính phủ"}}
    path = meetings_plan(tmp_path, labels)
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {path}:22:1: labels.isuer: no indicator's kind reads a column 'isuer'"
    ]
    assert "plan 'test-plan' is sound" in result.stdout
    vi = CliRunner().invoke(cli, ["validate", str(path), "--lang", "vi"])
    assert vi.stderr.splitlines() == [
        f"cảnh báo: {path}:22:1: labels.isuer: không chỉ tiêu nào có loại đọc cột 'isuer'"
    ]
