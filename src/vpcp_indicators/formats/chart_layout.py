"""Where the parts of a chart go: the scales from dates and values to the drawing, the axes'
ticks, and value labels put where they cover no target, no point and no other label.

Pure geometry on numbers, so that a test can hold it to coordinates worked out by hand;
``charts.py`` draws with it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import attrs

__all__ = [
    "BOTTOM",
    "HEIGHT",
    "LEFT",
    "RIGHT",
    "TOP",
    "WIDTH",
    "Box",
    "Frame",
    "Label",
    "YearBand",
    "label_box",
    "place_labels",
    "round_ticks",
    "year_bands",
]

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 34, 26, 34
#: The size of the value labels' text, in the drawing's units (CSS pixels).
FONT = 10
# The widest a character of the labels is, as a share of the font size, in the fonts the
# page asks for (DejaVu Sans Bold's digits are 0.70 em, its percent sign 1.0 em): a label's
# box is never smaller than the text the browser draws.
_NARROW, _WIDE, _OTHER = 0.42, 1.0, 0.72


@attrs.frozen
class Box:
    """A rectangle of the drawing: ``left`` < ``right``, ``top`` < ``bottom`` (y grows down)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share more than an edge."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def within(self, other: Box) -> bool:
        """Whether this box lies wholly inside ``other``."""
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.top <= self.top
            and self.bottom <= other.bottom
        )


@attrs.frozen
class Frame:
    """The plot area and its scales: dates from ``start`` (left) to ``end`` (right), values
    from 0 (bottom) to ``top`` (top)."""

    start: dt.date
    end: dt.date
    top: float

    def x(self, day: dt.date) -> float:
        """Where a date is across: a day is drawn at its own place, not at its year's."""
        span = max((self.end - self.start).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / span

    def y(self, value: float) -> float:
        """Where a value is up, values beyond the axis held at its ends."""
        share = min(max(value / self.top, 0.0), 1.0) if self.top > 0 else 0.0
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)


@attrs.frozen
class YearBand:
    """A calendar year across the chart: from ``x0`` to ``x1``, its name shown at ``middle``
    when ``labelled`` (a band too narrow for its name is left unnamed)."""

    year: int
    x0: float
    x1: float
    labelled: bool

    @property
    def middle(self) -> float:
        """Where the year's name is centred."""
        return (self.x0 + self.x1) / 2


def year_bands(frame: Frame) -> list[YearBand]:
    """The years the chart spans. A year's name stands in the middle of its own stretch, so
    that a value of 31 December is drawn at the end of its year, under no other year's name;
    the lines between bands mark 1 January. With many years, every n-th is named."""
    name = _text_width("0000") + 8
    year = (WIDTH - LEFT - RIGHT) * 365 / max((frame.end - frame.start).days, 1)
    every = max(1, math.ceil(name / year))
    bands = []
    for number in range(frame.start.year, frame.end.year + 1):
        first = max(frame.start, dt.date(number, 1, 1))
        last = min(frame.end, dt.date(number + 1, 1, 1))
        x0, x1 = frame.x(first), frame.x(last)
        # A stretch too narrow for the name is a part of a year at an end of the chart
        # (when every year is named) or is not a whole year (when every n-th is).
        wide = x1 - x0 >= min(name, 0.99 * year)
        labelled = wide and (number - frame.start.year) % every == 0
        bands.append(YearBand(number, x0, x1, labelled))
    return bands


def round_ticks(highest: float, steps: int = 4) -> tuple[list[float], int]:
    """Ticks from 0 to at least ``highest`` in round steps (1, 2, 2.5 or 5 times a power of
    ten, about ``steps`` of them), and the decimals their labels need."""
    highest = highest if highest > 0 and math.isfinite(highest) else 1.0
    power = 10.0 ** math.floor(math.log10(highest / steps))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power * steps >= highest * (1 - 1e-9))
    count = math.ceil(highest / step - 1e-9)
    decimals = next(d for d in range(12) if abs(round(step, d) - step) < step * 1e-9)
    return [round(i * step, decimals) for i in range(count + 1)], decimals


@attrs.frozen
class Label:
    """A value's label: its text drawn at ``x``, ``y`` (the baseline), anchored ``start``,
    ``middle`` or ``end``."""

    text: str
    x: float
    y: float
    anchor: str

    @property
    def box(self) -> Box:
        """The room the text takes."""
        return label_box(self.text, self.x, self.y, self.anchor)


def _text_width(text: str) -> float:
    widths = {".": _NARROW, ",": _NARROW, " ": _NARROW, "\u00a0": _NARROW, "%": _WIDE}
    return FONT * sum(widths.get(char, _OTHER) for char in text)


def label_box(text: str, x: float, y: float, anchor: str) -> Box:
    """The box a label's text fills, from its anchor point on the baseline (a little room
    around it included)."""
    width = _text_width(text)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left - 1, y - FONT - 1, left + width + 1, y + 3)


# Where a point's label may go, in order of preference: above, below, right, left, then
# further above and below. (dx, dy) from the point to the label's anchor, and the anchor.
# Each leaves a unit clear of its own point's dot.
_PLACES = (
    (0, -10, "middle"),
    (0, 20, "middle"),
    (9, 4, "start"),
    (-9, 4, "end"),
    (0, -22, "middle"),
    (0, 32, "middle"),
)


def place_labels(
    points: Sequence[tuple[float, float, str]], obstacles: Sequence[Box], area: Box
) -> list[Label | None]:
    """A label for each point ``(x, y, text)``, in turn, at the first place where it stays in
    ``area`` and covers no obstacle (the targets, the points, the labels already placed);
    None for a point with no such place, whose value the table and the tooltip still give."""
    taken = list(obstacles)
    placed: list[Label | None] = []
    for x, y, text in points:
        found = None
        for dx, dy, anchor in _PLACES:
            label = Label(text, x + dx, y + dy, anchor)
            box = label.box
            if box.within(area) and not any(box.overlaps(other) for other in taken):
                found = label
                break
        if found is not None:
            taken.append(found.box)
        placed.append(found)
    return placed
