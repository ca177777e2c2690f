"""A source given as a table: its file or database, and the names its columns go by there."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import (
    Column,
    Count,
    Engine,
    In,
    Kind,
    OnOrBefore,
    Source,
    hookimpl,
    report_from_dict,
)
from vpcp_indicators.plan.reading import read_plan
from vpcp_indicators.plan.sourceref import SourceRef

THINGS = Source("things", [Column("state"), Column("on", type="date")])
DAY = dt.date(2012, 12, 31)


class Kinds:
    @hookimpl
    def register_kinds(self, register):
        def share_done(params):
            return Count(
                "things",
                population=In("state", ["done", "open"]) & OnOrBefore("on"),
                numerator=In("state", ["done"]),
                group_by="state",
            )

        register(Kind("share_done", "Done", [THINGS], count=share_done))


def engine(**options):
    return Engine(entry_points=False, plugins=[Kinds()], **options)


def write_plan(tmp_path, source):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([indicator("share_done", {"things": source})]), "utf-8")
    return path


@pytest.fixture
def vietnamese(tmp_path):
    """The records with the source's own column names: 3 done and 1 open by the end of
    2012, one done in 2013, and one row whose date cannot be read (row 7)."""
    rows = [
        {"trang_thai": s, "ngay": d}
        for s, d in [
            ("done", "2012-01-05"),
            ("open", "2012-03-01"),
            ("done", "2012-06-30"),
            ("done", "2012-12-31"),
            ("done", "2013-01-01"),
            ("done", "2012-13-01"),
        ]
    ]
    write_csv(tmp_path / "viec.csv", rows)
    return {"path": "viec.csv", "columns": {"state": "trang_thai", "on": "ngay"}}


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_kinds_columns_are_read_under_the_sources_names(tmp_path, vietnamese, backend):
    report = engine().evaluate(write_plan(tmp_path, vietnamese), [DAY], backend=backend)
    result = report.latest.indicator("ind")
    assert (result.numerator, result.denominator) == (3, 4)
    assert {g.key: (g.numerator, g.denominator) for g in result.breakdown} == {
        "done": (3, 3),
        "open": (0, 1),
    }
    (warning,) = result.warnings
    # The warning names the column as the kind reads it, the file as the plan writes it.
    assert (warning.file, warning.column, warning.rows) == ("viec.csv", "on", (7,))


def test_both_engines_give_the_same_report_for_a_mapped_source(tmp_path, vietnamese):
    path = write_plan(tmp_path, vietnamese)
    python = engine().evaluate(path, [DAY, dt.date(2013, 12, 31)], backend="python")
    duckdb = engine().evaluate(path, [DAY, dt.date(2013, 12, 31)], backend="duckdb")
    assert python.figures() == duckdb.figures()


def test_a_mapped_column_the_source_lacks_is_named_as_the_source_names_it(tmp_path, vietnamese):
    vietnamese["columns"]["on"] = "ngay_lam"
    (problem,) = engine().validate(write_plan(tmp_path, vietnamese))
    assert problem.message.endswith(":1: lacks column 'ngay_lam' that kind 'share_done' needs")


def test_a_column_named_as_the_kind_names_a_mapped_one_is_not_taken_for_it(tmp_path):
    # The file has the kind's name for the column, but the plan says to read another.
    write_csv(tmp_path / "viec.csv", [{"state": "done", "on": "2012-01-05"}])
    source = {"path": "viec.csv", "columns": {"on": "ngay"}}
    (problem,) = engine().validate(write_plan(tmp_path, source))
    assert problem.message.endswith(":1: lacks column 'ngay' that kind 'share_done' needs")


def test_a_column_named_like_the_kinds_but_mapped_away_is_not_read(tmp_path, vietnamese):
    # The file has a column "on", but the plan says the kind's "on" is "ngay_lam".
    write_csv(tmp_path / "viec.csv", [{"trang_thai": "done", "on": "2012-01-05", "ngay": ""}])
    vietnamese["columns"]["on"] = "ngay_lam"
    (problem,) = engine().validate(write_plan(tmp_path, vietnamese))
    assert problem.message.endswith(":1: lacks column 'ngay_lam' that kind 'share_done' needs")


def test_the_json_gives_the_source_as_written_and_reads_it_back(tmp_path, vietnamese):
    report = engine().evaluate(write_plan(tmp_path, vietnamese), [DAY])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["plan"]["indicators"][0]["sources"] == {"things": vietnamese}
    again = report_from_dict(data)
    assert again.plan.indicators[0].sources["things"].source_column("on") == "ngay"
    assert again.evaluations == report.evaluations


@pytest.mark.parametrize(
    ("source", "said"),
    [
        (
            {"path": "a.csv", "url": "sqlite:a.db", "table": "t"},
            "give the source's path or its url",
        ),
        ({"sheet": "2013"}, "give the source's path or its url, one of them"),
        ({"url": "sqlite:a.db"}, "give the database's table or a query, one of them"),
        ({"url": "sqlite:a.db", "table": "t", "query": "select 1"}, "table or a query, one of"),
        ({"path": "a.csv", "table": "t"}, "a table or a query is read from a database"),
        ({"url": "sqlite:a.db", "table": "t", "sheet": "s"}, "a sheet is read from a workbook"),
        ({"path": "a.csv", "columns": {"on": 3}}, "expected a column name, found an integer"),
        ({"path": "a.csv", "colums": {}}, "unknown key (allowed: columns, path, query, sheet"),
        ({"path": "a.csv", "timeout": 5}, "a timeout is for a database: give its url"),
        ({"url": "postgresql://db/x", "table": "t", "timeout": 0}, "must be greater than 0"),
    ],
)
def test_a_source_table_that_cannot_be_read_is_one_located_line(tmp_path, source, said):
    path = write_plan(tmp_path, source)
    _, problems = read_plan(path)
    assert problems, source
    assert said in problems[0].render()
    assert problems[0].render().startswith(f"{path}:")
    assert "indicators[0].sources.things" in problems[0].render()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://reader:hunter2@db.example/x",
        "postgres://:hunter2@db.example:5432/x",
        "postgresql://reader@db.example/x?sslmode=require&password=hunter2",
        "mysql://reader:hunter2@db.example/x",
    ],
)
def test_a_url_with_a_password_is_refused_without_echoing_it(tmp_path, url):
    path = write_plan(tmp_path, {"url": url, "table": "t"})
    _, problems = read_plan(path)
    (problem,) = [p.render() for p in problems]
    assert "indicators[0].sources.things.url: a url must not hold a password" in problem
    assert "PGPASSWORD" in problem
    assert "hunter2" not in problem


def test_a_database_source_is_named_without_a_password_even_if_made_in_code():
    ref = SourceRef(url="postgresql://reader:hunter2@db/x?password=hunter2", table="t")
    assert ref.name == "postgresql://reader:***@db/x?password=*** [t]"


def test_the_timeout_reaches_the_reader_and_the_json(tmp_path):
    source = {"url": "postgresql://reader@db/x", "table": "t", "timeout": 2.5}
    plan, problems = read_plan(write_plan(tmp_path, source))
    assert problems == []
    ref = plan.indicators[0].sources["things"]
    assert ref.options == {"table": "t", "timeout": 2.5}
    assert ref.written == {**source, "columns": {}}


def test_a_file_ending_like_a_databases_scheme_is_no_database(tmp_path):
    (tmp_path / "x.postgres").write_text("state,on\n", "utf-8")
    (problem,) = engine().validate(write_plan(tmp_path, "x.postgres"))
    assert "no reader for this kind of file" in problem.message


def test_a_database_no_reader_reads_is_named(tmp_path):
    path = write_plan(tmp_path, {"url": "mysql://reader@db/x", "table": "t"})
    (problem,) = engine().validate(path)
    assert "no reader for this kind of database (readers: " in problem.message
    assert problem.message.startswith("mysql://reader@db/x [t]:")


def test_a_plan_from_others_may_not_name_a_database(tmp_path):
    path = write_plan(tmp_path, {"url": "postgresql://reader@db/x", "table": "t"})
    problems = engine(trusted=False).validate(path)
    assert [p.message for p in problems] == [
        "an untrusted plan reads only files inside its folder, not a database"
    ]


def test_an_option_the_reader_does_not_take_is_one_located_line(tmp_path, vietnamese):
    vietnamese["sheet"] = "2013"
    path = write_plan(tmp_path, vietnamese)
    (problem,) = engine().validate(path)
    assert problem.message == "viec.csv [2013]: the csv reader takes no 'sheet'"
    assert problem.key == "indicators[0].sources.things"
