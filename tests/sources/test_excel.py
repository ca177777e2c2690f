"""Workbook sources: the sheet, the header, cells as text, rows numbered as Excel shows them."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from vpcp_indicators import Engine, SourceError
from vpcp_indicators.sources import workbook
from vpcp_indicators.sources.workbook import WorkbookReader, cell_text, column_letters
from vpcp_indicators.testing import indicator, plan_text

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("python_calamine")

SEED = Path(__file__).resolve().parents[2] / "plans"


def book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook of these sheets, in order, each a list of rows from row 1 (None: no cell)."""
    made = openpyxl.Workbook()
    made.remove(made.active)
    for name, rows in sheets.items():
        sheet = made.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for letter, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(number, letter, value)
    made.save(path)
    return path


def test_cells_become_the_text_the_checks_read(tmp_path):
    path = book(
        tmp_path / "a.xlsx",
        {
            "s": [
                ["a", "b", "c"],
                [dt.date(2013, 5, 2), dt.datetime(2013, 5, 2), dt.datetime(2013, 5, 2, 14, 30)],
                [3.0, 0.75, 12],
                [1e20, -0.0, True],
                ["2013-05-02", " x ", None],
                [dt.time(14, 30), dt.timedelta(hours=26, minutes=5), False],
                ["", "=1+1", "0012"],
            ]
        },
    )
    assert list(WorkbookReader().rows(path, ["a", "b", "c"])) == [
        (2, ("2013-05-02", "2013-05-02", "2013-05-02 14:30:00")),
        (3, ("3", "0.75", "12")),
        (4, ("1e+20", "0", "TRUE")),
        (5, ("2013-05-02", " x ", "")),
        (6, ("14:30:00", "26:05:00", "FALSE")),
        # A formula saved without its value (openpyxl computes none) is no value.
        (7, ("", "", "0012")),
    ]


def test_cell_text_whatever_the_library_gives():
    # python-calamine gives a midnight as a date already; another version, or an .ods
    # date-and-time, may give it as a datetime.
    assert [
        cell_text(v)
        for v in (
            dt.datetime(2013, 5, 2),
            dt.datetime(2013, 5, 2, 0, 0, 1),
            dt.timedelta(seconds=-90.5),
            7,
            2.5e-7,
            None,
        )
    ] == ["2013-05-02", "2013-05-02 00:00:01", "-0:01:30.500000", "7", "2.5e-07", ""]


def test_rows_are_numbered_as_excel_shows_them_and_blank_rows_are_skipped(tmp_path):
    # The header on row 3, in columns B to C; row 5 wholly blank; row 7 holds only a note in
    # a column with no header, so it is blank too.
    path = book(
        tmp_path / "a.xlsx",
        {
            "s": [
                [],
                [],
                [None, "id", "day"],
                [None, "A", "2013-01-02"],
                [],
                [None, "B", None],
                [None, None, None, "note"],
                [None, None, "2013-01-03"],
            ]
        },
    )
    reader = WorkbookReader()
    assert reader.columns(path) == ["id", "day"]
    assert list(reader.rows(path, ["day", "id"])) == [
        (4, ("2013-01-02", "A")),
        (6, ("", "B")),
        (8, ("2013-01-03", "")),
    ]


def test_the_sheet_named_or_else_the_first(tmp_path):
    path = book(tmp_path / "a.xlsx", {"2012": [["x"], ["first"]], "2013": [["x"], ["named"]]})
    reader = WorkbookReader()
    assert list(reader.rows(path, ["x"])) == [(2, ("first",))]
    assert list(reader.rows(path, ["x"], sheet="2013")) == [(2, ("named",))]


def test_a_sheet_that_is_not_there_is_one_line_naming_the_sheets(tmp_path):
    path = book(tmp_path / "a.xlsx", {"2012": [["x"]], "Họp\nmới": [["x"]]})
    with pytest.raises(SourceError) as raised:
        WorkbookReader().columns(path, sheet="2014")
    [line] = raised.value.lines()
    assert line == f"{path}: the workbook has no sheet '2014' (sheets: 2012, Họp\\nmới)"


