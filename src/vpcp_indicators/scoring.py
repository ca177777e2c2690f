"""From a value and its targets to an expected value, a score and a status.

All arithmetic is exact (:class:`fractions.Fraction`); numbers become floats only in outputs.
The method is described in the README ("How a figure is scored").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Final, Literal

import attrs

from .i18n import N_
from .plan.model import Baseline, Direction, Target

__all__ = [
    "ACHIEVED",
    "AT_RISK",
    "ERROR",
    "INSUFFICIENT_DATA",
    "NO_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "STATUSES",
    "STATUS_TABLE",
    "Colours",
    "IndicatorScore",
    "Mark",
    "Status",
    "StatusCode",
    "expected_value",
    "meets",
    "score",
    "score_indicator",
    "status_of",
    "too_few",
]

#: The code of a status, as the JSON output and the reports' styles write it.
StatusCode = Literal[
    "achieved", "on_track", "at_risk", "off_track", "insufficient_data", "no_data", "error"
]

INSUFFICIENT_DATA: Final = "insufficient_data"
NO_DATA: Final = "no_data"
ERROR: Final = "error"
ACHIEVED: Final = "achieved"
ON_TRACK: Final = "on_track"
AT_RISK: Final = "at_risk"
OFF_TRACK: Final = "off_track"


@attrs.frozen
class Colours:
    """The colours of a status: on a terminal (an ANSI SGR code), and on the page (its text,
    its background, and its point on a chart, None where a chart never draws it)."""

    terminal: str
    text: str
    background: str
    mark: str | None = None


@attrs.frozen
class Mark:
    """A state that reports show beside a status (a milestone's, a trend's class): its code,
    a shape (so that it does not rest on colour alone), its name (a message id) and its
    colours."""

    code: str
    symbol: str
    label: str
    colours: Colours


@attrs.frozen
class Status:
    """A status: its code, a shape (so that it does not rest on colour alone), its name (a
    message id, translated where shown) and its colours."""

    code: StatusCode
    symbol: str
    label: str
    colours: Colours


#: Every status, best first: the one table reports read symbols, names and colours from.
STATUS_TABLE: tuple[Status, ...] = (
    Status(ACHIEVED, "✔", N_("achieved"), Colours("32", "#1b6e2e", "#e4f4e8", "#1b6e2e")),
    Status(ON_TRACK, "●", N_("on track"), Colours("36", "#0b5f73", "#e0f2f6", "#0b7a93")),
    Status(AT_RISK, "▲", N_("at risk"), Colours("33", "#8a5300", "#fdf1dc", "#c27a00")),
    Status(OFF_TRACK, "✖", N_("off track"), Colours("31", "#a1201b", "#fbe4e2", "#c0281f")),
    Status(INSUFFICIENT_DATA, "◐", N_("insufficient data"), Colours("34", "#35467a", "#e8ebf6")),
    Status(NO_DATA, "○", N_("no data"), Colours("90", "#555f68", "#eef0f2")),
    Status(ERROR, "⚠", N_("error"), Colours("35", "#6b2a86", "#f2e6f7")),
)

#: Every status code, best first.
STATUSES: tuple[StatusCode, ...] = tuple(status.code for status in STATUS_TABLE)

_BY_CODE: dict[str, Status] = {status.code: status for status in STATUS_TABLE}


def status_of(code: str) -> Status:
    """The status of this code (KeyError if there is none)."""
    return _BY_CODE[code]


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


def score(
    value: Fraction, expected: Fraction, baseline: Fraction, direction: Direction
) -> Fraction:
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


def too_few(denominator: int | None, minimum: int) -> bool:
    """Whether a share rests on too few records to be judged: some, but fewer than the
    indicator's ``min_denominator``. None are no data, not too few."""
    return denominator is not None and 0 < denominator < minimum


def meets(value: Fraction, goal: Fraction, direction: Direction) -> bool:
    """Whether a value meets a goal: ``>=`` when more is better (``up``), ``<=`` when less
    is."""
    return value <= goal if direction == "down" else value >= goal


@attrs.frozen
class IndicatorScore:
    """The scoring of one indicator on one date."""

    expected: Fraction
    target: Target
    score: Fraction | None
    status: StatusCode


def score_indicator(
    value: Fraction | None,
    *,
    baseline: Baseline,
    targets: Sequence[Target],
    direction: Direction,
    on: dt.date,
    at_risk: Fraction,
    failed: bool = False,
    insufficient: bool = False,
) -> IndicatorScore:
    """Expected value, score and status of a value on a date.

    Status: ``error`` if the plugin failed, ``insufficient_data`` if the value rests on too
    few records (``insufficient``), ``no_data`` without a value, ``achieved`` if the
    value meets the last target, ``on_track`` if it meets the expected value, ``at_risk`` if
    the score is at least ``at_risk``, else ``off_track``.
    """
    expected = expected_value(baseline, targets, on)
    target = next((t for t in targets if t.by >= on), targets[-1])
    status: StatusCode
    if failed or insufficient or value is None:
        status = ERROR if failed else INSUFFICIENT_DATA if insufficient else NO_DATA
        return IndicatorScore(expected, target, None, status)
    points = score(value, expected, baseline.value, direction)
    if meets(value, targets[-1].value, direction):
        status = ACHIEVED
    elif meets(value, expected, direction):
        status = ON_TRACK
    elif points >= at_risk:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return IndicatorScore(expected, target, points, status)
