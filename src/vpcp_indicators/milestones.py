"""Milestones: whether each target of an indicator was met on its date, met later, missed,
or is not yet due, as seen from an evaluation date.

The engine measures every indicator on the asked dates and on every target date up to the
latest of them (and, with a grid, on every period end), in the same pass; a milestone is
judged from those values. The rules are in the README ("Milestones").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, Literal, cast

import attrs

from .i18n import N_
from .plan.model import Direction, Target
from .scoring import Colours, Mark, meets
from .windows import period_ends

__all__ = [
    "DUE",
    "MET",
    "MET_LATE",
    "MILESTONE_STATES",
    "MILESTONE_TABLE",
    "MISSED",
    "Milestone",
    "State",
    "checked_dates",
    "milestone_counts",
    "milestones_on",
    "state_of",
]

#: The state of a milestone, as the JSON output writes it.
State = Literal["met", "met_late", "missed", "due"]

MET: Final = "met"
MET_LATE: Final = "met_late"
MISSED: Final = "missed"
DUE: Final = "due"


#: Every state, best first: the one table reports read symbols, names and colours from.
MILESTONE_TABLE: tuple[Mark, ...] = (
    Mark(MET, "✔", N_("met"), Colours("32", "#1b6e2e", "#e4f4e8", "#1b6e2e")),
    Mark(MET_LATE, "↻", N_("met late"), Colours("33", "#8a5300", "#fdf1dc", "#c27a00")),
    Mark(MISSED, "✖", N_("missed"), Colours("31", "#a1201b", "#fbe4e2", "#c0281f")),
    Mark(DUE, "…", N_("not yet due"), Colours("90", "#555f68", "#eef0f2", "#8a939b")),
)

#: Every state code, best first.
MILESTONE_STATES: tuple[State, ...] = tuple(cast(State, s.code) for s in MILESTONE_TABLE)

_BY_CODE: dict[str, Mark] = {state.code: state for state in MILESTONE_TABLE}


def state_of(code: str) -> Mark:
    """The state of this code (KeyError if there is none)."""
    return _BY_CODE[code]


@attrs.frozen
class Milestone:
    """One target of an indicator seen from an evaluation date.

    ``target`` is the target's value; ``value`` the indicator's value on the target's date
    (None when it is not yet due, or had no value then); ``met_on`` is the date it was met:
    the target's own for ``met``, the first later date the engine evaluated for
    ``met_late``, else None. Figures are judged exactly and rounded to floats once, here.
    """

    by: dt.date
    target: float
    state: State
    value: float | None = None
    met_on: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The milestone as the JSON output gives it."""
        return {
            "by": self.by.isoformat(),
            "target": self.target,
            "state": self.state,
            "value": self.value,
            "met_on": None if self.met_on is None else self.met_on.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Milestone:
        """The inverse of :meth:`to_dict`."""
        met_on = data["met_on"]
        return cls(
            by=dt.date.fromisoformat(data["by"]),
            target=data["target"],
            state=data["state"],
            value=data["value"],
            met_on=None if met_on is None else dt.date.fromisoformat(met_on),
        )


def milestones_on(
    targets: Sequence[Target],
    direction: Direction,
    values: Mapping[dt.date, Fraction | None],
    on: dt.date,
) -> tuple[Milestone, ...]:
    """Each target's milestone on ``on``, from the indicator's values by date (the engine
    gives every target date up to ``on``; a date without a value, or not given, has none).

    ``due`` if the target's date is after ``on``; ``met`` if the value on its date meets it;
    ``met_late`` if the value on a later date, up to ``on``, does (the first such date);
    else ``missed``.
    """
    found = []
    for target in targets:
        if target.by > on:
            found.append(Milestone(target.by, float(target.value), DUE))
            continue
        then = values.get(target.by)
        if then is not None and meets(then, target.value, direction):
            found.append(Milestone(target.by, float(target.value), MET, float(then), target.by))
            continue
        later = (
            day
            for day in sorted(values)
            if target.by < day <= on
            and (value := values[day]) is not None
            and meets(value, target.value, direction)
        )
        met_on = next(later, None)
        state: State = MISSED if met_on is None else MET_LATE
        shown = None if then is None else float(then)
        found.append(Milestone(target.by, float(target.value), state, shown, met_on))
    return tuple(found)


def milestone_counts(milestones: Iterable[Milestone]) -> dict[str, int]:
    """How many milestones are in each state, every state given (0 for none)."""
    counts: dict[str, int] = {state.code: 0 for state in MILESTONE_TABLE}
    for milestone in milestones:
        counts[milestone.state] += 1
    return counts


def checked_dates(
    asked: Iterable[dt.date],
    target_dates: Iterable[dt.date],
    start: dt.date,
    grid: str | None = None,
) -> list[dt.date]:
    """The dates an evaluation measures on: the asked dates, the target dates up to the
    latest of them, and with a ``grid`` (a window of :data:`~vpcp_indicators.windows.PERIODS`)
    every end of its periods from ``start`` up to it."""
    asked = set(asked)
    last = max(asked)
    days = asked | {day for day in target_dates if day <= last}
    if grid is not None:
        days |= set(period_ends(grid, start, last))
    return sorted(days)
