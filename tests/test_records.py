"""Row checks: dates, required values, and the warnings of skipped rows."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators.kinds.kind import Column
from vpcp_indicators.sources.checks import RowChecker, parse_date, parse_number


@pytest.mark.parametrize(
    "text",
    [
        "2012-1-05",
        "2012-02-30",
        " 2012-01-01",
        "2012-01-01 ",
        "20120101",
        "12/31/2012",
        "2012-13-01",
        "",
        "\uff12\uff10\uff11\uff12-01-01",
    ],
)
def test_only_yyyy_mm_dd_dates_are_read(text):
    assert parse_date(text) is None


@given(st.dates())
def test_every_real_date_reads_back(day):
    assert parse_date(day.isoformat()) == day


def test_rows_are_checked_and_warnings_keep_row_numbers_only():
    checker = RowChecker(
        "staff",
        "staff.csv",
        [Column("id"), Column("joined", type="date"), Column("left", type="date", required=False)],
    )
    assert checker.check(2, ("a", "2012-01-01", "")) == ("a", dt.date(2012, 1, 1), None)
    assert checker.check(3, ("", "2012-01-01", "")) is None
    assert checker.check(4, ("b", "2012-02-31", "")) is None
    assert checker.check(5, ("c", "2012-02-01", "soon")) is None
    assert checker.check(6, "3 fields where the header has 2") is None
    for line in range(7, 14):
        checker.check(line, ("", "x", "y"))
    warnings = checker.tally.warnings()
    assert [(w.problem, w.column, w.count, w.rows) for w in warnings] == [
        ("missing_value", "id", 8, (3, 7, 8, 9, 10)),
        ("bad_date", "joined", 1, (4,)),
        ("bad_date", "left", 1, (5,)),
        ("bad_row", None, 1, (6,)),
    ]
    assert warnings[0].message == (
        "staff.csv: 8 rows skipped: no value in 'id' (rows 3, 7, 8, 9, 10, ...)"
    )
    assert str(warnings[1].first_text()) == "staff.csv:4: 'joined' is not a date written YYYY-MM-DD"


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", Fraction(12)), ("-3", Fraction(-3)), ("0.75", Fraction(3, 4)), (".5", Fraction(1, 2)),
     ("1e3", Fraction(1000)), ("+2.50", Fraction(5, 2)), ("0.1", Fraction(1, 10))],
)  # fmt: skip
def test_numbers_read_as_the_decimal_written(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["", "1,5", "1 000", "70%", "0x10", "nan", "inf", "1_000", "٣", "1e9999"]
)
def test_what_is_not_plainly_a_number_is_refused(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "1e999",  # finite as a fraction, infinite as a float
        "-1.8e308",
        "1.7976931348623159e308",  # just above the largest float
        "9" * 5000,  # more digits than int() converts
        "0." + "0" * 99 + "1",  # 102 characters
    ],
)
def test_a_number_beyond_a_float_or_over_100_characters_is_refused(text):
    assert parse_number(text) is None


def test_the_largest_float_and_a_number_of_100_characters_are_read():
    assert parse_number("1.7976931348623157e308") == Fraction(17976931348623157, 10**16) * 10**308
    assert parse_number("-1.7976931348623157e308") == -Fraction(17976931348623157) * 10**292
    assert parse_number("0." + "0" * 97 + "1") == Fraction(1, 10**98)  # 100 characters


@given(st.text(st.characters(exclude_categories=()), max_size=300))
def test_parse_number_never_raises_and_what_it_reads_is_a_finite_float(text):
    number = parse_number(text)
    if number is not None:
        assert math.isfinite(float(number))


@given(st.from_regex(r"[+-]?([0-9]{0,120}(\.[0-9]{0,120})?|\.[0-9]{1,120})([eE][+-]?[0-9]{1,3})?",
                     fullmatch=True))  # fmt: skip
def test_any_decimal_is_read_exactly_or_refused_never_raising(text):
    number = parse_number(text)
    if number is None:
        return
    assert len(text.strip()) <= 100
    assert number == Fraction(text)
    assert math.isfinite(float(number))


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**6), max_value=10**6
    )
)
def test_every_decimal_reads_back(value):
    assert parse_number(str(value)) == Fraction(value)


def test_a_number_column_that_is_not_a_number_skips_the_row():
    checker = RowChecker(
        "reports", "r.csv", [Column("on", type="date"), Column("v", type="number")]
    )
    assert checker.check(2, ("2012-01-01", "0.5")) == (dt.date(2012, 1, 1), Fraction(1, 2))
    assert checker.check(3, ("2012-01-02", "half")) is None
    (warning,) = checker.tally.warnings()
    assert (warning.problem, warning.column, warning.rows) == ("bad_number", "v", (3,))
    assert (
        warning.message
        == "r.csv: 1 row skipped: 'v' is not a number written like 12 or 0.75 (row 3)"
    )
