"""The span of records an indicator looks at on an evaluation date: every window, declared once.

The plan's ``window`` key, what a kind supports by default, the window of each result and
the words the reports use for it all come from :data:`WINDOW_TABLE`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs

from .i18n import N_

__all__ = [
    "DATED_WINDOWS",
    "PERIODS",
    "WINDOWS",
    "WINDOW_TABLE",
    "Window",
    "WindowName",
    "WindowRule",
    "iso_spans",
    "period_ends",
    "window_on",
    "window_rule",
]

#: The name of a window, as plans, kinds and the JSON output write it.
WindowName = Literal["year", "quarter", "month", "cumulative", "point"]

#: The first day of a window, from the evaluation date and the plan's start.
FirstDay = Callable[[dt.date, dt.date], dt.date]


@attrs.frozen
class WindowRule:
    """A window: its name, what the reports call it (a message id), what it holds, and its
    first day. A ``point`` window is the state of a population on the date itself, not a
    span of dated records. A window of a calendar period (a year, a quarter, a month) gives
    its length in ``months`` and, in ``ends``, what its period ends are called (a message
    id): those are the periods ``--grid`` adds the ends of."""

    name: WindowName
    label: str
    description: str
    first_day: FirstDay
    point: bool = False
    months: int = 0
    ends: str = ""


def _quarter(as_of: dt.date, _plan_start: dt.date) -> dt.date:
    return as_of.replace(month=(as_of.month - 1) // 3 * 3 + 1, day=1)


#: Every window, in the order plans and reports list them.
WINDOW_TABLE: tuple[WindowRule, ...] = (
    WindowRule(
        "year",
        N_("year to date"),
        "1 January of D's year to D, both included (year to date)",
        lambda as_of, _: as_of.replace(month=1, day=1),
        months=12,
        ends=N_("every year's end"),
    ),
    WindowRule(
        "quarter",
        N_("quarter to date"),
        "the first day of D's quarter to D",
        _quarter,
        months=3,
        ends=N_("every quarter's end"),
    ),
    WindowRule(
        "month",
        N_("month to date"),
        "the first day of D's month to D",
        lambda as_of, _: as_of.replace(day=1),
        months=1,
        ends=N_("every month's end"),
    ),
    WindowRule(
        "cumulative",
        N_("since the plan start"),
        "the plan start to D",
        lambda _, plan_start: plan_start,
    ),
    WindowRule(
        "point",
        N_("on the date"),
        "the state of a population on D (staff on the register, credentials held by D)",
        lambda as_of, _: as_of,
        point=True,
    ),
)

#: The names of the windows, in the order of the table.
WINDOWS: tuple[WindowName, ...] = tuple(rule.name for rule in WINDOW_TABLE)

#: The windows of a calendar period, longest first: the grids whose ends milestones may be
#: looked for on.
PERIODS: tuple[WindowName, ...] = tuple(rule.name for rule in WINDOW_TABLE if rule.months)

#: The windows of records dated in a span (all but ``point``): what a kind supports unless
#: it says otherwise, the first being its default.
DATED_WINDOWS: tuple[WindowName, ...] = tuple(r.name for r in WINDOW_TABLE if not r.point)

_BY_NAME: dict[str, WindowRule] = {rule.name: rule for rule in WINDOW_TABLE}


def window_rule(name: str) -> WindowRule:
    """The window of this name (KeyError if there is none)."""
    return _BY_NAME[name]


@attrs.frozen
class Window:
    """The dates an indicator looks at, both ends included.

    ``kind`` is the window's name (``year``, ``quarter``, ``month``, ``cumulative``,
    ``point``); for ``point`` the window is the single evaluation date.
    """

    kind: WindowName
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def to_dict(self) -> dict[str, str]:
        """The window as the JSON output gives it."""
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Window:
        """The inverse of :meth:`to_dict`."""
        day = dt.date.fromisoformat
        return cls(data["kind"], day(data["start"]), day(data["end"]))

    @property
    def point(self) -> bool:
        """Whether this is a ``point`` window: the state on a date, not a span of records."""
        return window_rule(self.kind).point


def window_on(kind: str, as_of: dt.date, plan_start: dt.date) -> Window:
    """The window of the given kind at the evaluation date ``as_of``.

    ``year``, ``quarter`` and ``month`` run from the first day of the period containing
    ``as_of`` to ``as_of`` (period to date); ``cumulative`` runs from the plan start;
    ``point`` is ``as_of`` itself.
    """
    if kind not in _BY_NAME:
        raise ValueError(f"unknown window {kind!r}")
    rule = _BY_NAME[kind]
    return Window(rule.name, rule.first_day(as_of, plan_start), as_of)


def iso_spans(
    kind: str, dates: Sequence[dt.date], plan_start: dt.date
) -> list[tuple[str, str, str]]:
    """Each date with the first and last days of its window, as ISO text: what a count's SQL
    binds for its dates (see :func:`vpcp_indicators.sql.counts.count_sql`)."""
    spans = []
    for day in dates:
        window = window_on(kind, day, plan_start)
        spans.append((day.isoformat(), window.start.isoformat(), window.end.isoformat()))
    return spans


def period_ends(kind: str, start: dt.date, last: dt.date) -> list[dt.date]:
    """Every last day of the periods of a window of :data:`PERIODS` (``kind``) from
    ``start`` to ``last``, both included."""
    rule = window_rule(kind)
    ends, day = [], start
    while day <= last:
        first = rule.first_day(day, start)
        index = first.year * 12 + first.month - 1 + rule.months
        following = dt.date(index // 12, index % 12 + 1, 1)
        # The day before the next period's first day.
        end = following - dt.timedelta(days=1)
        if end <= last:
            ends.append(end)
        day = following
    return ends
