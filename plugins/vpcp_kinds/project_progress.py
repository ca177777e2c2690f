"""Share of a task's projects done on schedule (tasks NV1 and NV2 of Decision 1935/QĐ-VPCP).

The projects come from a file with one row per project: ``project_id, task, lead,
planned_end, completed_on, percent_done``. A project counts once it is completed, on or
before the evaluation date and no later than its planned end (plus any grace days).

``percent_done`` is not read: it is the progress reported on one day, and a figure at an
earlier date cannot use it. It stays in the file for the people who keep it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from vpcp_indicators import (
    Column,
    Group,
    Kind,
    Measurement,
    Param,
    Record,
    Source,
    Window,
    hookimpl,
)

#: The vpcp-indicators plugin interface this plugin is written for.
PLUGIN_INTERFACE = 1

#: Ten years: more would be no schedule at all.
MAX_GRACE_DAYS = 3650

PROJECTS = Source(
    "projects",
    columns=[
        Column("project_id"),
        Column("task", description="the id of the plan's task the project belongs to"),
        Column("lead", description="the lead unit (đơn vị chủ trì)"),
        Column("planned_end", type="date"),
        Column("completed_on", type="date", required=False),
    ],
    description="one row per project: its task, lead unit, planned end and completion date",
)


def compute(
    records: Mapping[str, Sequence[Record]], window: Window, params: Mapping[str, Any]
) -> Measurement:
    """The task's projects; those completed on schedule by the date count."""
    grace = dt.timedelta(days=params["grace_days"])
    # A project listed twice is one project: its last row is its latest state.
    latest = {p["project_id"]: p for p in records["projects"] if p["task"] == params["task"]}
    groups: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for project in latest.values():
        completed, planned = project["completed_on"], project["planned_end"]
        assert isinstance(planned, dt.date)
        on_time = (
            isinstance(completed, dt.date)
            and completed <= window.end
            and completed <= planned + grace
        )
        figures = groups[str(project["lead"])]
        figures[0] += on_time
        figures[1] += 1
    breakdown = [Group(lead, n, d) for lead, (n, d) in sorted(groups.items())]
    return Measurement(
        numerator=sum(n for n, _ in groups.values()),
        denominator=sum(d for _, d in groups.values()),
        breakdown=breakdown,
    )


def check(params: Mapping[str, Any], sources: frozenset[str]) -> str | None:
    """Grace is a number of days, not a debt, and less than a plan's life."""
    if not 0 <= params["grace_days"] <= MAX_GRACE_DAYS:
        return f"grace_days must be from 0 to {MAX_GRACE_DAYS}"
    return None


KIND = Kind(
    name="project_progress",
    title="Share of projects done on schedule",
    sources=[PROJECTS],
    compute=compute,
    check=check,
    params=[
        Param(
            "task",
            "text",
            default_from="task",
            description="whose projects count: the rows whose 'task' is this (default: the "
            "indicator's task)",
        ),
        Param(
            "grace_days",
            "integer",
            default=0,
            description="days a project may end after its planned end and still count",
        ),
    ],
    windows=("point",),
    default_window="point",
    description="Denominator: the projects of the task (a project listed twice counts once, "
    "as its last row says). Numerator: those completed on or before the evaluation date and "
    "no later than their planned end (plus grace_days). Breakdown by lead unit.",
)


@hookimpl
def register_kinds(register: Callable[[Kind], None]) -> None:
    register(KIND)
