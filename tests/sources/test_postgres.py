"""PostgreSQL sources, read from a throw-away cluster (see tests/pgcluster.py): the seed
plan's records loaded into tables give the report the files give, with both backends,
whatever a table's, a column's or a query's text holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import SEED_PLAN, toml_value
from pgcluster import DATA, FILES

from vpcp_indicators import Engine

pytestmark = pytest.mark.postgres

DATES = [dt.date(year, 12, 31) for year in range(2011, 2016)]


def _plan(tmp_path: Path, sources: dict[str, str]) -> Path:
    """The seed plan with some of its files replaced by the TOML of database sources."""
    text = SEED_PLAN.read_text("utf-8")
    for name, written in sources.items():
        text = text.replace(f'"data/{FILES[name]}"', written)
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    (tmp_path / "data").symlink_to(DATA)
    return path


def _tables(url: str, schema: str) -> dict[str, str]:
    return {n: f'{{ url = "{url}", table = "{schema}.{n}" }}' for n in FILES}


def _warnings(evaluations):
    for evaluation in evaluations:
        for result in evaluation["indicators"]:
            yield from result["warnings"]


def _comparable(report, shifted=(), warnings: bool = True):
    """The evaluations, each warning without its file's name (a table is named by its URL);
    the rows of the ``shifted`` sources' CSV files numbered as a table's records are (the
    header is a file's row 1)."""
    evaluations = report.to_dict()["evaluations"]
    for warning in _warnings(evaluations):
        del warning["file"], warning["message"]
        if warning["source"] in shifted and FILES[warning["source"]].endswith(".csv"):
            warning["rows"] = [row - 1 for row in warning["rows"]]
    if not warnings:
        for evaluation in evaluations:
            for result in evaluation["indicators"]:
                result["warnings"] = []
    return evaluations


@pytest.fixture(scope="module")
def files_report():
    return Engine().evaluate(SEED_PLAN, DATES, backend="python")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_seed_records_in_tables_give_the_files_report(tmp_path, seed_db, files_report, backend):
    url = seed_db.url()
    report = Engine().evaluate(_plan(tmp_path, _tables(url, "public")), DATES, backend=backend)
    assert _comparable(report) == _comparable(files_report, shifted=FILES)
    bad_dates = [
        w for w in _warnings(report.to_dict()["evaluations"]) if w["problem"] == "bad_date"
    ]
    # A table is named by its URL and table, a record by its place in the key's order.
    assert bad_dates[0]["file"] == f"{url} [public.documents]"
    assert bad_dates[0]["rows"] == [2501]
    assert bad_dates[0]["message"].startswith(f"{url} [public.documents]: 1 row skipped")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_typed_columns_give_the_same_figures(tmp_path, seed_db, files_report, backend):
    report = Engine().evaluate(
        _plan(tmp_path, _tables(seed_db.url(), "typed")), DATES, backend=backend
    )
    assert _comparable(report, warnings=False) == _comparable(files_report, warnings=False)
    # The date a date column cannot hold was loaded as NULL: a missing date, not a bad one.
    problems = {(w["source"], w["problem"], w["count"]) for w in _warnings(_comparable(report))}
    assert problems == {("documents", "missing_value", 1), ("trainings", "unknown_key", 1)}


def test_a_query_with_a_columns_map(tmp_path, seed_db, files_report):
    query = (
        "select doc_id, issued_on as ngay, issuer, classification, channel"
        " from public.documents where issuer <> 'nobody' order by line"
    )
    written = toml_value({"url": seed_db.url(), "query": query, "columns": {"issued_on": "ngay"}})
    report = Engine().evaluate(_plan(tmp_path, {"documents": written}), DATES)
    assert _comparable(report) == _comparable(files_report, shifted={"documents"})


# Hostile text in a table's name, a column map and a query: each reaches PostgreSQL quoted.
HOSTILE_TABLE = "van\"ban'; DROP TABLE public.documents; --"
HOSTILE_COLUMNS = {
    "issued_on": 'ngày"; DROP TABLE public.staff; --',
    "issuer": "co'quan %s %(x)s $1 ?",
    "channel": "HìnhThức",  # unquoted, PostgreSQL would fold it to lower case
}
HOSTILE_QUERY = (
    "select doc_id, issued_on, issuer, classification, channel from public.documents"
    " where issuer <> 'x''; drop table public.documents; --'"
    " and channel <> '50%s %(x)s' /* ; drop table public.staff */ order by line"
)


def _counts(postgres) -> dict[str, int]:
    with postgres.admin() as admin:
        return {
            table: admin.execute(f"SELECT count(*) FROM public.{table}").fetchone()[0]
            for table in FILES
        }


def test_hostile_names_and_queries_reach_the_database_quoted(tmp_path, seed_db, files_report):
    from psycopg import sql

    before = _counts(seed_db)
    renamed = [
        sql.SQL("{} AS {}").format(sql.Identifier(c), sql.Identifier(HOSTILE_COLUMNS.get(c, c)))
        for c in ["line", "doc_id", "issued_on", "issuer", "classification", "channel"]
    ]
    with seed_db.admin() as admin:
        admin.execute(
            sql.SQL("CREATE TABLE {} AS SELECT {} FROM public.documents").format(
                sql.Identifier("hostile", HOSTILE_TABLE), sql.SQL(", ").join(renamed)
            )
        )
        admin.execute(
            sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (line)").format(
                sql.Identifier("hostile", HOSTILE_TABLE)
            )
        )
    url = seed_db.url()
    table = {"url": url, "table": f"hostile.{HOSTILE_TABLE}", "columns": HOSTILE_COLUMNS}
    query = {"url": url, "query": HOSTILE_QUERY}
    expected = _comparable(files_report, shifted={"documents"})
    for source in (table, query):
        report = Engine().evaluate(_plan(tmp_path, {"documents": toml_value(source)}), DATES)
        assert _comparable(report) == expected, source
        (tmp_path / "data").unlink()
    assert _counts(seed_db) == before
