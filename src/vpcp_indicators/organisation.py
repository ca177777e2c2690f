"""Units of an organisation: a breakdown rolled up the plan's tree of units, and the units
that hold an indicator back.

A breakdown tied to the units (``breakdown = { units = true }``) has a group per unit id the
records hold. Each unit's figures are the sums of its own records' and of every unit's below
it: the ratio is kept (a parent's share is its records' share, never the mean of its
children's shares). Groups whose code is no unit of the tree are counted under "not in the
tree", and the records are a data warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from .measurement import Group
from .plan.model import Direction, OrgUnit
from .scoring import too_few

__all__ = [
    "LEAST_HEALTHY",
    "NOT_IN_TREE",
    "Outside",
    "Tree",
    "UnitBreakdown",
    "UnitFigures",
    "rolled_up",
    "subtree",
]

#: How many units the least-healthy view names per indicator.
LEAST_HEALTHY = 3

#: The data warning's problem for records of a unit the tree does not hold.
NOT_IN_TREE = "not_in_tree"


@attrs.frozen
class Tree:
    """The plan's units as a tree: each unit's children in the plan's order, and the units
    at the top (more than one when the plan declares a forest). ``top`` narrows it to one
    unit's subtree (``evaluate --unit``)."""

    units: tuple[OrgUnit, ...]
    top: str | None = None

    @property
    def roots(self) -> tuple[OrgUnit, ...]:
        """The units at the top: the chosen unit, or every unit without a parent."""
        if self.top is not None:
            return tuple(u for u in self.units if u.id == self.top)
        return tuple(u for u in self.units if u.parent is None)

    def below(self) -> dict[str | None, list[OrgUnit]]:
        """Each unit's children by its id (the units at the top under None), in the plan's
        order."""
        found: dict[str | None, list[OrgUnit]] = {}
        for unit in self.units:
            found.setdefault(unit.parent, []).append(unit)
        return found

    def walk(self) -> Iterator[tuple[int, OrgUnit]]:
        """Every unit of the tree with its depth (0 at the top), parents first, depth first."""
        below = self.below()
        stack = [(0, unit) for unit in reversed(self.roots)]
        seen: set[str] = set()
        while stack:
            depth, unit = stack.pop()
            # A plan made in code may hold a cycle: each unit is walked once.
            if unit.id in seen:
                continue
            seen.add(unit.id)
            yield depth, unit
            stack += [(depth + 1, child) for child in reversed(below.get(unit.id, []))]

    def ids(self) -> frozenset[str]:
        """The ids of the units in the tree."""
        return frozenset(unit.id for _, unit in self.walk())


