"""Spark SQL sources, read and counted by a local Spark (see tests/sparksession.py): the seed
records in views give the files' report with both backends; Spark's errors are one line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import SEED_PLAN
from pgcluster import DATA, FILES, _records
from sparksession import URL, view
from test_postgres import _plan

from vpcp_indicators import Engine, SourceError
from vpcp_indicators.sources.spark import SparkReader

pytestmark = pytest.mark.spark

DATES = [dt.date(2011, 12, 31), dt.date(2012, 12, 31), dt.date(2015, 12, 31)]


@pytest.fixture(scope="module")
def seed_views(spark):
    """The seed records as views: text columns, after a first column ``line`` (the row's
    line in its file, zero-padded) by which Spark numbers rows in file order; and ``typed_``
    views with dates as DATE and timestamps at midnight."""
    for name, file in FILES.items():
        header, rows = _records(DATA / file)
        lined = [[f"{n:06d}", *row] for n, row in enumerate(rows, start=1)]
        view(spark, name, ["line", *header], lined, {})
        dated = [c for c in header if c.endswith("_on")]
        types = {c: "timestamp" if c == dated[0] else "date" for c in dated}
        typed = [
            [_typed(v, types.get(c)) for v, c in zip(row, header, strict=True)] for row in rows
        ]
        view(spark, f"typed_{name}", header, typed, types)
    return spark


def _typed(value: str | None, kind: str | None) -> object:
    """A value as a typed column holds it: a date the column cannot hold is none."""
    if kind is None or value is None or not _iso(value):
        return value if kind is None else None
    day = dt.date.fromisoformat(value)
    return day if kind == "date" else dt.datetime(day.year, day.month, day.day)


def _iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _comparable(report, warnings: bool = True, shifted: bool = False):
    """The evaluations, warnings without their file's name; ``shifted``, a CSV's rows
    numbered as a view's (the header is a file's row 1)."""
    evaluations = report.to_dict()["evaluations"]
    for evaluation in evaluations:
        for result in evaluation["indicators"]:
            for warning in result["warnings"]:
                del warning["file"], warning["message"]
                if shifted and FILES[warning["source"]].endswith(".csv"):
                    warning["rows"] = [row - 1 for row in warning["rows"]]
            if not warnings:
                result["warnings"] = []
    return evaluations


@pytest.fixture(scope="module")
def files_report():
    return _comparable(Engine().evaluate(SEED_PLAN, DATES, backend="python"), shifted=True)


COUNTED = ("documents", "meetings", "staff", "trainings")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_seed_records_in_views_give_the_files_report(
    tmp_path, seed_views, files_report, backend
):
    sources = {n: f'{{ url = "{URL}", table = "{n}" }}' for n in COUNTED}
    report = Engine().evaluate(_plan(tmp_path, sources), DATES, backend=backend)
    assert _comparable(report) == files_report


def test_typed_columns_give_the_same_figures(tmp_path, seed_views, files_report):
    # Dates as DATE (a date the file cannot hold is none: its warning differs), the first
    # date column as TIMESTAMP at midnight, which is read as its date.
    sources = {n: f'{{ url = "{URL}", table = "typed_{n}" }}' for n in COUNTED}
    report = Engine().evaluate(_plan(tmp_path, sources), DATES)
    figures = _comparable(report, warnings=False)
    assert figures == _comparable_without_warnings(files_report)


def _comparable_without_warnings(evaluations):
    copied = json.loads(json.dumps(evaluations))
    for evaluation in copied:
        for result in evaluation["indicators"]:
            result["warnings"] = []
    return copied


def test_a_query_with_a_columns_map(tmp_path, seed_views, files_report):
    query = (
        "select doc_id as id, issued_on as ngay, issuer, classification, channel, line"
        " from documents"
    )
    source = (
        f'{{ url = "{URL}", query = "{query}", columns = {{ doc_id = "id", issued_on = "ngay" }} }}'
    )
    report = Engine().evaluate(_plan(tmp_path, {"documents": source}), DATES)
    assert _comparable(report) == files_report


def test_hostile_names_reach_spark_quoted(spark, tmp_path, files_report):
    header, rows = _records(DATA / "documents.csv")
    hostile = {"issuer": "co`quan'; drop", "channel": "kênh %s :p0 ?"}
    named = [hostile.get(c, c) for c in header]
    lined = [[f"{n:06d}", *row] for n, row in enumerate(rows, start=1)]
    view(spark, "hostile_base", ["line", *named], lined, {})
    spark.sql("CREATE OR REPLACE TEMP VIEW `van``ban; select 1` AS SELECT * FROM hostile_base")
    mapping = ", ".join(f'{k} = "{v}"' for k, v in hostile.items())
    source = f'{{ url = "{URL}", table = "van`ban; select 1", columns = {{ {mapping} }} }}'
    report = Engine().evaluate(_plan(tmp_path, {"documents": source}), DATES)
    assert _comparable(report) == files_report


def test_an_unknown_table_is_one_line_naming_the_source(spark):
    with pytest.raises(SourceError) as raised:
        SparkReader().columns(URL, table="no_such_table")
    (line,) = raised.value.lines()
    assert line.startswith(f"{URL} [no_such_table]: Spark refused the reading: ")
    assert "no_such_table" in line


def test_a_query_that_is_not_one_select_is_refused(spark):
    with pytest.raises(SourceError) as raised:
        SparkReader().columns(URL, query="drop table documents")
    assert raised.value.lines() == [f"{URL}: the query must be exactly one SELECT statement"]


def test_a_reading_past_its_timeout_is_cancelled(spark):
    slow = "select cast(a.id as string) as n from range(100000000) a cross join range(100000) b"
    rows = SparkReader().rows(URL, ["n"], query=slow, timeout=2)
    with pytest.raises(SourceError) as raised:
        next(iter(rows))
    assert raised.value.lines() == [
        f"{URL}: Spark did not answer within 2 seconds (the source's timeout)"
    ]
