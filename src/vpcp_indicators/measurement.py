"""What a kind measures on one date: numerator, denominator, value, breakdown, warnings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs

from .plan import exact

__all__ = ["PROBLEMS", "DataWarning", "Group", "Measurement"]

#: Kinds of data warning, and how a person is told about one of them.
PROBLEMS = {
    "missing_value": "no value in '{column}'",
    "bad_date": "'{column}' is not a date written YYYY-MM-DD",
    "bad_row": "the row cannot be read ({detail})",
    "unknown_key": "'{column}' matches no record of '{detail}'",
}

#: How many row numbers a warning keeps; the count covers them all.
FIRST_ROWS = 5


def frozen_counts(counts: Mapping[str, int]) -> Mapping[str, int]:
    """A read-only copy of counts by reason."""
    return MappingProxyType(dict(counts))


def _groups(values: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(values)


def _warnings(values: Iterable[DataWarning]) -> tuple[DataWarning, ...]:
    return tuple(values)


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


@attrs.frozen
class Group:
    """One line of a breakdown: the figures of the records sharing a value of a column."""

    key: str
    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        """numerator / denominator, None when the denominator is 0."""
        return _ratio(self.numerator, self.denominator)


@attrs.frozen
class DataWarning:
    """Rows of a source that were skipped or ignored, and why.

    Only row numbers and column names are kept, never a value from the row: a warning must
    not reveal anything of a secret document.
    """

    source: str
    file: str
    problem: str
    count: int
    rows: tuple[int, ...]
    column: str | None = None
    detail: str | None = None

    @property
    def message(self) -> str:
        """The warning in one line: what happened to how many rows, and the first of them."""
        what = PROBLEMS[self.problem].format(column=self.column, detail=self.detail)
        verb = "ignored" if self.problem == "unknown_key" else "skipped"
        rows = ", ".join(str(r) for r in self.rows)
        more = ", ..." if self.count > len(self.rows) else ""
        noun = "row" if self.count == 1 else "rows"
        return f"{self.file}: {self.count} {noun} {verb}: {what} ({noun} {rows}{more})"

    def first_line(self) -> str:
        """The first affected row as ``file:row: problem``, for strict runs."""
        what = PROBLEMS[self.problem].format(column=self.column, detail=self.detail)
        return f"{self.file}:{self.rows[0]}: {what}"


@attrs.frozen
class Measurement:
    """An indicator's figures on one date, as a kind computed them.

    For a ratio, give ``numerator`` and ``denominator`` and the value follows (None when the
    denominator is 0); a kind that measures something else gives ``value`` alone.
    ``excluded`` counts records left out of the denominator, by reason.
    """

    numerator: int | None = None
    denominator: int | None = None
    value: Fraction | None = attrs.field(default=None)
    breakdown: tuple[Group, ...] = attrs.field(default=(), converter=_groups)
    excluded: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_counts)
    warnings: tuple[DataWarning, ...] = attrs.field(default=(), converter=_warnings)

    def __attrs_post_init__(self) -> None:
        value = self.value
        if value is None and self.numerator is not None and self.denominator is not None:
            value = _ratio(self.numerator, self.denominator)
        elif value is not None:
            value = exact(value)
        object.__setattr__(self, "value", value)
