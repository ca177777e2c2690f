"""The span of records an indicator looks at on an evaluation date."""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["Window", "window_on"]


@attrs.frozen
class Window:
    """The dates an indicator looks at, both ends included.

    ``kind`` is the window's name (``year``, ``quarter``, ``month``, ``cumulative``,
    ``point``); for ``point`` the window is the single evaluation date.
    """

    kind: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def window_on(kind: str, as_of: dt.date, plan_start: dt.date) -> Window:
    """The window of the given kind at the evaluation date ``as_of``.

    ``year``, ``quarter`` and ``month`` run from the first day of the period containing
    ``as_of`` to ``as_of`` (period to date); ``cumulative`` runs from the plan start;
    ``point`` is ``as_of`` itself.
    """
    if kind == "year":
        start = as_of.replace(month=1, day=1)
    elif kind == "quarter":
        start = as_of.replace(month=(as_of.month - 1) // 3 * 3 + 1, day=1)
    elif kind == "month":
        start = as_of.replace(day=1)
    elif kind == "cumulative":
        start = plan_start
    elif kind == "point":
        start = as_of
    else:
        raise ValueError(f"unknown window {kind!r}")
    return Window(kind, start, as_of)
