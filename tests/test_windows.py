"""Windows: which dates an indicator looks at on an evaluation date."""

from __future__ import annotations

import datetime as dt

import pytest

from vpcp_indicators.windows import window_on

START = dt.date(2011, 1, 1)


@pytest.mark.parametrize(
    ("kind", "as_of", "first"),
    [
        ("year", "2012-12-31", "2012-01-01"),
        ("year", "2012-01-01", "2012-01-01"),
        ("quarter", "2012-03-31", "2012-01-01"),
        ("quarter", "2012-04-01", "2012-04-01"),
        ("quarter", "2012-09-30", "2012-07-01"),
        ("quarter", "2012-12-31", "2012-10-01"),
        ("month", "2012-02-29", "2012-02-01"),
        ("month", "2012-03-01", "2012-03-01"),
        ("cumulative", "2014-06-30", "2011-01-01"),
        ("point", "2013-05-05", "2013-05-05"),
    ],
)
def test_window_runs_from_its_first_day_to_the_date(kind, as_of, first):
    day = dt.date.fromisoformat(as_of)
    window = window_on(kind, day, START)
    assert (window.kind, window.start, window.end) == (kind, dt.date.fromisoformat(first), day)


def test_both_ends_are_inside():
    window = window_on("month", dt.date(2012, 2, 15), START)
    assert dt.date(2012, 2, 1) in window and dt.date(2012, 2, 15) in window
    assert dt.date(2012, 1, 31) not in window and dt.date(2012, 2, 16) not in window


def test_an_unknown_window_is_refused():
    with pytest.raises(ValueError, match="decade"):
        window_on("decade", dt.date(2012, 1, 1), START)
