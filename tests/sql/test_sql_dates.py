"""The date test in SQL takes exactly the values the reading contract takes as dates, on
every engine at hand: SQLite, DuckDB and (when it runs) PostgreSQL."""

from __future__ import annotations

import sqlite3

import duckdb
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from vpcp_indicators.sources.checks import parse_date
from vpcp_indicators.sql.dates import is_iso_date

DIGIT = st.sampled_from("0123456789")
#: Texts near a date: digits and dashes in the right places, and anything else.
NEAR = st.one_of(
    st.builds(
        lambda y, m, d, sep: f"{y:04d}{sep}{m:02d}{sep}{d:02d}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.sampled_from(["-", "-", "-", "/", "."]),
    ),
    st.text(alphabet=st.sampled_from("0123456789-"), max_size=12),
    st.text(max_size=12),
)


def _test() -> exp.Expr:
    return exp.select(exp.alias_(is_iso_date(exp.column("v")), "ok")).from_("t")


def on_sqlite(values: list[str]) -> list[bool]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)")
    con.executemany("INSERT INTO t (v) VALUES (?)", [(v,) for v in values])
    sql = _test().order_by("n").sql(dialect="sqlite")
    return [bool(ok) for (ok,) in con.execute(sql)]


def on_duckdb(values: list[str]) -> list[bool]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (n INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    sql = _test().order_by("n").sql(dialect="duckdb")
    return [bool(ok) for (ok,) in con.execute(sql).fetchall()]


def expected(values: list[str]) -> list[bool]:
    return [parse_date(v) is not None for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(NEAR, min_size=1, max_size=20))
@example(["2012-02-29", "2100-02-29", "2000-02-29", "1900-02-29", "0000-01-01", "2011-02-30"])
@example(["2011-1-05", "\u0662\u0660\u0661\u0661-01-01", "2011-04-31", "9999-12-31"])
@example(["0001-01-01", "2011-12-3 ", "2011-12-31\n"])
def test_sqlite_and_duckdb_take_the_dates_the_contract_takes(values):
    values = [v.replace("\x00", "") for v in values]
    assert on_sqlite(values) == expected(values)
    assert on_duckdb(values) == expected(values)


def test_postgresql_takes_the_dates_the_contract_takes(postgres):
    # Every day of a leap year and of a common one, and the texts around them.
    values = [
        f"{y}-{m:02d}-{d:02d}"
        for y in ("2000", "1900", "2012", "2013", "0000")
        for m in range(0, 14)
        for d in range(0, 33)
    ]
    values += ["2011-1-05", "20110105", "2011-01-05 ", "abcd-ef-gh", "", "2011-0a-01"]
    admin = postgres.admin()
    with admin.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE t (n serial, v text)")
        cursor.executemany("INSERT INTO t (v) VALUES (%s)", [(v,) for v in values])
        cursor.execute(_test().order_by("n").sql(dialect="postgres"))
        found = [bool(ok) for (ok,) in cursor.fetchall()]
    admin.close()
    assert found == expected(values)
    assert sum(found) == 366 + 365 + 366 + 365  # the years 2000, 1900, 2012, 2013
