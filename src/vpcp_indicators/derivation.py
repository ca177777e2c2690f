"""How one indicator's figures on one date came about, as values: what ``explain`` finds
(``explain.py``) and the formats write out for a person (``formats/explanation.py``).

Everything a derivation says is here, dates included, so that writing it out needs nothing
of the engine or of the backend that retraced it.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .evaluation import IndicatorResult
from .i18n import Text
from .kinds.counting import Condition
from .measurement import DataWarning
from .plan.model import Indicator, Plan
from .scoring import Point
from .units import Unit
from .windows import Window

__all__ = ["Explanation", "Step"]


@attrs.frozen
class Step:
    """A filter of the population: the records it kept, and those it dropped."""

    condition: Condition
    kept: int
    dropped: int


@attrs.frozen
class Explanation:
    """How one indicator's figures on one date came about.

    ``result`` holds the figures ``evaluate`` gives; the rest says where they come from.
    ``read`` counts the records of the counted source that could be used (rows with data
    warnings are not among them); ``steps`` is empty for a kind that computes in Python;
    ``excluded`` holds each reason records were left out for, its condition and how many.
    The conditions compare dates with ``as_of`` and ``window``. ``line`` is the stretch of
    the expected-value line the date falls on; ``method`` is how the kind's plugin
    describes what it measures, as the plugin wrote it. ``checked_on`` are the dates its
    milestones were judged on (see :attr:`~vpcp_indicators.Report.checked_on`).
    """

    plan: Plan
    indicator: Indicator
    as_of: dt.date
    window: Window
    result: IndicatorResult
    at_risk: float
    read: int | None = None
    steps: tuple[Step, ...] = ()
    excluded: tuple[tuple[str, Condition, int], ...] = ()
    numerator: Condition | None = None
    line: tuple[Point, Point] | None = None
    method: Text = ""
    checked_on: tuple[dt.date, ...] = ()

    @property
    def unit(self) -> Unit:
        """The unit of the figure, with its decimals and label."""
        return self.plan.unit(self.result.unit)

    @property
    def warnings(self) -> tuple[DataWarning, ...]:
        """The data warnings of the figure."""
        return self.result.warnings
