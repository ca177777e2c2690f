"""Where the trend leads: the observed rate of change of an indicator, the rate it needs to
reach its next unmet target, their ratio's class of progress (after Statistics Canada's
method, which Open SDG uses), and where the observed rate would take it.

Rates are linear, per year of 365.25 days, where that method takes compound annual growth:
compound growth is undefined for a share that starts at 0, as the seed plan's do, and a
plan's expected value is a straight line between its targets. The rules are in the README
("Where the trend leads").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, Literal, cast

import attrs

from .i18n import N_
from .plan.model import Direction, Target
from .scoring import Colours, Mark, meets

__all__ = [
    "PROGRESS",
    "PROGRESS_TABLE",
    "TARGET_ACHIEVED",
    "YEAR_DAYS",
    "Progress",
    "Trend",
    "base_date",
    "progress_of",
    "trend_on",
    "year_before",
]

#: A year, in days: rates are changes per year of this length.
YEAR_DAYS: Final = Fraction(1461, 4)

#: The class of progress, as the JSON output writes it.
Progress = Literal[
    "target_achieved", "on_pace", "acceleration_needed", "limited_progress", "deterioration"
]

TARGET_ACHIEVED: Final = "target_achieved"

#: The ratio of observed to required rate from which each class starts (the lowest class,
#: ``deterioration``, is below 0).
ON_TRACK_FROM: Final = Fraction(95, 100)
ACCELERATION_FROM: Final = Fraction(60, 100)


#: Every class, best first: the one table reports read symbols, names and colours from.
PROGRESS_TABLE: tuple[Mark, ...] = (
    Mark("target_achieved", "✔", N_("target achieved"), Colours("32", "#1b6e2e", "#e4f4e8")),
    Mark("on_pace", "↑", N_("on track to the target"), Colours("36", "#0b5f73", "#e0f2f6")),
    Mark(
        "acceleration_needed", "↗", N_("acceleration needed"), Colours("33", "#8a5300", "#fdf1dc")
    ),
    Mark("limited_progress", "→", N_("limited progress"), Colours("31", "#a1201b", "#fbe4e2")),
    Mark("deterioration", "↓", N_("deterioration"), Colours("35", "#6b2a86", "#f2e6f7")),
)

#: Every class code, best first.
PROGRESS: tuple[Progress, ...] = tuple(cast(Progress, c.code) for c in PROGRESS_TABLE)

_BY_CODE: dict[str, Mark] = {c.code: c for c in PROGRESS_TABLE}


def progress_of(code: str) -> Mark:
    """The class of this code (KeyError if there is none)."""
    return _BY_CODE[code]


@attrs.frozen
class Trend:
    """Where an indicator's trend leads, seen from an evaluation date.

    ``since`` is the date the observed rate is measured from (None: no earlier date was
    evaluated) and ``since_value`` the value then; ``observed`` the value's change per year
    since then; ``target_by`` and ``target`` the next target the value does not meet yet;
    ``required`` the change per year that reaches it by its date; ``pace_ratio`` observed over
    required; ``progress`` its class
    (``target_achieved`` when the value meets the last target). ``projected`` is the value on the
    target's date at the observed rate, ``reached_on`` the first day the observed rate
    reaches the target (None when it does not head there). Any of them is None when what it
    needs is missing. Figures are computed exactly and rounded to floats once, here.
    """

    since: dt.date | None = None
    since_value: float | None = None
    observed: float | None = None
    target_by: dt.date | None = None
    target: float | None = None
    required: float | None = None
    pace_ratio: float | None = None
    progress: Progress | None = None
    projected: float | None = None
    reached_on: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The trend as the JSON output gives it."""
        return {
            "since": _iso(self.since),
            "since_value": self.since_value,
            "observed": self.observed,
            "target_by": _iso(self.target_by),
            "target": self.target,
            "required": self.required,
            "pace_ratio": self.pace_ratio,
            "progress": self.progress,
            "projected": self.projected,
            "reached_on": _iso(self.reached_on),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Trend:
        """The inverse of :meth:`to_dict` (no trend for a report written before them)."""
        if data is None:
            return cls()
        return cls(
            since=_day(data["since"]),
            since_value=data["since_value"],
            observed=data["observed"],
            target_by=_day(data["target_by"]),
            target=data["target"],
            required=data["required"],
            pace_ratio=data["pace_ratio"],
            progress=data["progress"],
            projected=data["projected"],
            reached_on=_day(data["reached_on"]),
        )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def base_date(on: dt.date, measured: Iterable[dt.date]) -> dt.date | None:
    """The date an evaluation on ``on`` measures its observed rate from: the day a year
    earlier if it was measured, else the earliest date measured before ``on``, else None."""
    earlier = sorted(day for day in measured if day < on)
    if year_before(on) in earlier:
        return year_before(on)
    return earlier[0] if earlier else None


def _per_year(change: Fraction, start: dt.date, end: dt.date) -> Fraction:
    return change * YEAR_DAYS / (end - start).days


def _progress(pace_ratio: Fraction) -> Progress:
    if pace_ratio >= ON_TRACK_FROM:
        return "on_pace"
    if pace_ratio >= ACCELERATION_FROM:
        return "acceleration_needed"
    return "limited_progress" if pace_ratio >= 0 else "deterioration"


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def trend_on(
    targets: Sequence[Target],
    direction: Direction,
    values: Mapping[dt.date, Fraction | None],
    on: dt.date,
    since: dt.date | None,
) -> Trend:
    """The trend on ``on`` of an indicator whose values by date are ``values`` (which hold
    ``on`` and ``since``), measured from ``since``."""
    now = values.get(on)
    then = None if since is None else values.get(since)
    observed = None
    if since is not None and then is not None and now is not None:
        observed = _per_year(now - then, since, on)
    start = Trend(since=since, since_value=_float(then), observed=_float(observed))
    if now is None:
        return start
    if meets(now, targets[-1].value, direction):
        return attrs.evolve(start, progress=TARGET_ACHIEVED)
    ahead = next((t for t in targets if t.by > on and not meets(now, t.value, direction)), None)
    if ahead is None:  # past the last target's date, and it is not met
        return start
    required = _per_year(ahead.value - now, on, ahead.by)
    found = attrs.evolve(
        start,
        target_by=ahead.by,
        target=float(ahead.value),
        required=float(required),
    )
    if observed is None:
        return found
    pace_ratio = observed / required
    projected = now + observed * (ahead.by - on).days / YEAR_DAYS
    reached_on = None
    if pace_ratio > 0:
        days = (ahead.value - now) * YEAR_DAYS / observed
        try:
            reached_on = on + dt.timedelta(days=math.ceil(days))
        except OverflowError:  # beyond the last date a calendar holds: never, in effect
            reached_on = None
    return attrs.evolve(
        found,
        pace_ratio=float(pace_ratio),
        progress=_progress(pace_ratio),
        projected=float(projected),
        reached_on=reached_on,
    )
