"""From a value and its targets to an expected value, a score and a status.

All arithmetic is exact (:class:`fractions.Fraction`); numbers become floats only in outputs.
The method is described in the README ("How a figure is scored").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise

import attrs

from .plan.model import Baseline, Target

__all__ = [
    "ACHIEVED",
    "AT_RISK",
    "ERROR",
    "NO_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "STATUSES",
    "IndicatorScore",
    "expected_value",
    "score",
    "score_indicator",
]

NO_DATA = "no_data"
ERROR = "error"
ACHIEVED = "achieved"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"

#: Every status, best first.
STATUSES = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, ERROR)

_HUNDRED = Fraction(100)


Point = tuple[dt.date, Fraction]


def segment(baseline: Baseline, targets: Sequence[Target], on: dt.date) -> tuple[Point, Point]:
    """The two points of the expected line around a date: ``(d0, v0), (d1, v1)`` with
    ``d0 < on <= d1``; before the first point both are the first, after the last both the
    last."""
    points = [(baseline.on, baseline.value), *((t.by, t.value) for t in targets)]
    if on <= points[0][0]:
        return points[0], points[0]
    for before, after in pairwise(points):
        if on <= after[0]:
            return before, after
    return points[-1], points[-1]


def expected_value(baseline: Baseline, targets: Sequence[Target], on: dt.date) -> Fraction:
    """The value expected on a date: the line through the baseline and targets, by days.

    Before the baseline date it is the baseline value; after the last target, the last
    target's value; between two points ``v0 + (v1 - v0) * days_since_d0 / days_d0_to_d1``.
    """
    (d0, v0), (d1, v1) = segment(baseline, targets, on)
    if d0 == d1:
        return v0
    return v0 + (v1 - v0) * Fraction((on - d0).days, (d1 - d0).days)


def score(value: Fraction, expected: Fraction, baseline: Fraction, direction: str) -> Fraction:
    """The share of the way from the baseline to the expected value that ``value`` has come.

    Direction ``up``: ``100 * clamp((value - b) / (expected - b), 0, 1)``; where
    ``expected <= b`` nothing is asked beyond the baseline, and the score is 100 if
    ``value >= expected``, else 0. Direction ``down`` mirrors it.
    """
    if direction == "down":
        value, expected, baseline = -value, -expected, -baseline
    if expected <= baseline:
        return _HUNDRED if value >= expected else Fraction(0)
    share = (value - baseline) / (expected - baseline)
    return _HUNDRED * min(max(share, Fraction(0)), Fraction(1))


def _meets(value: Fraction, goal: Fraction, direction: str) -> bool:
    return value <= goal if direction == "down" else value >= goal


@attrs.frozen
class IndicatorScore:
    """The scoring of one indicator on one date."""

    expected: Fraction
    target: Target
    score: Fraction | None
    status: str


def score_indicator(
    value: Fraction | None,
    *,
    baseline: Baseline,
    targets: Sequence[Target],
    direction: str,
    on: dt.date,
    at_risk: Fraction,
    failed: bool = False,
) -> IndicatorScore:
    """Expected value, score and status of a value on a date.

    Status: ``error`` if the plugin failed, ``no_data`` without a value, ``achieved`` if the
    value meets the last target, ``on_track`` if it meets the expected value, ``at_risk`` if
    the score is at least ``at_risk``, else ``off_track``.
    """
    expected = expected_value(baseline, targets, on)
    target = next((t for t in targets if t.by >= on), targets[-1])
    if failed or value is None:
        return IndicatorScore(expected, target, None, ERROR if failed else NO_DATA)
    points = score(value, expected, baseline.value, direction)
    if _meets(value, targets[-1].value, direction):
        status = ACHIEVED
    elif _meets(value, expected, direction):
        status = ON_TRACK
    elif points >= at_risk:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return IndicatorScore(expected, target, points, status)
