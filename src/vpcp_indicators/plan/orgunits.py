"""Reading the ``[[units]]`` of a plan file: the organisation's tree, each unit's parent
declared and no unit its own ancestor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import Message, message
from ..i18n import N_
from .checking import Checker
from .keys import TOP, UNIT
from .model import OrgUnit

__all__ = ["MAX_LEVELS", "read_units", "tree_faults"]

#: The most levels a tree of units may have: more than any organisation's, few enough that
#: every output (a JSON tree nests a level in each unit) stays within what readers take.
MAX_LEVELS = 32

#: What is wrong with a unit's parent, said alike of a plan file and of a plan made in code.
NOT_DECLARED = N_("unit '{parent}' is not declared ([[units]] with this id)")
OWN_ANCESTOR = N_("unit '{unit}' is its own ancestor: {cycle}")


def read_units(check: Checker, data: Mapping[str, Any]) -> tuple[OrgUnit, ...]:
    """The units whose id and title can be read, each id once, in the plan's order; a parent
    that is not declared, that makes a cycle, or that puts the unit below :data:`MAX_LEVELS`
    levels, is reported and left out (the unit is then at the top of the draft)."""
    raw = check.array_of_tables(data, (), TOP["units"])
    repeats = check.unique(("units",), raw, UNIT.repeated)
    found: dict[str, tuple[int, OrgUnit]] = {}
    for index, value in enumerate(raw):
        table = check.table(("units", index), value, UNIT)
        if table is None or index in repeats:
            continue
        fields = check.fields(("units", index), table, UNIT)
        if fields["id"] and fields["title"]:
            found[fields["id"]] = (index, OrgUnit(fields["id"], fields["title"], fields["parent"]))
    units = {unit_id: unit for unit_id, (_, unit) in found.items()}
    for unit_id, (index, unit) in found.items():
        if unit.parent is None:
            continue
        where = ("units", index, "parent")
        if unit.parent not in units:
            check.problem(where, NOT_DECLARED, parent=unit.parent)
            units[unit_id] = OrgUnit(unit.id, unit.title)
        elif (cycle := _cycle(unit_id, units)) is not None:
            check.problem(where, OWN_ANCESTOR, unit=unit_id, cycle=" → ".join(cycle))
            units[unit_id] = OrgUnit(unit.id, unit.title)
    for unit_id, index in _too_deep(units, {u: i for u, (i, _) in found.items()}):
        template = N_("unit '{unit}' is {levels} levels down: a tree has at most {most}")
        check.problem(("units", index, "parent"), template, unit=unit_id, levels=MAX_LEVELS + 1,
                      most=MAX_LEVELS)  # fmt: skip
        units[unit_id] = OrgUnit(unit_id, units[unit_id].title)
    return tuple(units.values())


def _too_deep(units: Mapping[str, OrgUnit], index: Mapping[str, int]) -> list[tuple[str, int]]:
    """The units one level past :data:`MAX_LEVELS` (their parents to be cut, which puts
    what is below them back within the limit), in the plan's order. Cycles are already
    cut, so every chain of parents reaches the top."""
    levels: dict[str, int] = {}
    cut: list[tuple[str, int]] = []

    def level(unit_id: str) -> int:
        chain = []
        at: str | None = unit_id
        while at is not None and at not in levels:
            chain.append(at)
            at = units[at].parent
        above = 0 if at is None else levels[at]
        for name in reversed(chain):
            above = 1 if above == MAX_LEVELS else above + 1
            if above == 1 and units[name].parent is not None:
                cut.append((name, index[name]))
            levels[name] = above
        return levels[unit_id]

    for unit_id in units:
        level(unit_id)
    return sorted(cut, key=lambda found: found[1])


def _cycle(start: str, units: Mapping[str, OrgUnit]) -> list[str] | None:
    """The chain of parents from a unit back to itself, or None if it reaches the top."""
    chain = [start]
    parent = units[start].parent
    # A chain longer than the units must repeat one: only a chain back to the start is this
    # unit's fault (another cycle above it is reported at its own units).
    while parent is not None and parent in units and len(chain) <= len(units):
        chain.append(parent)
        if parent == start:
            return chain
        parent = units[parent].parent
    return None


def tree_faults(units: Sequence[OrgUnit]) -> list[Message]:
    """What is wrong with a tree of units made in code (a plan file's is cut as it is
    read): an id used twice, a parent not declared, a unit its own ancestor."""
    faults: list[Message] = []
    known: dict[str, OrgUnit] = {}
    for unit in units:
        if unit.id in known:
            faults.append(message(UNIT.repeated, id=unit.id))
        known.setdefault(unit.id, unit)
    for unit in known.values():
        if unit.parent is not None and unit.parent not in known:
            faults.append(message(NOT_DECLARED, parent=unit.parent))
        elif (cycle := _cycle(unit.id, known)) is not None:
            faults.append(message(OWN_ANCESTOR, unit=unit.id, cycle=" → ".join(cycle)))
    return faults
