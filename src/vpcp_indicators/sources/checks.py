"""Checking records as they are read: required values present, dates and numbers readable.

A row that fails is skipped and counted in a :class:`DataWarning`; no value of it is kept.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Sequence
from fractions import Fraction

from ..kinds.kind import Column
from ..measurement import FIRST_ROWS, DataWarning

__all__ = ["NUMBER_LENGTH", "RowChecker", "WarningTally", "parse_date", "parse_number"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Decimals as written by people and spreadsheets in "C" style: 12, -3, 0.75, .5, 1e3. No
# thousands separators and no decimal comma: "1,5" is refused rather than guessed.
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")
#: The most characters a number in a source is written with (no float needs more than ~25).
NUMBER_LENGTH = 100
_LARGEST = Fraction(sys.float_info.max)

#: A checked row: each value a string, a date (date columns), a Fraction (number columns) or
#: None (no value).
CheckedRow = tuple["str | dt.date | Fraction | None", ...]


def parse_date(text: str) -> dt.date | None:
    """The date written ``YYYY-MM-DD`` in ``text``, or None if it is not one."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None


def parse_number(text: str) -> Fraction | None:
    """The number written in ``text`` as an exact fraction, or None if it is not one.

    A number is a plain decimal of at most :data:`NUMBER_LENGTH` characters whose value is
    finite as a float (at most about 1.8e308 in absolute value), since every figure becomes
    a float on output; anything else is not a number (a ``bad_number`` data warning).
    """
    text = text.strip()
    # The length first: a megabyte of digits is neither matched nor converted.
    if len(text) > NUMBER_LENGTH or not _NUMBER.fullmatch(text):
        return None
    number = Fraction(text)
    return number if abs(number) <= _LARGEST else None


class WarningTally:
    """Counts skipped rows by problem, keeping the first few row numbers of each."""

    def __init__(self, source: str, file: str):
        self.source = source
        self.file = file
        self._found: dict[tuple[str, str | None, str | None], tuple[int, list[int]]] = {}

    def add(
        self, problem: str, line: int, column: str | None = None, detail: str | None = None
    ) -> None:
        """Note one row with a problem."""
        key = (problem, column, detail)
        count, rows = self._found.get(key, (0, []))
        if len(rows) < FIRST_ROWS:
            rows.append(line)
        self._found[key] = (count + 1, rows)

    def warnings(self) -> list[DataWarning]:
        """The warnings so far, in the order of their first row."""
        found = [
            DataWarning(
                source=self.source,
                file=self.file,
                problem=problem,
                count=count,
                rows=tuple(sorted(rows)),
                column=column,
                detail=detail,
            )
            for (problem, column, detail), (count, rows) in self._found.items()
        ]
        return sorted(found, key=lambda w: (w.rows[0], w.problem, w.column or ""))


class RowChecker:
    """Turns raw rows of one source into checked rows, tallying those it must skip."""

    def __init__(self, source: str, file: str, columns: Sequence[Column]):
        self.columns = tuple(columns)
        self.tally = WarningTally(source, file)
        self._required = [(i, c.name) for i, c in enumerate(columns) if c.required]
        self._dates = [(i, c.name) for i, c in enumerate(columns) if c.type == "date"]
        self._numbers = [(i, c.name) for i, c in enumerate(columns) if c.type == "number"]
        self._date_cache: dict[str, dt.date | None] = {}

    def check(self, line: int, values: tuple[str, ...] | str) -> CheckedRow | None:
        """The checked row, or None (and a tallied warning) if it must be skipped."""
        if isinstance(values, str):
            self.tally.add("bad_row", line, detail=values)
            return None
        for index, name in self._required:
            if not values[index]:
                self.tally.add("missing_value", line, column=name)
                return None
        row: list[str | dt.date | Fraction | None] = [v or None for v in values]
        cache = self._date_cache
        for index, name in self._dates:
            text = values[index]
            if not text:
                continue
            if text not in cache:
                cache[text] = parse_date(text)
            day = cache[text]
            if day is None:
                self.tally.add("bad_date", line, column=name)
                return None
            row[index] = day
        for index, name in self._numbers:
            text = values[index]
            if not text:
                continue
            number = parse_number(text)
            if number is None:
                self.tally.add("bad_number", line, column=name)
                return None
            row[index] = number
        return tuple(row)
