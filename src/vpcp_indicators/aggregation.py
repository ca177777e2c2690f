"""Rolling scores up: indicators into a task, tasks into the plan.

The three built-in aggregation methods are registered through the ``register_aggregations``
hook, like any plugin's. An aggregation's function receives ``(score, weight)`` pairs as exact
fractions (only items that have a score) and returns the combined score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import attrs

from .errors import PluginError
from .hookspecs import hookimpl
from .plan.model import exact
from .scoring import (
    ACHIEVED,
    AT_RISK,
    INSUFFICIENT_DATA,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    StatusCode,
)

__all__ = [
    "Aggregation",
    "AggregationFunction",
    "combine",
    "geometric_mean",
    "guarded",
    "held_back",
    "minimum",
    "weighted_mean",
]

#: What combines scores: ``(score, weight)`` pairs in, the combined score out.
AggregationFunction = Callable[[Sequence[tuple[Fraction, Fraction]]], "Fraction | float"]


@attrs.frozen
class Aggregation:
    """A method of combining scores into a task's or the plan's score, which a plan picks
    with ``[scoring] aggregation = "name"``. ``function`` receives a non-empty sequence of
    ``(score, weight)`` pairs, as :class:`fractions.Fraction`, and returns a number from 0 to
    100; ``title`` says what it does, for people."""

    name: str
    function: AggregationFunction
    title: str = ""


def guarded(name: str, aggregations: Mapping[str, Aggregation]) -> AggregationFunction:
    """The function of the aggregation of this name; if it raises or returns no number, a
    PluginError."""
    function = aggregations[name].function

    def aggregate(items: Sequence[tuple[Fraction, Fraction]]) -> Fraction:
        try:
            result = exact(function(items))
        except Exception as error:  # the plan cannot be scored: say whose fault it is
            raise PluginError(
                "aggregation '{name}' failed: {reason}",
                name=name,
                reason=f"{type(error).__name__}: {error}",
            ) from error
        if not 0 <= result <= 100:
            raise PluginError(
                "aggregation '{name}' returned {value}, not 0 to 100",
                name=name,
                value=f"{float(result):g}",
            )
        return result

    return aggregate


def weighted_mean(items: Sequence[tuple[Fraction, Fraction]]) -> Fraction:
    """``sum(w * s) / sum(w)``."""
    return sum((w * s for s, w in items), Fraction(0)) / sum(w for _, w in items)


def geometric_mean(items: Sequence[tuple[Fraction, Fraction]]) -> Fraction | float:
    """``exp(sum(w * ln s) / sum(w))``, and 0 as soon as one score is 0.

    Equal scores give that score exactly, so that a task whose indicators all score 80 scores
    80, not 79.99999999999999.
    """
    if any(s == 0 for s, _ in items):
        return Fraction(0)
    if len({s for s, _ in items}) == 1:
        return items[0][0]
    total = sum(w for _, w in items)
    # Each weight's share is taken exactly first: weights near the largest float would
    # overflow a float sum. Rounding may step just past the scores: it is brought back.
    found = math.exp(math.fsum(float(w / total) * math.log(s) for s, w in items))
    low, high = min(s for s, _ in items), max(s for s, _ in items)
    return min(max(found, float(low)), float(high))


def minimum(items: Sequence[tuple[Fraction, Fraction]]) -> Fraction:
    """The lowest score; weights play no part."""
    return min(s for s, _ in items)


@hookimpl
def register_aggregations(register: Callable[[Aggregation], None]) -> None:
    """The built-in aggregations."""
    register(Aggregation("weighted_mean", weighted_mean, "Weighted mean of the scores"))
    register(Aggregation("geometric_mean", geometric_mean, "Weighted geometric mean of the scores"))
    register(Aggregation("minimum", minimum, "Lowest score"))


def combine(
    parts: Sequence[tuple[Fraction | None, Fraction, StatusCode]],
    aggregation: AggregationFunction,
    at_risk: Fraction,
) -> tuple[Fraction | None, StatusCode]:
    """Score and status of a whole from ``(score, weight, status)`` of its parts.

    Parts without a score are left out of the score. Status, when no part has a score:
    ``insufficient_data`` if a part is, else ``no_data``. Otherwise ``achieved`` if every
    part is achieved; ``on_track`` if every scored part is achieved or on track; ``at_risk``
    if the score is at least ``at_risk``; else ``off_track``.
    """
    scored = [(s, w) for s, w, _ in parts if s is not None]
    if not scored:
        too_few = any(status == INSUFFICIENT_DATA for _, _, status in parts)
        return None, INSUFFICIENT_DATA if too_few else NO_DATA
    value = exact(aggregation(scored))
    if all(status == ACHIEVED for _, _, status in parts):
        return value, ACHIEVED
    if all(status in (ACHIEVED, ON_TRACK) for s, _, status in parts if s is not None):
        return value, ON_TRACK
    return value, AT_RISK if value >= at_risk else OFF_TRACK


def held_back(
    parts: Sequence[tuple[str, Fraction | None, Fraction]], aggregation: AggregationFunction
) -> tuple[str, Fraction] | None:
    """The part that holds a whole's score back most, and by how much: of ``(id, score,
    weight)``, the part whose score raised to 100 would raise the whole's score most (the
    first in order on a tie), and that rise. None when no part has a score, or when raising
    no single part would raise the whole's score (every part at 100, or a tie for the
    lowest under ``minimum``)."""
    scored = [(name, s, w) for name, s, w in parts if s is not None]
    if not scored:
        return None
    now = exact(aggregation([(s, w) for _, s, w in scored]))
    best: tuple[str, Fraction] | None = None
    for name, score, _ in scored:
        if score >= 100:
            continue
        raised = [(Fraction(100) if n == name else s, w) for n, s, w in scored]
        lift = exact(aggregation(raised)) - now
        if lift > 0 and (best is None or lift > best[1]):
            best = (name, lift)
    return best
