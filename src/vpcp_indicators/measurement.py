"""What a kind measures on one date: numerator, denominator, value, breakdown, warnings."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from .errors import Message
from .i18n import N_
from .plan.model import exact

__all__ = ["FLAGS", "PROBLEMS", "DataWarning", "Flag", "Group", "Measurement", "SourceRecord"]

#: Kinds of data warning, and how a person is told about one of them.
PROBLEMS = {
    "missing_value": N_("no value in '{column}'"),
    "bad_date": N_("'{column}' is not a date written YYYY-MM-DD"),
    "bad_number": N_("'{column}' is not a number written like 12 or 0.75"),
    "bad_row": N_("the row cannot be read ({detail})"),
    "unknown_key": N_("'{column}' matches no record of '{detail}'"),
    "bad_value": N_("'{column}' holds a value the kind cannot use"),
    "not_in_tree": N_("'{column}' names a unit that is not in the plan's tree"),
}

#: The problems a kind that computes in Python may flag a record with (see :class:`Flag`).
FLAGS = ("missing_value", "bad_date", "bad_number", "bad_value", "unknown_key")

#: How many row numbers a warning keeps; the count covers them all.
FIRST_ROWS = 5


def frozen_counts(counts: Mapping[str, int]) -> Mapping[str, int]:
    """A read-only copy of counts by reason."""
    return MappingProxyType(dict(counts))


def _groups(values: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(values)


def _warnings(values: Iterable[DataWarning]) -> tuple[DataWarning, ...]:
    return tuple(values)


# A kind's own code builds measurements: wrong values are refused here, as the kind's
# failure, rather than breaking an output format later.


def _count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise TypeError(f"{attribute.name} must be a whole number of records, not {value!r}")


def _counts(instance: object, attribute: attrs.Attribute[Any], value: Mapping[str, int]) -> None:
    for reason, count in value.items():
        if not isinstance(reason, str):
            raise TypeError(f"{attribute.name}: a reason must be a string, not {reason!r}")
        _count(instance, attribute, count)


def _members(kind: type) -> Callable[[object, attrs.Attribute[Any], tuple[Any, ...]], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for item in value:
            if not isinstance(item, kind):
                raise TypeError(f"{attribute.name} holds {item!r}, not a {kind.__name__}")

    return check


def _number(value: object) -> Fraction | None:
    """A figure a kind gives, exact; a value that is not a finite number is refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise TypeError(f"a value must be a number, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a value must be a finite number, not {value!r}")
    return exact(value)


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


