"""Share of staff who completed IT training (task NV4 of Decision 1935/QĐ-VPCP)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vpcp_indicators import (
    Always,
    Column,
    Count,
    HasRelated,
    In,
    Kind,
    OnOrBefore,
    Param,
    Source,
    hookimpl,
)

from .staff import STAFF, active

#: The vpcp-indicators plugin interface this plugin is written for.
PLUGIN_INTERFACE = 1

TRAININGS = Source(
    "trainings",
    columns=[Column("staff_id"), Column("course"), Column("completed_on", type="date")],
    description="one row per course completed by a member of staff",
)


def count(params: Mapping[str, Any]) -> Count:
    """Active staff (of the unit kinds, if given); those who completed the courses count."""
    courses = params["courses"]
    unit_kinds = params["unit_kinds"]
    return Count(
        source="staff",
        population=(In("unit_kind", unit_kinds) if unit_kinds else Always()) & active(),
        numerator=HasRelated(
            source="trainings",
            key="staff_id",
            where=OnOrBefore("completed_on"),
            covering=("course", courses) if courses else None,
        ),
        group_by="unit",
    )


KIND = Kind(
    name="training_completion",
    title="Share of staff trained in IT",
    sources=[STAFF, TRAININGS],
    count=count,
    params=[
        Param(
            "unit_kinds",
            "texts",
            default=[],
            description="the kinds of unit whose staff are counted; all if empty",
        ),
        Param(
            "courses",
            "texts",
            default=[],
            description="courses each person must have completed; any one course if empty",
        ),
    ],
    windows=("point",),
    default_window="point",
    description="Denominator: staff on the register on the date, of the unit kinds if given. "
    "Numerator: those who completed, on or before the date, every listed course (or at "
    "least one course if none is listed). A training row for an unknown staff_id is a data "
    "warning, not a completion.",
)


@hookimpl
def register_kinds(register: Callable[[Kind], None]) -> None:
    register(KIND)
