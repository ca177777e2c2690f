"""SVG charts drawn into the HTML report: an indicator's values against its expected line.

No script and no external file: the SVG is part of the page, so the report opens from a USB
stick and prints as it shows. Every text is escaped. Where things go is worked out in
``chart_layout.py``: each value is drawn at its own date, the years are named in the middle
of their stretch, and value labels cover no target, no point and no other label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..evaluation import IndicatorResult, Report
from ..i18n import Language
from ..milestones import Milestone
from ..plan.model import Indicator, Plan
from ..units import Unit
from .chart_layout import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    Box,
    Frame,
    Label,
    place_labels,
    round_ticks,
    year_bands,
)
from .milestone_view import state_text
from .trend_view import trend_text
from .view import SYMBOLS, status_label, unit_name

__all__ = ["timeline_chart"]

#: Half the width of a target's diamond, its outline included.
DIAMOND = 7
#: The radius of a value's dot, its outline included.
DOT = 6


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _value_axis(
    indicator: Indicator, values: Sequence[float], lang: Language, unit: Unit
) -> tuple[float, list[tuple[float, str]]]:
    """The top of the value axis and its ticks with their labels: 0 to 100 % for a share,
    round numbers up to the largest value, target or baseline for another figure."""
    if unit.share:
        return 1.0, [(t / 4, lang.percent(t / 4, digits=0)) for t in range(5)]
    goals = [float(t.value) for t in indicator.targets] + [float(indicator.baseline.value)]
    ticks, decimals = round_ticks(max([*values, *goals]))
    return ticks[-1], [(t, lang.decimal(t, decimals)) for t in ticks]


def _axes(frame: Frame, ticks: list[tuple[float, str]]) -> list[str]:
    parts = []
    for value, text in ticks:
        y = frame.y(value)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    for band in year_bands(frame):
        if band.x0 > LEFT:  # 1 January, between two years
            parts.append(
                f'<line class="tick" x1="{band.x0:.1f}" x2="{band.x0:.1f}" y1="{TOP}" '
                f'y2="{HEIGHT - BOTTOM}"/>'
            )
        if band.labelled:
            parts.append(
                f'<text class="axis year" x="{band.middle:.1f}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="middle">{band.year}</text>'
            )
    return parts


def _expected_line(indicator: Indicator, frame: Frame) -> str:
    baseline = float(indicator.baseline.value)
    line = [(indicator.baseline.on, baseline)]
    if frame.start < indicator.baseline.on:
        line.insert(0, (frame.start, baseline))
    line += [(t.by, float(t.value)) for t in indicator.targets]
    if line[-1][0] < frame.end:
        line.append((frame.end, line[-1][1]))
    drawn = [(frame.x(d), frame.y(v)) for d, v in line]
    return f'<polyline class="expected" points="{_points(drawn)}"/>'


def _targets(
    indicator: Indicator,
    frame: Frame,
    lang: Language,
    unit: Unit,
    milestones: Sequence[Milestone],
) -> tuple[list[str], list[Box]]:
    """The targets' diamonds, each filled by its milestone's state at the latest date, and
    the room each takes."""
    parts, boxes = [], []
    states = {m.by: m for m in milestones}
    for target in indicator.targets:
        value = float(target.value)
        x, y = frame.x(target.by), frame.y(value)
        boxes.append(Box(x - DIAMOND, y - DIAMOND, x + DIAMOND, y + DIAMOND))
        milestone = states.get(target.by)
        state = f" milestone-{milestone.state}" if milestone else ""
        said = f": {state_text(milestone, lang)}" if milestone else ""
        parts.append(
            f'<path class="target{state}" d="M{x:.1f},{y - 6:.1f} l6,6 l-6,6 l-6,-6 z">'
            f"<title>{escape(lang.gettext('target'))} {escape(lang.value(value, unit))} "
            f"({escape(lang.date(target.by))}){escape(said)}</title></path>"
        )
    return parts, boxes


def _projection(
    latest: tuple[dt.date, IndicatorResult], frame: Frame, plan: Plan, lang: Language
) -> str:
    """The trend's projection, dotted: from the latest value, at the observed rate, to the
    next unmet target's date, cut where it leaves the chart (nothing without one)."""
    day, result = latest
    trend = result.trend
    if result.value is None or trend.projected is None or trend.target_by is None:
        return ""
    start, end = result.value, trend.projected
    # Where the line leaves the axis (0 to top), it stops: the share of the way it gets.
    share = 1.0
    for bound in (0.0, frame.top):
        if (end - bound) * (start - bound) < 0 and end != start:
            share = min(share, (bound - start) / (end - start))
    until = day + (trend.target_by - day) * share
    reached = start + (end - start) * share
    points = [(frame.x(day), frame.y(start)), (frame.x(until), frame.y(reached))]
    words = escape(trend_text(result, plan, lang))
    return (
        f'<polyline class="projection" points="{_points(points)}"><title>{words}</title></polyline>'
    )


