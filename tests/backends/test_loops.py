"""The Python engine's generated tally loop does what the general feeder does, row for row:
the same tally, the same known keys, the same warnings with the same rows."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vpcp_indicators import Column, Source
from vpcp_indicators.backends.python.consumers import Consumer, Projections
from vpcp_indicators.backends.python.loops import loop_source
from vpcp_indicators.plan.sourceref import SourceRef

SOURCE = Source(
    "things",
    [
        Column("id"),
        Column("on", type="date"),
        Column("unit", required=False),
        Column("until", type="date", required=False),
        Column("state"),
    ],
)
VALUES = st.sampled_from(["", "A", "b", "2012-01-31", "2012-02-30", "2012-1-5", "2013-12-31"])
ROW = st.one_of(
    st.tuples(*[VALUES] * len(SOURCE.columns)),
    st.sampled_from(["the row has too few values", "the row has too many values"]),
)


def tallied(rows, way: str = "consume") -> tuple:
    """What a consumer tallies from ``rows``: by its generated ``consume`` or ``feed``, or by
    the reference (the general feeder, and every key of a readable row known)."""
    consumer = Projections(SOURCE, SourceRef.file(Path("t.csv")), "t.csv", ["on", "unit"], ["id"])
    numbered = [(line, values) for line, values in enumerate(rows, start=2)]
    if way == "consume":
        consumer.consume(numbered)
    else:
        feed = consumer.feeder() if way == "feed" else Consumer.feeder(consumer)
        for line, values in numbered:
            if way == "reference" and not isinstance(values, str) and values[0]:
                consumer.known["id"].add(values[0])
            feed(line, values)
    return dict(consumer.raw), consumer.known, consumer.checker.tally.warnings()


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW, max_size=30))
def test_the_generated_loop_tallies_as_the_feeder_does(rows):
    reference = tallied(rows, "reference")
    assert tallied(rows, "consume") == reference
    assert tallied(rows, "feed") == reference


def test_a_tally_by_hand():
    rows = [
        ("A", "2012-01-31", "u1", "", "open"),
        ("B", "2012-01-31", "u1", "", "done"),
        ("C", "2012-02-30", "u2", "", "open"),  # not a date: skipped, its id still known
        ("", "2013-12-31", "u2", "", "open"),  # no id: skipped
        "the row has too few values",
        ("D", "2013-12-31", "", "2012-1-5", "open"),  # a bad optional date: skipped
        ("E", "2013-12-31", "", "", "open"),
    ]
    raw, known, warnings = tallied(rows)
    assert raw == {("2012-01-31", "u1"): 2, ("2013-12-31", ""): 1}
    assert known == {"id": {"A", "B", "C", "D", "E"}}
    assert sorted((w.problem, w.column, w.rows) for w in warnings) == [
        ("bad_date", "on", (4,)),
        ("bad_date", "until", (7,)),
        ("bad_row", None, (6,)),
        ("missing_value", "id", (5,)),
    ]


def test_the_loop_is_written_for_its_columns():
    source = loop_source(required=[0], dates=[1], picked=[1, 2], keys=[])
    assert 'values[0] == ""' in source and "values[1] not in good" in source
    assert "key = (values[1], values[2], )" in source