@attrs.frozen
class UnitFigures:
    """A unit's figures: ``numerator`` and ``denominator`` are its records' and those of
    every unit below it, ``own_numerator`` and ``own_denominator`` its records' alone.
    ``value`` is None with no records, or too few (``insufficient``)."""

    unit: str
    title: str
    numerator: int
    denominator: int
    own_numerator: int
    own_denominator: int
    value: float | None
    insufficient: bool = False
    children: tuple[UnitFigures, ...] = ()

    def walk(self, depth: int = 0) -> Iterator[tuple[int, UnitFigures]]:
        """This unit and every unit below it, with their depths, depth first."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)

    def to_dict(self, judged: bool) -> dict[str, Any]:
        """The unit as the JSON gives it; ``insufficient`` only when ``judged``."""
        return {
            "unit": self.unit,
            "title": self.title,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            **({"insufficient": self.insufficient} if judged else {}),
            "own": {"numerator": self.own_numerator, "denominator": self.own_denominator},
            "children": [child.to_dict(judged) for child in self.children],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UnitFigures:
        """The inverse of :meth:`to_dict`."""
        return cls(
            unit=data["unit"],
            title=data["title"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            own_numerator=data["own"]["numerator"],
            own_denominator=data["own"]["denominator"],
            value=data["value"],
            insufficient=data.get("insufficient", False),
            children=tuple(cls.from_dict(child) for child in data["children"]),
        )


@attrs.frozen
class Outside:
    """The records whose unit is not in the tree: their ``codes`` (as the records hold
    them; an empty code is a record without a unit) and their figures together."""

    codes: tuple[str, ...]
    numerator: int
    denominator: int
    value: float | None
    insufficient: bool = False

    def to_dict(self, judged: bool) -> dict[str, Any]:
        """The records not in the tree as the JSON gives them."""
        return {
            "codes": list(self.codes),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            **({"insufficient": self.insufficient} if judged else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Outside:
        """The inverse of :meth:`to_dict`."""
        return cls(
            tuple(data["codes"]),
            data["numerator"],
            data["denominator"],
            data["value"],
            data.get("insufficient", False),
        )


@attrs.frozen
class UnitBreakdown:
    """An indicator's breakdown rolled up the units' tree, on one date: the figures of each
    unit from the top (``roots``), those of records not in the tree (``outside``, None when
    every record is in it), and the units with the lowest values (``least_healthy``, worst
    first)."""

    column: str
    roots: tuple[UnitFigures, ...]
    outside: Outside | None = None
    least_healthy: tuple[str, ...] = ()

    def units(self) -> Iterator[tuple[int, UnitFigures]]:
        """Every unit with its depth, depth first, as the reports list them."""
        for root in self.roots:
            yield from root.walk()

    def unit(self, unit_id: str) -> UnitFigures:
        """The figures of the unit with this id (KeyError if the tree has none)."""
        for _, found in self.units():
            if found.unit == unit_id:
                return found
        raise KeyError(unit_id)

    def to_dict(self, judged: bool) -> dict[str, Any]:
        """The rolled-up breakdown as the JSON gives it."""
        return {
            "column": self.column,
            "tree": [root.to_dict(judged) for root in self.roots],
            "not_in_tree": None if self.outside is None else self.outside.to_dict(judged),
            "least_healthy": [
                {
                    "unit": figures.unit,
                    "value": figures.value,
                    "numerator": figures.numerator,
                    "denominator": figures.denominator,
                }
                for figures in (self.unit(unit_id) for unit_id in self.least_healthy)
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> UnitBreakdown | None:
        """The inverse of :meth:`to_dict` (None for None)."""
        if data is None:
            return None
        outside = data["not_in_tree"]
        return cls(
            column=data["column"],
            roots=tuple(UnitFigures.from_dict(root) for root in data["tree"]),
            outside=None if outside is None else Outside.from_dict(outside),
            least_healthy=tuple(item["unit"] for item in data["least_healthy"]),
        )


def _value(numerator: int, denominator: int, minimum: int) -> tuple[float | None, bool]:
    """A share as the results show it, and whether it rests on too few records."""
    if too_few(denominator, minimum):
        return None, True
    return (float(Fraction(numerator, denominator)) if denominator else None), False


def rolled_up(
    tree: Tree,
    column: str,
    groups: Iterable[Group],
    direction: Direction,
    min_denominator: int = 1,
) -> UnitBreakdown:
    """A breakdown by unit ids rolled up the tree, bottom-up, ratios kept; the units with
    the lowest values found (see :func:`least_healthy`)."""
    counts = {g.key: (g.numerator or 0, g.denominator or 0) for g in groups}
    below = tree.below()

    def figures(unit: OrgUnit) -> UnitFigures:
        children = tuple(figures(child) for child in below.get(unit.id, []))
        own_numerator, own_denominator = counts.get(unit.id, (0, 0))
        numerator = own_numerator + sum(c.numerator for c in children)
        denominator = own_denominator + sum(c.denominator for c in children)
        value, insufficient = _value(numerator, denominator, min_denominator)
        return UnitFigures(
            unit.id,
            unit.title,
            numerator,
            denominator,
            own_numerator,
            own_denominator,
            value,
            insufficient,
            children,
        )

    roots = tuple(figures(root) for root in tree.roots)
    inside = tree.ids()
    codes = tuple(sorted(code for code in counts if code not in inside))
    outside = None
    if codes:
        numerator = sum(counts[code][0] for code in codes)
        denominator = sum(counts[code][1] for code in codes)
        value, insufficient = _value(numerator, denominator, min_denominator)
        outside = Outside(codes, numerator, denominator, value, insufficient)
    found = UnitBreakdown(column, roots, outside)
    lowest = least_healthy(found, direction, min_denominator)
    return attrs.evolve(found, least_healthy=lowest)


def least_healthy(
    breakdown: UnitBreakdown, direction: Direction, min_denominator: int = 1
) -> tuple[str, ...]:
    """The :data:`LEAST_HEALTHY` units with the lowest values (the highest when less is
    better), worst first, ties in the tree's order. A unit counts with at least
    ``min_denominator`` records (and at least one) under it; a unit at the top counts only
    beside others at the top, since alone its figure is the whole indicator's."""
    ranked: list[tuple[float, int, str]] = []
    for order, (depth, figures) in enumerate(breakdown.units()):
        if depth == 0 and len(breakdown.roots) == 1:
            continue
        if figures.value is None or figures.denominator < max(min_denominator, 1):
            continue
        worse = figures.value if direction == "up" else -figures.value
        ranked.append((worse, order, figures.unit))
    return tuple(unit for _, _, unit in sorted(ranked)[:LEAST_HEALTHY])


def subtree(units: Sequence[OrgUnit], top: str) -> frozenset[str]:
    """The ids of a unit and of every unit below it."""
    return Tree(tuple(units), top).ids()