def test_a_name_given_to_two_columns_refuses_the_file_by_their_letters(tmp_path):
    path = book(tmp_path / "a.xlsx", {"s": [[None, "id", "day", None, "id"]]})
    with pytest.raises(SourceError) as raised:
        WorkbookReader().columns(path)
    assert raised.value.lines() == [
        f"{path}:1: the header row gives one name to several columns (columns B, E)"
    ]


def test_a_column_without_a_header_is_not_a_column(tmp_path):
    path = book(tmp_path / "a.xlsx", {"s": [["id", None, 2013], ["A", "x", dt.date(2013, 1, 1)]]})
    reader = WorkbookReader()
    assert reader.columns(path) == ["id", "2013"]
    assert list(reader.rows(path, ["2013"])) == [(2, ("2013-01-01",))]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"id,day\n1,2\n", "not a readable workbook (damaged, or not of the kind its name"),
        (None, "the sheet is empty: a header row is needed"),
    ],
)
def test_a_file_that_is_not_a_usable_workbook_is_one_line(tmp_path, content, said):
    path = tmp_path / "a.xlsx"
    if content is None:
        book(path, {"s": []})
    else:
        path.write_bytes(content)
    with pytest.raises(SourceError) as raised:
        WorkbookReader().columns(path)
    [line] = raised.value.lines()
    assert said in line


def test_without_python_calamine_the_error_says_what_to_install(tmp_path, monkeypatch):
    path = book(tmp_path / "a.xlsx", {"s": [["x"]]})
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails
    with pytest.raises(SourceError) as raised:
        WorkbookReader().columns(path)
    assert raised.value.lines() == [
        f"{path}: reading a workbook needs python-calamine: pip install 'vpcp-indicators[excel]'"
    ]


def test_the_header_and_the_rows_load_the_sheet_once(tmp_path, monkeypatch):
    path = book(tmp_path / "a.xlsx", {"s": [["x"], ["1"]]})
    loads = []
    sheet = workbook._Sheet
    monkeypatch.setattr(workbook, "_Sheet", lambda *a: loads.append(a) or sheet(*a))
    reader = WorkbookReader()
    reader.columns(path)
    assert list(reader.rows(path, ["x"])) == [(2, ("1",))]
    assert len(loads) == 1


def test_column_letters():
    assert [column_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_warnings_name_rows_as_excel_shows_them(tmp_path, backend):
    header = ["meeting_id", "held_on", "chair", "counterpart_kind", "mode"]
    good = ["prime_minister", "ministry", "online"]
    book(
        tmp_path / "hop.xlsx",
        {
            "notes": [["not", "these"]],
            "2012": [
                header,
                ["M1", dt.date(2012, 3, 1), *good],
                [],  # row 3: blank, skipped without a warning
                ["M2", "2012-02-30", *good],  # row 4: no such day
                ["M3", dt.datetime(2012, 3, 1, 9, 0), *good],  # row 5: a time is no date
                ["M4", "2012-03-02", "prime_minister", None, "online"],  # row 6: missing
                ["M5", "2012-03-03", "prime_minister", "ministry", "in_person"],
            ],
        },
    )
    sources = {"meetings": {"path": "hop.xlsx", "sheet": "2012"}}
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text([indicator("online_meeting_coverage", sources)]), "utf-8")
    report = Engine().evaluate(plan, [dt.date(2012, 12, 31)], backend=backend)
    result = report.latest.indicators[0]
    assert (result.numerator, result.denominator) == (1, 2)
    assert [(w.file, w.problem, w.column, w.rows) for w in result.warnings] == [
        ("hop.xlsx [2012]", "bad_date", "held_on", (4, 5)),
        ("hop.xlsx [2012]", "missing_value", "counterpart_kind", (6,)),
    ]


