"""The Excel workbook: sheets, real numbers with formats, frozen headers, no formulas."""

from __future__ import annotations

import io

import pytest
from conftest import ONE_MEETING, indicator

from vpcp_indicators import Engine, RenderOptions

openpyxl = pytest.importorskip("openpyxl")


def test_a_summary_sheet_and_one_sheet_per_task(seed_report):
    data = Engine().render(seed_report, "xlsx", RenderOptions(lang="en"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "NV1", "NV2", "NV3", "NV4", "Breakdown"]
    summary = book["Summary"]
    assert summary.freeze_panes == "A2"
    assert [summary.cell(row=r, column=2).value for r in range(2, 7)] == [
        e.score for e in seed_report.evaluations
    ]
    nv1 = book["NV1"]
    assert nv1.freeze_panes == "A2"
    header = [c.value for c in nv1[1]]
    value = nv1.cell(row=2, column=header.index("Value") + 1)
    first = seed_report.evaluations[0].indicator("online-meetings")
    assert value.value == first.value and value.number_format == "0.0%"
    assert nv1.cell(row=2, column=header.index("Numerator") + 1).value == first.numerator
    # Three NV1 indicators at five dates.
    assert nv1.max_row == 1 + 3 * 5


def test_text_that_looks_like_a_formula_is_never_one(evaluate_plan):
    item = indicator(
        "online_meeting_coverage", {"meetings": "m.csv"}, task="@T1", title="=cmd|' /C calc'!A0"
    )
    tasks = [{"id": "@T1", "title": "+SUM(A1:A2)"}]
    report = evaluate_plan([item], {"m.csv": ONE_MEETING}, ["2012-12-31"], tasks=tasks)
    book = openpyxl.load_workbook(
        io.BytesIO(Engine().render(report, "xlsx", RenderOptions(lang="en")))
    )
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= {"=cmd|' /C calc'!A0", "+SUM(A1:A2)", "@T1"}
    assert all(c.data_type == "s" for c in risky)
