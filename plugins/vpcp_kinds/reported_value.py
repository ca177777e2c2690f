"""Values that units report by hand, for targets that no system records (used for task NV3
of Decision 1935/QĐ-VPCP).

The reports come from a file with one row per report (``indicator, reported_on, value, unit,
reporter``: one file can serve every reported indicator of a plan) or are written in the
plan itself. On each evaluation date the indicator takes the latest report on or before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from vpcp_indicators import Column, Kind, Measurement, Param, Record, Source, Window, hookimpl

#: The vpcp-indicators plugin interface this plugin is written for.
PLUGIN_INTERFACE = 1

REPORTS = Source(
    "reports",
    columns=[
        Column("indicator", description="the id of the indicator reported on"),
        Column("reported_on", type="date", description="the date the value holds for"),
        Column("value", type="number", description="the value, like 0.75 or 12"),
        Column("unit", required=False, description="the unit that reports"),
        Column("reporter", required=False, description="who reports"),
    ],
    description="one row per report of a value",
    required=False,
)

#: The keys of a report written in the plan: those of the file but ``indicator``.
FIELDS = REPORTS.columns[1:]


def compute(
    records: Mapping[str, Sequence[Record]], window: Window, params: Mapping[str, Any]
) -> Measurement:
    """The value of the latest report in the window (on or before the date)."""
    reports = [r for r in records["reports"] if r["indicator"] == params["indicator"]]
    reports += params["values"]
    # The point window is the date alone; a report made before it still holds on it.
    start = None if window.kind == "point" else window.start
    due = [
        (day, order, report)
        for order, report in enumerate(reports)
        if isinstance(day := report["reported_on"], dt.date)
        and (start is None or start <= day)
        and day <= window.end
    ]
    if not due:
        return Measurement()
    # Of two reports on the same day, the one written last (in the file, then the plan) wins.
    _, _, latest = max(due, key=lambda item: (item[0], item[1]))
    value = latest["value"]
    assert isinstance(value, Fraction)  # a number column, and inline values alike
    return Measurement(value=value)


def check(params: Mapping[str, Any], sources: frozenset[str]) -> str | None:
    """One place for the reports: the file or the plan."""
    if "reports" in sources and params["values"]:
        return (
            "give the reports in a file (sources.reports) or in the plan (params.values), not both"
        )
    if "reports" not in sources and not params["values"]:
        return "give the reports in a file (sources.reports) or in the plan (params.values)"
    return None


KIND = Kind(
    name="reported_value",
    title="A value reported by hand",
    sources=[REPORTS],
    compute=compute,
    check=check,
    params=[
        Param(
            "indicator",
            "text",
            default_from="indicator",
            description="the rows of the reports file that count: those whose 'indicator' "
            "is this (default: the indicator's own id)",
        ),
        Param(
            "values",
            "tables",
            fields=FIELDS,
            description="reports written in the plan instead of a file: "
            '[{ reported_on = 2012-12-31, value = 0.5, unit = "...", reporter = "..." }]',
        ),
    ],
    windows=("point", "year", "quarter", "month", "cumulative"),
    default_window="point",
    unit="number",
    description="The value of the latest report dated on or before the evaluation date (with "
    "the window point, any earlier report; with year, quarter, month or cumulative, only "
    "reports dated in that window). No report: no value. A share is written as a fraction "
    '(0.75) and the plan says unit = "ratio" to show it as a percentage.',
)


@hookimpl
def register_kinds(register: Callable[[Kind], None]) -> None:
    register(KIND)