def _as_sheet(path: Path) -> list[list[object]]:
    """A CSV file's rows as cells: dates as date cells, numbers as number cells; a date the
    calendar does not have stays text (the sample data has a few, to warn about)."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    cells: list[list[object]] = [list(rows[0])]
    for row in rows[1:]:
        out: list[object] = []
        for name, value in zip(rows[0], row, strict=True):
            if value and name.endswith("_on"):
                try:
                    out.append(dt.date.fromisoformat(value))
                except ValueError:
                    out.append(value)
            elif value and name in ("value", "percent_done"):
                out.append(float(value))
            else:
                out.append(value or None)
        cells.append(out)
    return cells


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_seed_plan_gives_the_same_figures_from_a_workbook(tmp_path, backend):
    shutil.copytree(SEED / "data", tmp_path / "data")
    names = ["meetings", "documents", "staff", "projects", "reports"]
    book(
        tmp_path / "data" / "sample.xlsx", {n: _as_sheet(SEED / "data" / f"{n}.csv") for n in names}
    )
    text = (SEED / "vpcp-2011-2015.toml").read_text("utf-8")
    # The meetings from the first sheet, as a plain file name; the others by sheet.
    text = text.replace('"data/meetings.csv"', '"data/sample.xlsx"')
    for name in names[1:]:
        text = text.replace(
            f'"data/{name}.csv"', f'{{ path = "data/sample.xlsx", sheet = "{name}" }}'
        )
    assert '.csv"' not in text
    (tmp_path / "plan.toml").write_text(text, "utf-8")
    shutil.copy(SEED / "vpcp-2011-2015.toml", tmp_path / "csv.toml")
    dates = [dt.date(year, 12, 31) for year in range(2011, 2016)]
    engine = Engine()
    expected = engine.evaluate(tmp_path / "csv.toml", dates, backend=backend).figures()
    found = engine.evaluate(tmp_path / "plan.toml", dates, backend=backend).figures()
    assert _figures(found) == _figures(expected)
    # By hand from meetings.csv: 48 meetings in 2011 chaired by the Prime Minister with the
    # default counterparts, 12 of them online or hybrid.
    first = found["evaluations"][0]["indicators"][0]
    assert (first["id"], first["numerator"], first["denominator"]) == ("online-meetings", 12, 48)


def _figures(report: dict) -> list:
    """What the data decides: each indicator's figures, breakdown, status and data warnings
    (row numbers included, the name of the file left out), every year."""
    keys = ("id", "value", "numerator", "denominator", "breakdown", "excluded", "status")
    return [
        [
            {
                **{k: r.get(k) for k in keys},
                "warnings": [{**w, "file": None, "message": None} for w in r.get("warnings", [])],
            }
            for r in evaluation["indicators"]
        ]
        for evaluation in report["evaluations"]
    ]


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="2013">
<table:table-row>
 <table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell>
 <table:table-cell office:value-type="string"><text:p>day</text:p></table:table-cell>
</table:table-row>
<table:table-row>
 <table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
 <table:table-cell office:value-type="date" office:date-value="2013-05-02"><text:p>2/5</text:p>
 </table:table-cell>
</table:table-row>
<table:table-row table:number-rows-repeated="2">
 <table:table-cell table:number-columns-repeated="2"/>
</table:table-row>
<table:table-row>
 <table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p>
 </table:table-cell>
 <table:table-cell office:value-type="date" office:date-value="2013-05-02T14:30:00">
  <text:p>2/5 14:30</text:p></table:table-cell>
</table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods(path: Path, content: str) -> Path:
    """An OpenDocument spreadsheet written by hand: no maintained library here writes one."""
    with zipfile.ZipFile(path, "w") as made:
        made.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        made.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        made.writestr("content.xml", content)
    return path


def test_an_opendocument_spreadsheet_is_read_alike(tmp_path):
    # As LibreOffice writes it: two blank rows written once, repeated, and no space between
    # tags (calamine reads no other).
    path = ods(tmp_path / "a.ods", re.sub(r">\s+<", "><", ODS_CONTENT))
    reader = WorkbookReader()
    assert reader.columns(path, sheet="2013") == ["id", "day"]
    assert list(reader.rows(path, ["id", "day"])) == [
        (2, ("3", "2013-05-02")),
        (5, ("TRUE", "2013-05-02 14:30:00")),
    ]


def test_a_damaged_workbook_is_refused_without_quoting_it(tmp_path):
    # calamine's own message would quote the stray text; the file may be a secret export.
    content = re.sub(r">\s+<", "><", ODS_CONTENT).replace(
        "<table:table-cell", "s3cret<table:table-cell", 1
    )
    path = ods(tmp_path / "a.ods", content)
    with pytest.raises(SourceError) as raised:
        WorkbookReader().columns(path)
    assert raised.value.lines() == [
        f"{path}: not a readable workbook (damaged, or not of the kind its name says)"
    ]
