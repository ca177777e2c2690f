"""Plans reading SQLite databases: the seed plan's data moved into a database gives the same
report, with both engines; what is wrong with a database source is one line, exit 2."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import SEED_PLAN

from vpcp_indicators import Engine
from vpcp_indicators.cli import cli

DATA = SEED_PLAN.parent / "data"
DATES = [dt.date(year, 12, 31) for year in range(2011, 2016)]


def load_seed_data(path):
    """A database with a TEXT table per sample file of the seed plan, rows in file order (an
    empty CSV field and a missing JSON key are NULL, as exports write them)."""
    connection = sqlite3.connect(path)
    for file in sorted(DATA.iterdir()):
        if file.suffix == ".csv":
            with open(file, encoding="utf-8", newline="") as stream:
                header, *rows = list(csv.reader(stream))
            records = [[v if v != "" else None for v in row] for row in rows]
        else:
            lines = [json.loads(line) for line in file.read_text("utf-8").splitlines()]
            header = list(dict.fromkeys(k for line in lines for k in line))
            records = [[line.get(k) for k in header] for line in lines]
        columns = ", ".join(f'"{c}" TEXT' for c in header)
        connection.execute(f'CREATE TABLE "{file.stem}" ({columns})')
        marks = ", ".join("?" for _ in header)
        connection.executemany(f'INSERT INTO "{file.stem}" VALUES ({marks})', records)
    connection.commit()
    connection.close()


def seed_plan_on(tmp_path, source=None):
    """The seed plan with each file replaced by a table of ``seed.sqlite`` (or ``source``
    of the file's stem)."""
    load_seed_data(tmp_path / "seed.sqlite")
    text = SEED_PLAN.read_text("utf-8")

    def table(match):
        stem = match.group(1)
        if source is not None:
            return source(stem)
        return f'{{ url = "sqlite:seed.sqlite", table = "{stem}" }}'

    text = re.sub(r'"data/(\w+)\.(?:csv|jsonl)"', table, text)
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    return path


def evaluations(plan, backend):
    """The evaluations of a report, each warning without the name of its file (which differs
    by source) and with its rows numbered as records (a CSV's first record is row 2)."""
    data = Engine().evaluate(plan, DATES, backend=backend).figures()["evaluations"]
    for evaluation in data:
        for indicator in evaluation["indicators"]:
            for warning in indicator["warnings"]:
                name = warning.pop("file")
                warning.pop("message")
                if name.endswith(".csv"):
                    warning["rows"] = [row - 1 for row in warning["rows"]]
    return data


@pytest.fixture(scope="module")
def from_files():
    return evaluations(SEED_PLAN, "python")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_seed_plan_on_sqlite_gives_the_report_it_gives_on_files(tmp_path, from_files, backend):
    plan = seed_plan_on(tmp_path)
    database = tmp_path / "seed.sqlite"
    stamp, before = database.stat().st_mtime_ns, hashlib.sha256(database.read_bytes()).digest()
    assert evaluations(plan, backend) == from_files
    assert any(i["warnings"] for e in from_files for i in e["indicators"])
    # Nothing was written: no journal beside it, the same bytes, the same time.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml", "seed.sqlite"]
    assert database.stat().st_mtime_ns == stamp
    assert hashlib.sha256(database.read_bytes()).digest() == before


def test_a_warning_names_the_database_and_its_table(tmp_path):
    report = Engine().evaluate(seed_plan_on(tmp_path), DATES).figures()
    files = {
        w["file"] for e in report["evaluations"] for i in e["indicators"] for w in i["warnings"]
    }
    assert files == {"sqlite:seed.sqlite [documents]", "sqlite:seed.sqlite [trainings]"}


def query_source(stem):
    """Each table read through a query that renames its first column, mapped back."""
    first = {
        "meetings": "meeting_id",
        "documents": "doc_id",
        "staff": "staff_id",
        "trainings": "staff_id",
        "projects": "project_id",
        "reports": "indicator",
    }[stem]
    query = f"SELECT *, {first} AS renamed FROM {stem} ORDER BY rowid"
    return (
        f'{{ url = "sqlite:seed.sqlite", query = "{query}", '
        f'columns = {{ {first} = "renamed" }}, timeout = 30 }}'
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_query_with_mapped_columns_gives_the_same_report(tmp_path, from_files, backend):
    plan = seed_plan_on(tmp_path, query_source)
    assert evaluations(plan, backend) == from_files


def validate(plan):
    return CliRunner().invoke(cli, ["validate", "--lang", "en", str(plan)])


def one_plan(tmp_path, source):
    """The seed plan with its first indicator's meetings read from ``source``."""
    path = seed_plan_on(tmp_path)
    text = path.read_text("utf-8").replace(
        '{ url = "sqlite:seed.sqlite", table = "meetings" }', source, 1
    )
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("source", "said"),
    [
        (
            '{ url = "sqlite:seed.sqlite", table = "hop" }',
            "sqlite:seed.sqlite [hop]: cannot read the database: no such table: hop",
        ),
        (
            '{ url = "sqlite:none.sqlite", table = "meetings" }',
            "sqlite:none.sqlite [meetings]: cannot open the source: not found",
        ),
        (
            '{ url = "sqlite:seed.sqlite", table = "meetings", columns = { mode = "hinh_thuc" } }',
            "sqlite:seed.sqlite [meetings]: lacks column 'hinh_thuc' that kind "
            "'online_meeting_coverage' needs",
        ),
        (
            '{ url = "sqlite:seed.sqlite", query = "select * from meetings; drop table staff" }',
            "sqlite:seed.sqlite: the query must be one SELECT, not 2 statements",
        ),
        (
            """{ url = "sqlite:seed.sqlite", query = "ATTACH 'x.db' AS x" }""",
            "sqlite:seed.sqlite: the query must be one SELECT",
        ),
        (
            '{ url = "sqlite:seed.sqlite", query = "select nope from meetings" }',
            "sqlite:seed.sqlite: cannot read the database: no such column: nope",
        ),
    ],
)
def test_what_is_wrong_with_a_database_source_is_one_line(tmp_path, source, said):
    result = validate(one_plan(tmp_path, source))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.endswith(said), line
    assert "Traceback" not in result.output
    assert not (tmp_path / "none.sqlite").exists() and not (tmp_path / "x.db").exists()


def test_a_query_past_its_timeout_stops_the_run_in_one_line(tmp_path):
    slow = (
        "with recursive c(x) as (select 1 union all select x + 1 from c) "
        "select meetings.* from meetings, c where x = 1000000000"
    )
    source = f'{{ url = "sqlite:seed.sqlite", query = "{slow}", timeout = 0.3 }}'
    plan = one_plan(tmp_path, source)
    assert validate(plan).exit_code == 0  # its columns are found without running it
    arguments = ["evaluate", "--lang", "en", "--as-of", "2012-12-31", str(plan)]
    for engine in ("python", "duckdb"):
        result = CliRunner().invoke(cli, [*arguments, "--engine", engine])
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            "sqlite:seed.sqlite: the database took longer than 0.3 seconds (the source's timeout)"
        ]


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ('{ path = "seed.sqlite", timeout = 5 }', "a timeout is for a database: give its url"),
        (
            '{ url = "sqlite:seed.sqlite", table = "meetings", timeout = 0 }',
            "must be greater than 0, found 0",
        ),
        ('"seed.sqlite"', "no reader for this kind of file (readers: .csv, .jsonl, .ods, .parquet"),
    ],
)
def test_a_timeout_is_for_a_database_and_a_database_file_is_no_plain_file(tmp_path, source, said):
    result = validate(one_plan(tmp_path, source))
    assert result.exit_code == 2
    assert said in result.stderr
