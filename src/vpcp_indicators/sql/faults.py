"""The reading contract's row checks in SQL: which rows a count leaves out, and why.

A row's problem is a code: NULL when the count keeps it, ``-1`` when the reader could not
read it (its ``bad`` detail says why), else the index of its first fault in the order the
reference checks them (:class:`~vpcp_indicators.sources.checks.RowChecker`): a required value
missing, in the declared order of the columns, then a date that is not ``YYYY-MM-DD``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from sqlglot import exp

from ..kinds.kind import Column
from .dates import is_iso_date

__all__ = ["BAD_ROW", "bad_date_sql", "checks", "problem_sql"]

#: The code of a row the reader could not read.
BAD_ROW = -1


def checks(columns: Sequence[Column]) -> list[tuple[str, str]]:
    """The faults a row of these columns is checked for, as ``(problem, column)``, in order:
    the code of a fault is its index here."""
    found = [("missing_value", c.name) for c in columns if c.required]
    return found + [("bad_date", c.name) for c in columns if c.type == "date"]


def problem_sql(
    columns: Sequence[Column],
    column: Callable[[str], exp.Expr],
    bad: exp.Expr,
    missing: Callable[[str], exp.Expr] | None = None,
    dated: Collection[str] = (),
    bad_date: Callable[[str], exp.Expr | None] | None = None,
) -> exp.Expr:
    """The problem code of a row, as SQL: ``column(name)`` is a column's text (NULL for no
    value), ``bad`` why the row cannot be read (NULL when it can). ``missing(name)``, when
    given, is the test that a column has no value (else ``column(name) IS NULL``); the
    ``dated`` columns are ones the database types as dates, whose text needs a lighter test
    (:func:`bad_date_sql`). ``bad_date(name)``, when given, may give the test that a date
    column's value is not a date, worked out beforehand."""
    case = exp.Case().when(
        exp.Not(this=exp.Is(this=bad.copy(), expression=exp.Null())),
        exp.Literal.number(BAD_ROW),
    )
    for code, (problem, name) in enumerate(checks(columns)):
        value = column(name)
        if problem == "missing_value":
            test: exp.Expr = (
                missing(name) if missing is not None else exp.Is(this=value, expression=exp.Null())
            )
        else:
            given = bad_date(name) if bad_date is not None else None
            test = given if given is not None else bad_date_sql(value, name in dated)
        case = case.when(test, exp.Literal.number(code))
    return case


def bad_date_sql(value: exp.Expr, typed: bool) -> exp.Expr:
    """The test that a date column's text ``value`` is a value but not ``YYYY-MM-DD``;
    ``typed`` when the database types the column as a date."""
    present = exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))
    # A date the database holds is a real day; only its text may not be YYYY-MM-DD
    # (infinity, a day BC, a year past 9999), and then it is not ten characters.
    valid = (
        exp.EQ(this=exp.Length(this=value.copy()), expression=exp.Literal.number(10))
        if typed
        else is_iso_date(value)
    )
    return exp.and_(present, exp.Not(this=exp.Paren(this=valid)))
