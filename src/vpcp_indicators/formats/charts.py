"""SVG charts drawn into the HTML report: an indicator's values against its expected line.

No script and no external file: the SVG is part of the page, so the report opens from a USB
stick and prints as it shows. Every text is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..evaluation import Report
from ..i18n import Language
from ..plan.model import Indicator
from ..units import is_share
from .view import SYMBOLS, status_label

__all__ = ["timeline_chart"]

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 34, 18, 34


def _x(day: dt.date, start: dt.date, end: dt.date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(max(value / top, 0.0), 1.0))


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def timeline_chart(indicator: Indicator, report: Report, lang: Language) -> Markup:
    """The chart of an indicator: its value at each evaluated date (points and line), the
    expected-value line (dashed) and the target milestones (diamonds)."""
    plan = report.plan
    results = [(e.as_of, e.indicator(indicator.id)) for e in report.evaluations]
    unit = results[0][1].unit
    start = min(plan.start, indicator.baseline.on, *(d for d, _ in results))
    end = max(plan.end, *(d for d, _ in results))
    values = [r.value for _, r in results if r.value is not None]
    targets = [(t.by, float(t.value)) for t in indicator.targets]
    if is_share(unit):
        top = 1.0
    else:
        top = max([*values, *(v for _, v in targets), float(indicator.baseline.value), 1.0]) * 1.1

    def label(value: float) -> str:
        return lang.value(value, unit)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(indicator.title)}">',
        f"<title>{escape(indicator.title)}</title>",
    ]
    for step in range(5):
        share = step / 4
        y = _y(share * top, top)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(label(share * top))}</text>"
        )
    for year in range(start.year, end.year + 2):
        day = dt.date(year, 1, 1)
        if start <= day <= end:
            x = _x(day, start, end)
            parts.append(
                f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" '
                f'y2="{HEIGHT - BOTTOM}"/><text class="axis" x="{x + 3:.1f}" '
                f'y="{HEIGHT - BOTTOM + 14}">{year}</text>'
            )
    expected = [(indicator.baseline.on, float(indicator.baseline.value))]
    if start < indicator.baseline.on:
        expected.insert(0, (start, float(indicator.baseline.value)))
    expected += targets
    if expected[-1][0] < end:
        expected.append((end, expected[-1][1]))
    line = [(_x(d, start, end), _y(v, top)) for d, v in expected]
    parts.append(f'<polyline class="expected" points="{_points(line)}"/>')
    for by, value in targets:
        x, y = _x(by, start, end), _y(value, top)
        parts.append(
            f'<path class="target" d="M{x:.1f},{y - 6:.1f} l6,6 l-6,6 l-6,-6 z">'
            f"<title>{escape(lang.gettext('target'))} {escape(label(value))} "
            f"({escape(lang.date(by))})</title></path>"
        )
    measured = [(d, r) for d, r in results if r.value is not None]
    if len(measured) > 1:
        line = [(_x(d, start, end), _y(r.value or 0.0, top)) for d, r in measured]
        parts.append(f'<polyline class="value" points="{_points(line)}"/>')
    for day, result in measured:
        assert result.value is not None
        x, y = _x(day, start, end), _y(result.value, top)
        parts.append(
            f'<g class="point status-{result.status}"><circle cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
            f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">'
            f"{escape(label(result.value))}</text>"
            f"<title>{escape(lang.date(day))}: {escape(label(result.value))} "
            f"{SYMBOLS[result.status]} {escape(status_label(result.status, lang))}</title></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
