"""Share of advisory staff holding a digital signature and an e-mail address (target T3 of
Decision 1935/QĐ-VPCP)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vpcp_indicators import AllOf, Count, In, Kind, OnOrBefore, Param, hookimpl

from .staff import STAFF, active

#: The vpcp-indicators plugin interface this plugin is written for.
PLUGIN_INTERFACE = 1

CREDENTIALS = ("signature", "email")


def count(params: Mapping[str, Any]) -> Count:
    """Active staff of the unit kinds; those holding every required credential count."""
    return Count(
        source="staff",
        population=In("unit_kind", params["unit_kinds"]) & active(),
        numerator=AllOf(OnOrBefore(f"{c}_issued_on") for c in params["require"]),
        group_by="unit",
    )


KIND = Kind(
    name="digital_signature_issuance",
    title="Share of staff with a digital signature and e-mail",
    sources=[STAFF],
    count=count,
    params=[
        Param(
            "unit_kinds",
            "texts",
            default=["advisory"],
            nonempty=True,
            description="the kinds of unit whose staff are counted",
        ),
        Param(
            "require",
            "texts",
            default=list(CREDENTIALS),
            choices=CREDENTIALS,
            nonempty=True,
            description="the credentials each person must hold",
        ),
    ],
    windows=("point",),
    default_window="point",
    description="Denominator: staff of the unit kinds on the register on the date (joined on "
    "or before it, not left by then). Numerator: those issued every required credential on "
    "or before the date.",
)


@hookimpl
def register_kinds(register: Callable[[Kind], None]) -> None:
    register(KIND)
