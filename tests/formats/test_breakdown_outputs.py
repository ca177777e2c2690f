"""The breakdowns in the terminal table, the ``csv-breakdown`` file and the xlsx sheet: by the
plan's labels for people, with the codes beside them for tools, escaped as the rest of each
format is."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics

import pytest
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
)
from vpcp_indicators.printable import printable

#: Two meetings with Corporation 91, one of them online, and one online with a ministry:
#: corporation_91 1/2, ministry 1/1, all 2/3.
MEETINGS = (
    "meeting_id,held_on,chair,counterpart_kind,mode\n"
    "M1,2012-02-01,prime_minister,corporation_91,online\n"
    "M2,2012-03-01,prime_minister,corporation_91,in_person\n"
    "M3,2012-04-01,prime_minister,ministry,online\n"
)
LABELS = {"counterpart_kind": {"corporation_91": {"vi": "Tổng công ty 91", "en": "Corp 91"}}}
DATES = [d("2012-06-30"), d("2012-12-31")]


def meetings(tmp_path, labels=LABELS, params=None, text=MEETINGS):
    """The share of meetings held online by kind of counterpart, at DATES."""
    write_csv(tmp_path / "meetings.csv", text)
    item = indicator(
        "online_meeting_coverage",
        {"meetings": "meetings.csv"},
        **({"params": params} if params else {}),
    )
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([item], labels=labels), "utf-8")
    return Engine().evaluate(path, DATES)


def render(report, name, lang="en", engine=None):
    return (engine or Engine()).render(report, name, RenderOptions(lang=lang))


# A kind whose groups are values alone: the median days of each agency's cases.
CASES = Source("cases", [Column("agency"), Column("days", type="number")])


def median_days(records, window, params):
    rows = records["cases"]
    groups = [
        Group(a, value=statistics.median(r["days"] for r in rows if r["agency"] == a))
        for a in sorted({r["agency"] for r in rows})
    ]
    days = statistics.median(r["days"] for r in rows)
    return Measurement(value=days, breakdown=groups, breakdown_by="agency")


class Kinds:
    @hookimpl
    def register_kinds(self, register):
        register(Kind("median_days", "Median days", [CASES], compute=median_days, unit="number"))


@pytest.fixture
def medians(tmp_path):
    """Medians by hand: GO 5; MOF 2 3 7 -> 3; MOJ 4 10 -> 7. The plan labels MOJ."""
    days = {"GO": [5], "MOF": [2, 7, 3], "MOJ": [10, 4]}
    write_csv(
        tmp_path / "cases.csv",
        [{"agency": a, "days": n} for a, values in days.items() for n in values],
    )
    item = indicator(
        "median_days",
        {"cases": "cases.csv"},
        targets=[{"by": "2015-12-31", "value": 3}],
        baseline={"on": "2011-01-01", "value": 9},
        direction="down",
    )
    path = tmp_path / "plan.toml"
    labels = {"agency": {"MOJ": {"vi": "Bộ Tư pháp", "en": "Ministry of Justice"}}}
    path.write_text(plan_text([item], labels=labels), "utf-8")
    engine = Engine(entry_points=False, plugins=[Kinds()])
    return engine, engine.evaluate(path, [dt.date(2013, 12, 31)])


# -- the terminal table ------------------------------------------------------------------------


def breakdown_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(("Breakdown", "Chi tiết")))
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_the_table_gives_the_latest_dates_breakdown_by_the_labels(tmp_path):
    report = meetings(tmp_path)
    english = render(report, "table")
    assert english.count("Breakdown on") == 1
    assert english.index("As of 2012-12-31") < english.index("Breakdown on")
    assert breakdown_section(english) == [
        "Breakdown on 2012-12-31:",
        "  ind by counterpart_kind: Corp 91 50.0% (1/2) · ministry 100.0% (1/1)",
    ]
    assert breakdown_section(render(report, "table", "vi")) == [
        "Chi tiết theo nhóm ngày 31/12/2012:",
        "  ind theo counterpart_kind: Tổng công ty 91 50,0 % (1/2) · ministry 100,0 % (1/1)",
    ]


def test_the_table_names_no_column_the_plan_does_not_label(tmp_path):
    report = meetings(tmp_path, labels=None)
    assert breakdown_section(render(report, "table")) == [
        "Breakdown on 2012-12-31:",
        "  ind: corporation_91 50.0% (1/2) · ministry 100.0% (1/1)",
    ]


def test_a_group_with_a_value_alone_is_shown_without_counts(medians):
    engine, report = medians
    assert breakdown_section(render(report, "table", engine=engine)) == [
        "Breakdown on 2013-12-31:",
        "  ind by agency: GO 5.00 · MOF 3.00 · Ministry of Justice 7.00",
    ]


def test_a_long_breakdown_wraps_between_groups_and_keeps_every_group(seed_report):
    text = render(seed_report, "table")
    section = breakdown_section(text)
    assert text.count("Breakdown on") == 1 and section[0] == "Breakdown on 2015-12-31:"
    assert all(len(line) <= 100 for line in section)
    # online-meetings has five groups: its first line, then lines indented under it.
    start = next(n for n, line in enumerate(section) if line.startswith("  online-meetings: "))
    lines = [section[start]]
    for line in section[start + 1 :]:
        if not line.startswith("      "):
            break
        lines.append(line)
    assert len(lines) > 1
    shown = " ".join(line.strip() for line in lines)
    groups = seed_report.latest.indicator("online-meetings").breakdown
    assert shown.count(" · ") == len(groups) - 1
    for group in groups:
        assert f"{group.key} " in shown


def test_a_hostile_label_or_code_reaches_the_table_escaped(tmp_path):
    report = Engine().evaluate(write_hostile_plan(tmp_path, labelled=True), [d("2012-12-31")])
    text = render(report, "table")
    assert CONTROL.findall(text.replace("\n", "")) == []
    assert f"{printable(LABEL)} 100.0% (1/1)" in text
    (tmp_path / "plain").mkdir()
    unlabelled = Engine().evaluate(write_hostile_plan(tmp_path / "plain"), [d("2012-12-31")])
    text = render(unlabelled, "table")
    assert CONTROL.findall(text.replace("\n", "")) == []
    assert f"{printable(GROUP)} 100.0% (1/1)" in text


# -- csv-breakdown -----------------------------------------------------------------------------


def test_csv_breakdown_gives_a_row_per_date_indicator_and_group(tmp_path):
    report = meetings(tmp_path)
    assert render(report, "csv-breakdown").splitlines() == [
        "Date,Indicator,Unit,Column,Group,Group label,Numerator,Denominator,Value",
        "2012-06-30,ind,ratio,counterpart_kind,corporation_91,Corp 91,1,2,0.5",
        "2012-06-30,ind,ratio,counterpart_kind,ministry,ministry,1,1,1.0",
        "2012-12-31,ind,ratio,counterpart_kind,corporation_91,Corp 91,1,2,0.5",
        "2012-12-31,ind,ratio,counterpart_kind,ministry,ministry,1,1,1.0",
    ]
    vi = list(csv.reader(io.StringIO(render(report, "csv-breakdown", "vi"))))
    assert vi[0] == [
        "Ngày",
        "Chỉ tiêu",
        "Đơn vị đo",
        "Cột",
        "Nhóm",
        "Tên nhóm",
        "Tử số",
        "Mẫu số",
        "Giá trị",
    ]
    assert vi[1][3:6] == ["counterpart_kind", "corporation_91", "Tổng công ty 91"]


def test_csv_breakdown_leaves_empty_what_is_not_known(tmp_path, medians):
    # A column the plan does not label is not known to the report.
    unlabelled = render(meetings(tmp_path, labels=None), "csv-breakdown").splitlines()
    assert unlabelled[1] == "2012-06-30,ind,ratio,,corporation_91,corporation_91,1,2,0.5"
    engine, report = medians
    assert render(report, "csv-breakdown", engine=engine).splitlines()[1:] == [
        "2013-12-31,ind,number,agency,GO,GO,,,5.0",
        "2013-12-31,ind,number,agency,MOF,MOF,,,3.0",
        "2013-12-31,ind,number,agency,MOJ,Ministry of Justice,,,7.0",
    ]


def test_csv_breakdown_holds_the_jsons_breakdowns_and_csv_keeps_its_columns(seed_report):
    rows = list(csv.DictReader(io.StringIO(render(seed_report, "csv-breakdown"))))
    expected = [
        (e["as_of"], i["id"], g)
        for e in seed_report.to_dict()["evaluations"]
        for i in e["indicators"]
        for g in i["breakdown"]
    ]
    assert len(rows) == len(expected) > 0
    for row, (as_of, found, group) in zip(rows, expected, strict=True):
        assert (row["Date"], row["Indicator"], row["Group"]) == (as_of, found, group["group"])
        assert (int(row["Numerator"]), int(row["Denominator"])) == (
            group["numerator"],
            group["denominator"],
        )
        assert float(row["Value"]) == group["value"]
    header = render(seed_report, "csv").splitlines()[0]
    assert header == (
        "Date,Indicator,Task,Kind,Title,Unit,Value,Numerator,Denominator,Expected,Target,"
        "Target date,Score,Status,Window start,Window end,Left out,Rows with data warnings,Error"
    )


FORMULA = '=HYPERLINK("http://x","y")'


def formulas(tmp_path):
    """Meetings with a counterpart kind '+cmd' and a ministry labelled with a formula."""
    text = MEETINGS.replace("corporation_91", "+cmd")
    labels = {"counterpart_kind": {"ministry": FORMULA}}
    return meetings(tmp_path, labels, {"counterpart_kinds": ["+cmd", "ministry"]}, text)


def test_csv_breakdown_keeps_a_formula_as_text(tmp_path):
    lines = render(formulas(tmp_path), "csv-breakdown").splitlines()
    assert lines[1] == "2012-06-30,ind,ratio,counterpart_kind,'+cmd,'+cmd,1,2,0.5"
    assert lines[2] == (
        '2012-06-30,ind,ratio,counterpart_kind,ministry,"\'=HYPERLINK(""http://x"",""y"")",1,1,1.0'
    )


# -- the xlsx sheet ----------------------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


def sheet(data: bytes, name: str):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def test_the_workbook_ends_with_a_sheet_of_the_breakdowns(tmp_path):
    report = meetings(tmp_path)
    book = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames == ["Summary", "T1", "Breakdown"]
    found = book["Breakdown"]
    assert found.freeze_panes == "A2"
    header = ["Date", "Indicator", "Unit", "Column", "Group", "Group label"]
    assert [c.value for c in found[1]] == [*header, "Numerator", "Denominator", "Value"]
    kind = ("ind", "ratio", "counterpart_kind")
    assert [[c.value for c in row] for row in found.iter_rows(min_row=2)] == [
        [dt.datetime(2012, 6, 30), *kind, "corporation_91", "Corp 91", 1, 2, 0.5],
        [dt.datetime(2012, 6, 30), *kind, "ministry", "ministry", 1, 1, 1.0],
        [dt.datetime(2012, 12, 31), *kind, "corporation_91", "Corp 91", 1, 2, 0.5],
        [dt.datetime(2012, 12, 31), *kind, "ministry", "ministry", 1, 1, 1.0],
    ]
    assert [c.number_format for c in found[2]] == [
        "yyyy-mm-dd",
        *["General"] * 5,
        "#,##0",
        "#,##0",
        "0.0%",
    ]
    vi = sheet(render(report, "xlsx", "vi"), "Chi tiết theo nhóm")
    assert [c.value for c in vi[2]][3:6] == [
        "counterpart_kind",
        "corporation_91",
        "Tổng công ty 91",
    ]


def test_the_breakdown_sheet_gives_a_value_alone_in_its_units_format(tmp_path, medians):
    engine, report = medians
    found = sheet(render(report, "xlsx", engine=engine), "Breakdown")
    rows = [[c.value for c in row] for row in found.iter_rows(min_row=2)]
    assert [row[4:] for row in rows] == [
        ["GO", "GO", None, None, 5],
        ["MOF", "MOF", None, None, 3],
        ["MOJ", "Ministry of Justice", None, None, 7],
    ]
    assert found.cell(row=2, column=9).number_format == "0.00"
    unlabelled = sheet(render(meetings(tmp_path, labels=None), "xlsx"), "Breakdown")
    assert unlabelled.cell(row=2, column=4).value is None


def test_the_breakdown_sheet_keeps_a_formula_as_text(tmp_path):
    found = sheet(render(formulas(tmp_path), "xlsx"), "Breakdown")
    cells = {c.value: c for row in found.iter_rows() for c in row}
    for text in ("+cmd", FORMULA):
        assert cells[text].data_type == "s" and cells[text].quotePrefix


def test_a_task_named_like_the_breakdown_sheet_keeps_its_own(tmp_path):
    write_csv(tmp_path / "meetings.csv", MEETINGS)
    item = indicator("online_meeting_coverage", {"meetings": "meetings.csv"}, task="Breakdown")
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([item], tasks=[{"id": "Breakdown", "title": "B"}]), "utf-8")
    report = Engine().evaluate(path, DATES)
    book = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert len(book.sheetnames) == 3 and book.sheetnames[:2] == ["Summary", "Breakdown"]
    # The task's sheet is the one by that name; the breakdowns' is the last, by another.
    assert book["Breakdown"]["C1"].value == "Task"
    assert book[book.sheetnames[2]]["E1"].value == "Group"
    assert book[book.sheetnames[2]]["E2"].value == "corporation_91"
