"""Compiled to SQL, a condition keeps the rows the reference keeps, on every engine at hand."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from vpcp_indicators.backends.python.conditions import Context, compile_condition
from vpcp_indicators.kinds.counting import (
    After,
    AllOf,
    Always,
    AnyOf,
    Condition,
    Empty,
    In,
    InWindow,
    Not,
    OnOrBefore,
)
from vpcp_indicators.sql import Params, condition_sql
from vpcp_indicators.windows import Window

TEXTS = ("x", "y", "z'); DROP TABLE t; --", "")
DAYS = [dt.date(2012, 1, 1) + dt.timedelta(days=n) for n in range(0, 366, 30)]
INDEX = {"a": 0, "b": 1, "d": 2}

leaves = st.one_of(
    st.just(Always()),
    st.builds(In, st.sampled_from(["a", "b"]), st.frozensets(st.sampled_from(TEXTS))),
    st.builds(Empty, st.sampled_from(["a", "b", "d"])),
    st.builds(OnOrBefore, st.just("d")),
    st.builds(After, st.just("d")),
    st.builds(InWindow, st.just("d")),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(AllOf, st.lists(inner, max_size=3)),
        st.builds(AnyOf, st.lists(inner, max_size=3)),
        st.builds(Not, inner),
    ),
    max_leaves=8,
)
rows = st.lists(
    st.tuples(
        st.sampled_from([*TEXTS, None]),
        st.sampled_from([*TEXTS, None]),
        st.sampled_from([*DAYS, None]),
    ),
    max_size=12,
)


def kept_by_python(condition: Condition, found: list, day: dt.date, window: Window) -> set[int]:
    test = compile_condition(condition, INDEX, Context(day, window, {}))
    return {i for i, row in enumerate(found) if test(row)}


def query(condition: Condition, dialect: str) -> tuple[str, dict]:
    params = Params()
    day, start, end = params.add("day"), params.add("start"), params.add("end")
    where = condition_sql(
        condition,
        lambda name: exp.column(name, quoted=True),
        params,
        day=day,
        window=(start, end),
    )
    sql = exp.select("id").from_("t").where(where).sql(dialect=dialect)
    return sql, params.values


def bind(sql: str, values: dict, day: dt.date, window: Window, as_text: bool) -> dict:
    """The values of the placeholders the statement holds (DuckDB refuses any other)."""
    dates = {"day": day, "start": window.start, "end": window.end}
    bound = {}
    for name, value in values.items():
        if not re.search(rf"[$:]{name}\b", sql):
            continue
        if value in dates:  # the three placeholders for dates come first
            value = dates[value]
            value = value.isoformat() if as_text else value
        bound[name] = value
    return bound


def kept_by_duckdb(condition: Condition, found: list, day: dt.date, window: Window) -> set[int]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id INTEGER, a VARCHAR, b VARCHAR, d DATE)")
    if found:
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [(i, *r) for i, r in enumerate(found)])
    sql, values = query(condition, "duckdb")
    return {row[0] for row in con.execute(sql, bind(sql, values, day, window, False)).fetchall()}


def kept_by_sqlite(condition: Condition, found: list, day: dt.date, window: Window) -> set[int]:
    # SQLite has no dates: ISO text compares as the dates do.
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (id INTEGER, a TEXT, b TEXT, d TEXT)")
    text = [(i, a, b, None if d is None else d.isoformat()) for i, (a, b, d) in enumerate(found)]
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", text)
    sql, values = query(condition, "sqlite")
    return {row[0] for row in con.execute(sql, bind(sql, values, day, window, True)).fetchall()}


@settings(max_examples=300, deadline=None)
@given(conditions, rows, st.sampled_from(DAYS))
def test_every_engine_keeps_the_rows_the_reference_keeps(condition, found, day):
    window = Window("year", day.replace(month=1, day=1), day)
    # The reference reads an empty text as no value, as the reading contract says.
    cleaned = [tuple(None if v == "" else v for v in row) for row in found]
    expected = kept_by_python(condition, cleaned, day, window)
    assert kept_by_duckdb(condition, cleaned, day, window) == expected
    assert kept_by_sqlite(condition, cleaned, day, window) == expected


def test_a_plans_values_reach_sql_only_as_parameters():
    sql, values = query(In("a", ["x'); DROP TABLE t; --"]), "sqlite")
    assert "DROP" not in sql
    assert list(values.values())[-1] == "x'); DROP TABLE t; --"


def test_each_dialect_writes_its_own_placeholders():
    condition = In("a", ["x"]) & OnOrBefore("d")
    assert "$p3" in query(condition, "duckdb")[0]
    assert ":p3" in query(condition, "sqlite")[0]
    assert "%(p3)s" in query(condition, "postgres")[0]
