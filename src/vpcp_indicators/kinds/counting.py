"""Declarative counting: what an indicator kind counts, described rather than computed.

A kind returns a :class:`Count` that says which records form the population, which are left
out and why, which count toward the numerator and how to break the figures down. A backend
(the pure-Python one, or a database) carries it out, reading each source once for every
evaluation date. Conditions combine with ``&``, ``|`` and ``~``.

Every condition is false on an empty value, except :class:`Empty`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import attrs

__all__ = [
    "After",
    "AllOf",
    "Always",
    "AnyOf",
    "Condition",
    "Count",
    "Empty",
    "HasRelated",
    "In",
    "InWindow",
    "Not",
    "OnOrBefore",
    "dated_columns",
    "is_static",
    "statics",
]


class Condition:
    """A test on one record; subclasses are frozen values a backend knows how to run."""

    def __and__(self, other: Condition) -> Condition:
        return AllOf((self, other))

    def __or__(self, other: Condition) -> Condition:
        return AnyOf((self, other))

    def __invert__(self) -> Condition:
        return Not(self)

    def children(self) -> tuple[Condition, ...]:
        """The conditions this one is made of."""
        return ()

    def columns(self) -> set[str]:
        """The columns of the counted source this condition reads."""
        found: set[str] = set()
        for child in self.children():
            found |= child.columns()
        return found

    def walk(self) -> Iterator[Condition]:
        """This condition and every condition inside it, depth first."""
        yield self
        for child in self.children():
            yield from child.walk()


def _values(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise TypeError("give a list of values, not a single string")
    return frozenset(values)


def _conditions(values: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(values)


def _covering(
    value: tuple[str, Iterable[str]] | None,
) -> tuple[str, frozenset[str]] | None:
    return None if value is None else (value[0], _values(value[1]))


@attrs.frozen
class Always(Condition):
    """True for every record."""


@attrs.frozen
class In(Condition):
    """The column's value is one of ``values``, compared exactly as written."""

    column: str
    values: frozenset[str] = attrs.field(converter=_values)

    def columns(self) -> set[str]:
        return {self.column}


@attrs.frozen
class Empty(Condition):
    """The column has no value."""

    column: str

    def columns(self) -> set[str]:
        return {self.column}


@attrs.frozen
class OnOrBefore(Condition):
    """The date in the column is on or before the evaluation date."""

    column: str

    def columns(self) -> set[str]:
        return {self.column}


@attrs.frozen
class After(Condition):
    """The date in the column is after the evaluation date."""

    column: str

    def columns(self) -> set[str]:
        return {self.column}


@attrs.frozen
class InWindow(Condition):
    """The date in the column falls inside the indicator's window, both ends included."""

    column: str

    def columns(self) -> set[str]:
        return {self.column}


@attrs.frozen
class AllOf(Condition):
    """Every one of the conditions holds (true when there are none)."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def children(self) -> tuple[Condition, ...]:
        return self.conditions


@attrs.frozen
class AnyOf(Condition):
    """At least one of the conditions holds (false when there are none)."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def children(self) -> tuple[Condition, ...]:
        return self.conditions


@attrs.frozen
class Not(Condition):
    """The condition does not hold."""

    condition: Condition

    def children(self) -> tuple[Condition, ...]:
        return (self.condition,)


@attrs.frozen
class HasRelated(Condition):
    """Records of another source share this record's ``key`` and satisfy ``where``.

    With ``covering`` set to ``(column, values)``, the related records that satisfy ``where``
    must between them hold every one of ``values`` in ``column`` (repeats count once).
    A related record whose key matches no record of the counted source is a data warning.
    ``where`` reads the related source's columns, not the counted source's.
    """

    source: str
    key: str
    where: Condition = Always()
    covering: tuple[str, frozenset[str]] | None = attrs.field(default=None, converter=_covering)

    def columns(self) -> set[str]:
        return {self.key}

    def related_columns(self) -> set[str]:
        """The columns of the related source this condition reads."""
        found = {self.key} | self.where.columns()
        if self.covering is not None:
            found.add(self.covering[0])
        return found


def is_static(condition: Condition) -> bool:
    """Whether a condition is the same at every evaluation date."""
    return not any(
        isinstance(node, InWindow | OnOrBefore | After | HasRelated) for node in condition.walk()
    )


def dated_columns(*conditions: Condition) -> set[str]:
    """The columns the conditions compare with the evaluation date or window."""
    return {
        node.column
        for condition in conditions
        for node in condition.walk()
        if isinstance(node, InWindow | OnOrBefore | After)
    }


def statics(*conditions: Condition) -> list[Condition]:
    """The largest static parts of the conditions (each once, in order), other than trivial
    ones (``Always``)."""
    found: dict[Condition, None] = {}

    def visit(node: Condition) -> None:
        if is_static(node):
            if not isinstance(node, Always):
                found.setdefault(node)
        else:
            for child in node.children():
                visit(child)

    for condition in conditions:
        visit(condition)
    return list(found)


def _exclusions(
    value: Mapping[str, Condition] | Iterable[tuple[str, Condition]],
) -> tuple[tuple[str, Condition], ...]:
    return tuple(value.items() if isinstance(value, Mapping) else value)


@attrs.frozen
class Count:
    """What a kind counts in one source, as a ratio of records.

    - ``population``: the records in scope at an evaluation date.
    - ``excluded``: reasons, in order, to leave a record of the population out of the
      denominator; each reason's count is reported (``excluded.secret``), never the records.
    - ``numerator``: which of the remaining records (the denominator) count toward the value.
    - ``group_by``: the column the breakdown is made by, or None for no breakdown.
    """

    source: str
    population: Condition
    numerator: Condition
    excluded: tuple[tuple[str, Condition], ...] = attrs.field(factory=tuple, converter=_exclusions)
    group_by: str | None = None

    def conditions(self) -> tuple[Condition, ...]:
        """Every top-level condition of the count."""
        return (self.population, self.numerator, *(c for _, c in self.excluded))

    def columns(self) -> set[str]:
        """The columns of the counted source the count reads."""
        found = {self.group_by} if self.group_by else set()
        for condition in self.conditions():
            found |= condition.columns()
        return found

    def related(self) -> tuple[HasRelated, ...]:
        """The other sources the count looks into, each once."""
        seen: dict[HasRelated, None] = {}
        for condition in self.conditions():
            for inner in condition.walk():
                if isinstance(inner, HasRelated):
                    seen.setdefault(inner)
        return tuple(seen)
