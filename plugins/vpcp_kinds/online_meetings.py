"""Share of the Prime Minister's meetings with ministries, provinces and state groups held
online (target T1 of Decision 1935/QĐ-VPCP)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vpcp_indicators import Column, Count, In, InWindow, Kind, Param, Source, hookimpl

#: The vpcp-indicators plugin interface this plugin is written for.
PLUGIN_INTERFACE = 1

MEETINGS = Source(
    "meetings",
    columns=[
        Column("meeting_id"),
        Column("held_on", type="date"),
        Column("chair"),
        Column("counterpart_kind"),
        Column("mode"),
    ],
    description="one row per meeting: date, chair, kind of counterpart, how it was held",
)


def count(params: Mapping[str, Any]) -> Count:
    """Meetings in the window chaired and attended as the parameters say; online ones count."""
    return Count(
        source="meetings",
        population=InWindow("held_on")
        & In("chair", params["chairs"])
        & In("counterpart_kind", params["counterpart_kinds"]),
        numerator=In("mode", params["online_modes"]),
        group_by="counterpart_kind",
    )


KIND = Kind(
    name="online_meeting_coverage",
    title="Share of meetings held online",
    sources=[MEETINGS],
    count=count,
    params=[
        Param(
            "chairs",
            "texts",
            default=["prime_minister"],
            nonempty=True,
            description="who chairs the meetings counted",
        ),
        Param(
            "counterpart_kinds",
            "texts",
            default=["ministry", "sector", "province", "state_group", "corporation_91"],
            nonempty=True,
            description="the kinds of counterpart whose meetings are counted",
        ),
        Param(
            "online_modes",
            "texts",
            default=["online", "hybrid"],
            nonempty=True,
            description="the modes that count as held online",
        ),
    ],
    default_window="year",
    description="Denominator: meetings held in the window whose chair and counterpart kind are "
    "among the parameters'. Numerator: those held in one of the online modes.",
)


@hookimpl
def register_kinds(register: Callable[[Kind], None]) -> None:
    register(KIND)
