"""The reading contract's date test in SQL that means the same on every engine.

A value is a date when it is written ``YYYY-MM-DD`` (ASCII digits) and names a real day of
a year from 1 to 9999, as :func:`vpcp_indicators.sources.checks.parse_date` says. Engines
read dates more leniently than that (``2012-1-5``, a year 0, ``2011-02-30`` rolled over to
March), and a cast that fails stops the whole query in some of them; so the test reads the
text itself, with only substrings, comparisons and integer arithmetic, and casts a part to
an integer only after ``CASE`` has seen that it is all digits.

Written ISO dates compare as text in the order of the days they name, so the counts compare
them as text: no engine's date type, time zone or date arithmetic is involved.
"""

from __future__ import annotations

from sqlglot import exp

__all__ = ["is_iso_date"]

_DIGITS = [exp.Literal.string(str(d)) for d in range(10)]
_DIGIT_AT = (1, 2, 3, 4, 6, 7, 9, 10)


def _at(value: exp.Expr, start: int, length: int) -> exp.Expr:
    return exp.Substring(
        this=value.copy(), start=exp.Literal.number(start), length=exp.Literal.number(length)
    )


def _number(value: exp.Expr, start: int, length: int) -> exp.Expr:
    return exp.cast(_at(value, start, length), "int")


def _between(value: exp.Expr, low: int | exp.Expr, high: int | exp.Expr) -> exp.Expr:
    def side(x: int | exp.Expr) -> exp.Expr:
        return exp.Literal.number(x) if isinstance(x, int) else x

    return exp.Between(this=value, low=side(low), high=side(high))


#: Two digits that make a multiple of 4.
_FOURS = [exp.Literal.string(f"{n:02d}") for n in range(0, 100, 4)]


def _leap(value: exp.Expr) -> exp.Expr:
    """Whether the year of the text ``value`` is a leap year, read from its digits: no
    modulo, which is ``%`` (a placeholder to some drivers) or not there at all."""

    def fours(start: int) -> exp.Expr:
        return exp.In(this=_at(value, start, 2), expressions=[f.copy() for f in _FOURS])

    century = exp.EQ(this=_at(value, 3, 2), expression=exp.Literal.string("00"))
    return exp.or_(
        exp.and_(exp.Not(this=exp.Paren(this=century.copy())), fours(3)),
        exp.and_(century, fours(1)),
    )


def _last_day(value: exp.Expr, month: exp.Expr) -> exp.Expr:
    """The number of days in the month, as a SQL integer."""
    feb = exp.Case().when(_leap(value), exp.Literal.number(29)).else_(exp.Literal.number(28))
    short = exp.In(this=month.copy(), expressions=[exp.Literal.number(m) for m in (4, 6, 9, 11)])
    return (
        exp.Case()
        .when(exp.EQ(this=month.copy(), expression=exp.Literal.number(2)), feb)
        .when(short, exp.Literal.number(30))
        .else_(exp.Literal.number(31))
    )


def is_iso_date(value: exp.Expr) -> exp.Expr:
    """A boolean, never NULL, true when the text ``value`` is a date written ``YYYY-MM-DD``
    (false for NULL: whether a value may be empty is another test)."""
    shape: list[exp.Expr] = [
        exp.EQ(this=exp.Length(this=value.copy()), expression=exp.Literal.number(10))
    ]
    shape += [
        exp.In(this=_at(value, i, 1), expressions=[d.copy() for d in _DIGITS]) for i in _DIGIT_AT
    ]
    shape += [exp.EQ(this=_at(value, i, 1), expression=exp.Literal.string("-")) for i in (5, 8)]
    year, month, day = _number(value, 1, 4), _number(value, 6, 2), _number(value, 9, 2)
    real = exp.and_(
        exp.GTE(this=year, expression=exp.Literal.number(1)),
        _between(month, 1, 12),
        _between(day, 1, _last_day(value, month)),
    )
    # CASE, not AND: an engine may evaluate AND's sides in any order, and the cast of a
    # part that is not digits fails.
    test = exp.Case().when(exp.and_(*shape), real).else_(exp.false())
    return exp.Coalesce(this=test, expressions=[exp.false()])
