"""A plan as seen from one unit of its organisation (``evaluate --unit``)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..errors import Message, PlanError, message
from ..organisation import subtree
from ..plan.model import Plan
from .validation import ResolvedIndicator

__all__ = ["seen_from", "unknown_unit"]


def unknown_unit(plan: Plan, unit: str) -> Message | None:
    """Why a plan cannot be seen from this unit (it has none of this id), or None."""
    known = [u.id for u in plan.units]
    if unit in known:
        return None
    return message(
        "the plan has no unit '{unit}' (units: {known})",
        unit=unit,
        known=", ".join(known) or "none",
    )


def seen_from(
    plan: Plan, resolved: Sequence[ResolvedIndicator], unit: str
) -> tuple[Plan, list[ResolvedIndicator], tuple[str, ...]]:
    """The plan narrowed to one unit's subtree: its units (the unit at the top), its
    indicators whose breakdown rolls up the units, each counting the subtree's records
    alone; and the ids of the indicators left out, which no unit's records make."""
    missing = unknown_unit(plan, unit)
    if missing is not None:
        raise PlanError([plan.problem(("units",), missing)])
    ids = subtree(plan.units, unit)
    units = tuple(
        attrs.evolve(u, parent=None) if u.id == unit else u for u in plan.units if u.id in ids
    )
    kept = [attrs.evolve(item, confine=ids) for item in resolved if item.by_units is not None]
    left_out = tuple(item.indicator.id for item in resolved if item.by_units is None)
    narrowed = attrs.evolve(plan, units=units, indicators=tuple(i.indicator for i in kept))
    return narrowed, kept, left_out