@attrs.frozen
class Group:
    """One line of a breakdown: the figures of the records sharing a value of a column.

    For a ratio, give ``numerator`` and ``denominator``, and ``value`` follows (None when
    the denominator is 0); a kind that measures something else (the median days per agency)
    gives ``value`` alone.
    """

    key: str = attrs.field(validator=attrs.validators.instance_of(str))
    numerator: int | None = attrs.field(default=None, validator=_count)
    denominator: int | None = attrs.field(default=None, validator=_count)
    value: Fraction | None = attrs.field(default=None, converter=_number)

    def __attrs_post_init__(self) -> None:
        if (self.numerator is None) != (self.denominator is None):
            raise TypeError(f"group {self.key!r}: give its numerator and denominator together")
        if self.numerator is None or self.denominator is None:
            return
        ratio = _ratio(self.numerator, self.denominator)
        if self.value is not None and self.value != ratio:
            raise ValueError(
                f"group {self.key!r}: value {float(self.value):g} is not "
                f"{self.numerator} / {self.denominator}"
            )
        object.__setattr__(self, "value", ratio)


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

    def to_dict(self) -> dict[str, Any]:
        """The warning as the JSON output gives it, its message in English."""
        return {
            "source": self.source,
            "file": self.file,
            "problem": self.problem,
            "column": self.column,
            "detail": self.detail,
            "count": self.count,
            "rows": list(self.rows),
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DataWarning:
        """The inverse of :meth:`to_dict` (the message is made again)."""
        return cls(
            source=data["source"],
            file=data["file"],
            problem=data["problem"],
            count=data["count"],
            rows=tuple(data["rows"]),
            column=data["column"],
            detail=data["detail"],
        )

    def what(self) -> Message:
        """What is wrong with the rows."""
        detail = Message(self.detail) if self.detail else None
        return Message(PROBLEMS[self.problem], {"column": self.column, "detail": detail})

    def text(self) -> Message:
        """The warning in one line: what happened to how many rows, and the first of them."""
        if self.problem == "not_in_tree":
            # Records of units the tree does not hold are counted, neither skipped nor
            # ignored; they are told of by their number, from the counts, not by row.
            template = (
                N_('{file}: 1 record counted under "not in the tree": {what}')
                if self.count == 1
                else N_('{file}: {count} records counted under "not in the tree": {what}')
            )
            return Message(template, {"file": self.file, "count": self.count, "what": self.what()})
        rows = ", ".join(str(r) for r in self.rows)
        if self.count > len(self.rows):
            rows += ", ..."
        ignored = self.problem == "unknown_key"
        if self.count == 1:
            template = (
                N_("{file}: 1 row ignored: {what} (row {rows})")
                if ignored
                else N_("{file}: 1 row skipped: {what} (row {rows})")
            )
        else:
            template = (
                N_("{file}: {count} rows ignored: {what} (rows {rows})")
                if ignored
                else N_("{file}: {count} rows skipped: {what} (rows {rows})")
            )
        args = {"file": self.file, "count": self.count, "what": self.what(), "rows": rows}
        return Message(template, args)

    @property
    def message(self) -> str:
        """The warning in one line, in English."""
        return str(self.text())

    def first_text(self) -> Message:
        """The first affected row as ``file:row: problem``, for strict runs."""
        if not self.rows:
            return self.text()
        args = {"file": self.file, "row": self.rows[0], "what": self.what()}
        return Message(N_("{file}:{row}: {what}"), args)


class SourceRecord(dict[str, Any]):
    """A record as a kind that computes in Python receives it: its values by column, and
    where it was read (``source``, the kind's name for it, and ``row``, its row number), so
    that the kind can :class:`Flag` it."""

    source: str
    row: int


@attrs.frozen
class Flag:
    """What a kind that computes in Python says of a record it could not use: the engine
    reports it as a data warning, as it reports its own (by file, problem, column and row
    number, never a value). ``problem`` is one of :data:`FLAGS`; ``column`` names the column
    at fault; ``detail`` is for ``unknown_key``, the source whose records the key matches
    none of."""

    record: SourceRecord = attrs.field(eq=False, repr=False)
    problem: str = attrs.field(validator=attrs.validators.in_(FLAGS))
    column: str | None = None
    detail: str | None = None


def sort_warnings(warnings: Iterable[DataWarning]) -> list[DataWarning]:
    """Warnings in the order every backend gives them: by file, then first row."""
    return sorted(
        warnings,
        key=lambda w: (
            w.file,
            w.rows[0] if w.rows else 0,
            w.problem,
            w.column or "",
            w.detail or "",
        ),
    )


@attrs.frozen
class Measurement:
    """An indicator's figures on one date, as a kind computed them.

    For a ratio, give ``numerator`` and ``denominator`` and the value follows (None when the
    denominator is 0); a kind that measures something else gives ``value`` alone.
    ``excluded`` counts records left out of the denominator, by reason. ``flags`` are the
    records a kind that computes in Python could not use: the engine turns them into data
    warnings. ``breakdown_by`` names the column whose values the breakdown's groups are, so
    that a plan's labels for that column name them in reports (a kind's ``Count`` says it
    as ``group_by``; a kind that computes in Python may say it here). ``records`` is how
    many records went into the figure, which a kind that computes in Python may say
    (``explain`` shows it).
    """

    numerator: int | None = attrs.field(default=None, validator=_count)
    denominator: int | None = attrs.field(default=None, validator=_count)
    value: Fraction | None = attrs.field(default=None)
    breakdown: tuple[Group, ...] = attrs.field(
        default=(), converter=_groups, validator=_members(Group)
    )
    excluded: Mapping[str, int] = attrs.field(
        factory=dict, converter=frozen_counts, validator=_counts
    )
    warnings: tuple[DataWarning, ...] = attrs.field(
        default=(), converter=_warnings, validator=_members(DataWarning)
    )
    flags: tuple[Flag, ...] = attrs.field(default=(), converter=tuple, validator=_members(Flag))
    breakdown_by: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str))
    )
    records: int | None = attrs.field(default=None, validator=_count)

    def __attrs_post_init__(self) -> None:
        value = self.value
        if value is None and self.numerator is not None and self.denominator is not None:
            value = _ratio(self.numerator, self.denominator)
        elif value is not None:
            value = exact(value)
        object.__setattr__(self, "value", value)
