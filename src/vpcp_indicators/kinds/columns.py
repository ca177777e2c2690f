"""The record sets a kind reads (:class:`Source`) and their columns (:class:`Column`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from ..i18n import Text, text

__all__ = ["COLUMN_TYPES", "Column", "Record", "Source"]

#: A validated record handed to a kind that computes in Python: per column, text, a date, a
#: number (as a Fraction) or None.
Record = Mapping[str, "str | dt.date | Fraction | None"]

#: Column types: a record's value arrives as a ``str``, a ``datetime.date`` or a ``Fraction``.
COLUMN_TYPES = ("text", "date", "number")


@attrs.frozen
class Column:
    """A column a kind reads. ``type`` is ``text``, ``date`` (written YYYY-MM-DD) or
    ``number`` (a decimal such as ``12`` or ``0.75``; for kinds that compute in Python).
    A ``required`` column needs a value in every row (a row without one is skipped with a
    data warning), and so does a row with a date or number that cannot be read."""

    name: str
    type: str = attrs.field(default="text", validator=attrs.validators.in_(COLUMN_TYPES))
    required: bool = True
    description: Text = attrs.field(default="", converter=text)


def _columns(values: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(values)


@attrs.frozen
class Source:
    """A record set a kind reads, by the name the plan gives it in ``[indicators.sources]``.

    A source that is not ``required`` may be left out of the plan; the kind then receives
    no records for it.
    """

    name: str
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    description: Text = attrs.field(default="", converter=text)
    required: bool = True

    def column(self, name: str) -> Column:
        """The column of this name (KeyError if the source has none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)