def _values(
    measured: Sequence[tuple[dt.date, IndicatorResult]],
    frame: Frame,
    lang: Language,
    taken: list[Box],
    unit: Unit,
) -> list[str]:
    """The measured values: a line through them, a dot at each, and each dot's label where
    it covers nothing in ``taken`` (nor another label)."""
    dots = [(frame.x(day), frame.y(float(r.value or 0))) for day, r in measured]
    texts = [lang.value(r.value, unit) for _, r in measured]
    parts = [f'<polyline class="value" points="{_points(dots)}"/>'] if len(dots) > 1 else []
    taken = taken + [Box(x - DOT, y - DOT, x + DOT, y + DOT) for x, y in dots]
    area = Box(LEFT, 0, WIDTH, HEIGHT - BOTTOM)  # not over the axes' labels
    labels = place_labels([(x, y, t) for (x, y), t in zip(dots, texts, strict=True)], taken, area)
    for (x, y), (day, result), text, label in zip(dots, measured, texts, labels, strict=True):
        shown = ""
        if label is not None:
            shown = (
                f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}">'
                f"{escape(text)}</text>"
            )
        parts.append(
            f'<g class="point status-{result.status}"><circle cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
            f"{shown}<title>{escape(lang.date(day))}: {escape(text)} "
            f"{SYMBOLS[result.status]} {escape(status_label(result.status, lang))}</title></g>"
        )
    return parts


def timeline_chart(indicator: Indicator, report: Report, lang: Language) -> Markup:
    """The chart of an indicator: its value at each evaluated date (points and line), the
    expected-value line (dashed) and the target milestones (diamonds), with the unit of a
    figure that is not a share above its axis."""
    plan = report.plan
    results = [(e.as_of, e.indicator(indicator.id)) for e in report.evaluations]
    measured = [(day, r) for day, r in results if r.value is not None]
    unit = report.plan.unit(results[0][1].unit)
    start = min(plan.start, indicator.baseline.on, *(d for d, _ in results))
    end = max(plan.end, *(d for d, _ in results))
    top, ticks = _value_axis(indicator, [float(r.value or 0) for _, r in measured], lang, unit)
    frame = Frame(start, end, top)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(indicator.title)}">',
        f"<title>{escape(indicator.title)}</title>",
        *_axes(frame, ticks),
        _expected_line(indicator, frame),
    ]
    taken = []
    if not unit.share:
        caption = Label(unit_name(unit, lang), LEFT, TOP - 10, "start")
        taken.append(caption.box)
        parts.append(
            f'<text class="axis unit" x="{caption.x}" y="{caption.y}">{escape(caption.text)}</text>'
        )
    diamonds, boxes = _targets(indicator, frame, lang, unit, results[-1][1].milestones)
    parts.append(_projection(results[-1], frame, plan, lang))
    parts += [*diamonds, *_values(measured, frame, lang, taken + boxes, unit), "</svg>"]
    return Markup("".join(parts))
