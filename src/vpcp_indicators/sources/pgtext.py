"""A PostgreSQL value as the text the reading contract checks.

Every value is read as PostgreSQL's own text for it (the connection sets ``DateStyle=ISO``,
``TimeZone=UTC`` and ``extra_float_digits=1``, so that text is the same on every server),
then made canonical by the column's type:

- NULL is no value (``""``); text, integers, dates (``2011-01-01``) and everything not
  named below are taken as PostgreSQL writes them; a boolean is ``true`` or ``false``.
- ``numeric``, ``real`` and ``double precision``: the shortest plain decimal, never an
  exponent (``3.50`` is ``3.5``, ``1e+16`` is ``10000000000000000``, ``-0`` is ``0``);
  ``NaN`` and ``Infinity`` as written (which no number column accepts).
- ``timestamp`` (without time zone): at midnight, its date (``2011-01-01``); otherwise
  ``2011-01-01 10:30:00`` as written, which is not a date. A ``timestamptz`` is written in
  UTC, with its offset, and is never a date: which day it falls on depends on a zone.
- ``bytea``, ``json``, ``jsonb``, arrays and composite values make the row unreadable
  (:data:`NOT_SCALAR`): they are not one value a kind reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ..i18n import N_

# SQLGlot is imported where SQL is built: a plan that reads no database never loads it.
if TYPE_CHECKING:
    from sqlglot import exp

    from . import Values

__all__ = [
    "GROUPED_AS_IS",
    "NOT_SCALAR",
    "converters",
    "number_text",
    "scrubbed",
    "text_sql",
    "values",
    "why_bad_sql",
]

#: The types a count groups records on as PostgreSQL holds them, making the text once per
#: group: each has an equality that is the equality of its text, and a cheap one.
GROUPED_AS_IS = frozenset({"date", "text", "varchar", "bpchar", "int2", "int4", "int8"})

#: Types whose text is never empty: no value is NULL alone.
_NEVER_EMPTY = frozenset({"date", "int2", "int4", "int8"})

NOT_SCALAR = N_("a value is an array, a record, JSON or binary data")

_NUMBERS = {"numeric", "float4", "float8"}
_NOT_SCALAR_TYPES = {"bytea", "json", "jsonb"}
# pg_type.typcategory: arrays and composite (row) types.
_NOT_SCALAR_CATEGORIES = {"A", "C"}
_MIDNIGHT = " 00:00:00"

_PASSWORD_SETTING = re.compile(r"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")
_URL_PASSWORD = re.compile(r"(://[^/@:\s]*):[^/@\s]*@")


def number_text(text: str) -> str:
    """A number's text in shortest plain decimal form."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    plain = format(number, "f")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return "0" if plain in ("-0", "") else plain


def _timestamp(text: str) -> str:
    return text[: -len(_MIDNIGHT)] if text.endswith(_MIDNIGHT) else text


Convert = Callable[[Sequence[str | None]], "tuple[str, ...] | str"]


def converters(types: Sequence[tuple[str, str]]) -> Convert:
    """What turns a row of PostgreSQL texts into the record's values (or the reason it
    cannot be read), given each column's type name and category (``pg_type``)."""
    refused = [
        i
        for i, (name, category) in enumerate(types)
        if name in _NOT_SCALAR_TYPES or category in _NOT_SCALAR_CATEGORIES
    ]
    width = len(types)
    changes: list[tuple[int, Callable[[str], str]]] = []
    for index, (name, _) in enumerate(types):
        if name in _NUMBERS:
            changes.append((index, number_text))
        elif name == "timestamp":
            changes.append((index, _timestamp))

    def convert(row: Sequence[str | None]) -> tuple[str, ...] | str:
        if any(row[i] is not None for i in refused):
            return NOT_SCALAR
        # The SELECT list of no column at all is one NULL, which is not read.
        values = ["" if value is None else value for value in row[:width]]
        for index, change in changes:
            if values[index]:
                values[index] = change(values[index])
        return tuple(values)

    return convert


def _scalar(name: str, category: str) -> bool:
    return name not in _NOT_SCALAR_TYPES and category not in _NOT_SCALAR_CATEGORIES


def text_sql(value: exp.Expr, name: str, category: str) -> exp.Expr:
    """SQL of the text :func:`converters` makes of a value of a column of type ``name``
    (and ``pg_type`` category), NULL for no value (and for a value that is not scalar)."""
    from sqlglot import exp

    if not _scalar(name, category):
        return exp.Null()
    text: exp.Expr = exp.cast(value.copy(), "text")
    if name in _NUMBERS:
        special = exp.In(
            this=text.copy(),
            expressions=[exp.Literal.string(s) for s in ("NaN", "Infinity", "-Infinity")],
        )
        plain = exp.Anonymous(this="trim_scale", expressions=[exp.cast(text.copy(), "numeric")])
        text = exp.Case().when(special, text.copy()).else_(exp.cast(plain, "text"))
    elif name == "timestamp":
        text = exp.RegexpReplace(
            this=text,
            expression=exp.Literal.string(f"{_MIDNIGHT}$"),
            replacement=exp.Literal.string(""),
        )
    return exp.Nullif(this=text, expression=exp.Literal.string(""))


def values(types: Sequence[tuple[str, str]]) -> Values:
    """The :class:`~vpcp_indicators.sources.Values` of a relation whose columns of
    :data:`GROUPED_AS_IS` types are PostgreSQL's own values (the others already text),
    given each column's type name and category."""
    from sqlglot import exp

    from . import Values

    def text(i: int, value: exp.Expr) -> exp.Expr:
        name, category = types[i]
        return text_sql(value, name, category) if name in GROUPED_AS_IS else value

    def missing(i: int, value: exp.Expr) -> exp.Expr:
        found = value if types[i][0] in _NEVER_EMPTY else text(i, value)
        return exp.Is(this=found.copy(), expression=exp.Null())

    def date(i: int, value: exp.Expr) -> exp.Expr:
        # With DateStyle ISO, a date's text is YYYY-MM-DD from year 1 to 9999 (not BC, not
        # infinity, not a year of five digits).
        days = [exp.cast(exp.Literal.string(d), "date") for d in ("0001-01-01", "9999-12-31")]
        return exp.Between(this=value.copy(), low=days[0], high=days[1])

    return Values(text, missing, date)


def why_bad_sql(values: Sequence[tuple[exp.Expr, str, str]]) -> exp.Expr:
    """SQL of why a row cannot be read, as :func:`converters` says (NULL if it can): a value
    of one of ``values`` (expression, type name, category) that is not scalar."""
    from sqlglot import exp

    held = [
        exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))
        for value, name, category in values
        if not _scalar(name, category)
    ]
    if not held:
        return exp.cast(exp.Null(), "text")
    return exp.Case().when(exp.or_(*held), exp.Literal.string(NOT_SCALAR))


def scrubbed(text: str, secrets: Sequence[str] = ()) -> str:
    """A driver's or server's message without any password it might quote: one of
    ``secrets``, a ``password=...`` setting, or a URL's ``user:password@``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    text = _PASSWORD_SETTING.sub(r"\1***", text)
    return _URL_PASSWORD.sub(r"\1:***@", text)
