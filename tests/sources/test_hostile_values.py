"""A plan's values reach each database only as bound parameters or quoted literals: hostile
strings among a kind's parameters (quotes, a statement after a semicolon, each driver's
placeholder) are compared as the text they are, in SQLite, PostgreSQL and Spark, with the
figures the Python engine gives reading the rows, and nothing in the database changes."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import indicator, plan_text
from pgcluster import DATA
from sparksession import URL, view
from test_spark import _records

from vpcp_indicators import Engine

HOSTILE = ["normal", "x'); DROP TABLE documents; --", "%s", "%(p0)s", ":p0", "$1", "?", "'"]
DATES = [dt.date(2012, 12, 31), dt.date(2015, 12, 31)]
#: Records that hold the hostile values: counted only if each is compared as written.
EXTRA = [
    ["H1", "2015-03-01", "'; --", "x'); DROP TABLE documents; --", "electronic"],
    ["H2", "2015-03-02", "%", "%(p0)s", "paper"],
    ["H3", "2015-03-03", "government", "$1", "electronic"],
]


def _rows() -> tuple[list[str], list[list]]:
    header, rows = _records(DATA / "documents.csv")
    return header, rows + EXTRA


def _both(tmp_path, source) -> dict:
    plan = tmp_path / "plan.toml"
    params = {"open_classifications": HOSTILE, "issuers": ["government", "'; --", "%"]}
    plan.write_text(plan_text([indicator("e_document_dispatch", {"documents": source},
                                         params=params)]), "utf-8")  # fmt: skip
    found = [Engine().evaluate(plan, DATES, backend=b).figures() for b in ("python", "duckdb")]
    assert found[1] == found[0]
    result = found[0]["evaluations"][1]["indicators"][0]
    # The three records of hostile values are in the population, compared as written.
    assert result["denominator"] > 3
    return result


def test_sqlite(tmp_path):
    header, rows = _rows()
    path = tmp_path / "records.sqlite"
    with sqlite3.connect(path) as con:
        con.execute(f"CREATE TABLE documents ({', '.join(header)})")
        con.executemany(f"INSERT INTO documents VALUES ({', '.join('?' * len(header))})", rows)
    _both(tmp_path, {"url": f"sqlite:{path}", "table": "documents"})
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(rows)


def test_postgresql(tmp_path, seed_db):
    header = _rows()[0]
    with seed_db.admin() as admin:
        admin.execute("CREATE TABLE public.documents_values AS SELECT * FROM public.documents")
        marks = ", ".join("%s" for _ in header)
        names = ", ".join(header)
        with admin.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO public.documents_values ({names}) VALUES ({marks})", EXTRA
            )
    _both(tmp_path, {"url": seed_db.url(), "table": "public.documents_values"})
    with seed_db.admin() as admin:
        (count,) = admin.execute("SELECT count(*) FROM public.documents").fetchone()
    assert count == len(_records(DATA / "documents.csv")[1])


@pytest.mark.spark
def test_spark(tmp_path, spark):
    header, rows = _rows()
    view(spark, "documents_values", header, rows, {})
    _both(tmp_path, {"url": URL, "table": "documents_values"})
    assert spark.sql("SELECT count(*) FROM documents_values").collect()[0][0] == len(rows)
