"""A count compiled to one SQL query gives, at every date and for every group, the figures the
reference gives, on every engine at hand."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import Counter, defaultdict

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp
from test_sql_conditions import DAYS, INDEX, conditions, rows

from vpcp_indicators.backends.python.conditions import Context, compile_condition
from vpcp_indicators.kinds.counting import Count, In, OnOrBefore
from vpcp_indicators.sql.counts import count_sql
from vpcp_indicators.windows import Window

counts = st.builds(
    Count,
    st.just("things"),
    population=conditions,
    numerator=conditions,
    excluded=st.lists(st.tuples(st.sampled_from(["secret", "draft"]), conditions), max_size=2).map(
        lambda found: list(dict(found).items())
    ),
    group_by=st.sampled_from([None, "a", "b"]),
)
dates = st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)


def reference(count: Count, found: list, days: list[dt.date]) -> dict:
    """The figures as the Python backend works them out, by (date, group)."""
    figures: dict = {}
    for i, day in enumerate(days):
        context = Context(day, _window(day), {})

        def test(condition, context=context):
            return compile_condition(condition, INDEX, context)

        population, numerator = test(count.population), test(count.numerator)
        reasons = [(r, test(c)) for r, c in count.excluded]
        groups: defaultdict = defaultdict(lambda: [0, 0, Counter()])
        for row in found:
            if not population(row):
                continue
            key = None if count.group_by is None else row[INDEX[count.group_by]]
            group = groups[key]
            reason = next((r for r, t in reasons if t(row)), None)
            if reason is not None:
                group[2][reason] += 1
                continue
            group[0] += 1
            group[1] += 1 if numerator(row) else 0
        for key, (den, num, left) in groups.items():
            figures[i, key] = (den, num, tuple(left[r] for r, _ in count.excluded))
    return figures


def _window(day: dt.date) -> Window:
    return Window("year", day.replace(month=1, day=1), day)


def from_sql(count: Count, result: list, grouped: bool) -> dict:
    figures = {}
    for i, key, den, num, problem, _, _, *left in result:
        assert problem is None  # no fault is asked for
        assert grouped or key is None
        figures[i, key] = (den or 0, num or 0, tuple(x or 0 for x in left))
    return figures


def run(count: Count, found: list, days: list[dt.date], engine: str) -> dict:
    as_text = engine == "sqlite"
    spans = [(d, _window(d).start, _window(d).end) for d in days]
    if as_text:
        spans = [tuple(x.isoformat() for x in span) for span in spans]
    made = count_sql(
        count,
        exp.to_table("t").as_("r"),
        spans,
        lambda name: exp.column(name, table="r", quoted=True),
    )
    sql = made.sql(engine)
    values = {n: v for n, v in made.params.values.items() if re.search(rf"[$:]{n}\b", sql)}
    if engine == "sqlite":
        con = sqlite3.connect(":memory:")
        con.execute("CREATE TABLE t (a TEXT, b TEXT, d TEXT)")
        text = [(a, b, None if d is None else d.isoformat()) for a, b, d in found]
        con.executemany("INSERT INTO t VALUES (?, ?, ?)", text)
        result = con.execute(sql, values).fetchall()
    else:
        con = duckdb.connect()
        con.execute("CREATE TABLE t (a VARCHAR, b VARCHAR, d DATE)")
        if found:
            con.executemany("INSERT INTO t VALUES (?, ?, ?)", found)
        result = con.execute(sql, values).fetchall()
    # A group with no record of the population at a date is not a figure: the reference
    # does not list it either.
    figures = from_sql(count, result, made.grouped)
    return {k: v for k, v in figures.items() if v[0] or v[1] or any(v[2])}


@settings(max_examples=200, deadline=None)
@given(counts, rows, dates)
def test_every_engine_counts_as_the_reference_does(count, found, days):
    found = [tuple(None if v == "" else v for v in row) for row in found]
    expected = {k: v for k, v in reference(count, found, days).items() if v[0] or any(v[2])}
    assert run(count, found, days, "duckdb") == expected
    assert run(count, found, days, "sqlite") == expected


def test_one_query_for_every_date_returns_a_row_per_date_and_group():
    found = [("done", None, dt.date(2012, 5, 1)), ("open", None, dt.date(2012, 7, 1))]
    count = Count("t", OnOrBefore("d"), In("a", ["done"]), group_by="a")
    days = [dt.date(2012, 6, 30), dt.date(2012, 12, 31)]
    # By hand: on 30 June only the first is in scope; at the end of the year both are.
    assert run(count, found, days, "duckdb") == {
        (0, "done"): (1, 1, ()),
        (1, "done"): (1, 1, ()),
        (1, "open"): (1, 0, ()),
    }
