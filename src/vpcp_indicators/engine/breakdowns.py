"""A plan's breakdown of an indicator checked against its kind: the column it groups by, and
whether that column holds the ids of the plan's units."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import message
from ..kinds.kind import Kind
from ..plan.model import Breakdown, Indicator
from .source_checks import Found

__all__ = ["breakdown_of"]


def breakdown_of(
    kind: Kind, indicator: Indicator, params: Mapping[str, Any]
) -> tuple[tuple[str, str] | None, list[Found]]:
    """The counted source and column of a breakdown tied to the units, and what is wrong
    with the plan's breakdown: only a kind that counts breaks down by a column the engine
    knows, and the column must be one of the counted source's."""
    asked = indicator.breakdown
    if asked == Breakdown():
        return None, []
    if kind.count is None:
        refused = message(
            "kind '{kind}' computes its figures in Python: only a kind that counts can have "
            "its breakdown chosen or tied to the units",
            kind=kind.name,
        )
        return None, [(("breakdown",), refused)]
    try:
        count = kind.count(params)
        source = kind.source(count.source)
    except Exception:  # the kind's own fault, reported when it is evaluated
        # Still tied: seen from a unit, the indicator is shown in error, not left out.
        return (("", asked.column or "") if asked.units else None), []
    column = asked.column or count.group_by
    if column is None:
        unnamed = message(
            "kind '{kind}' breaks nothing down: name the column (column = \"...\")",
            kind=kind.name,
        )
        return None, [(("breakdown",), unnamed)]
    names = [c.name for c in source.columns]
    if column not in names:
        missing = message(
            "source '{source}' of kind '{kind}' has no column '{column}' (columns: {known})",
            source=source.name,
            kind=kind.name,
            column=column,
            known=", ".join(names),
        )
        return None, [(("breakdown", "column"), missing)]
    if asked.units and source.column(column).type != "text":
        untyped = message(
            "column '{column}' holds {type}s, not the ids of units",
            column=column,
            type=source.column(column).type,
        )
        return None, [(("breakdown", "column"), untyped)]
    return ((source.name, column) if asked.units else None), []
