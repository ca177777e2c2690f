"""Milestones as the reports for people show them, in one language: each target's state,
the counts of a task or the plan, and the dates a milestone met late was looked for on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..evaluation import IndicatorResult, Report
from ..i18n import Language
from ..milestones import MET_LATE, MILESTONE_TABLE, Milestone, state_of
from ..plan.model import Plan
from ..windows import window_rule
from .view import mark_view

__all__ = [
    "counts_text",
    "looked_on_text",
    "milestone_view",
    "milestones_view",
    "state_text",
    "state_view",
]

#: How many dates ``looked_on_text`` lists before it gives the first, the last and a count.
_LISTED = 12


def state_view(code: str, lang: Language) -> dict[str, str]:
    """A state as a report shows it: its code (for styles), symbol and name."""
    return mark_view(state_of(code), lang)


def state_text(milestone: Milestone, lang: Language) -> str:
    """A milestone's state in words, with the date a milestone met late was met on."""
    shown = state_view(milestone.state, lang)
    words = f"{shown['symbol']} {shown['label']}"
    if milestone.state == MET_LATE and milestone.met_on is not None:
        words += f" ({lang.date(milestone.met_on)})"
    return words


def milestone_view(
    milestone: Milestone, result: IndicatorResult, plan: Plan, lang: Language
) -> dict[str, Any]:
    """One milestone of a result: its date and target, the value on its date, its state."""
    unit = plan.unit(result.unit)
    return {
        "by": lang.date(milestone.by),
        "target": lang.value(milestone.target, unit),
        "value": lang.value(milestone.value, unit),
        "state": state_view(milestone.state, lang),
        "met_on": "" if milestone.met_on is None else lang.date(milestone.met_on),
        "text": state_text(milestone, lang),
    }


def milestones_view(result: IndicatorResult, plan: Plan, lang: Language) -> list[dict[str, Any]]:
    """Every milestone of a result, in target order."""
    return [milestone_view(m, result, plan, lang) for m in result.milestones]


def counts_text(counts: Mapping[str, int], lang: Language) -> str:
    """How many milestones are in each state: "✔ 1 met · ↻ 0 met late · ..."."""
    return " · ".join(
        f"{state.symbol} {counts.get(state.code, 0)} {lang.gettext(state.label)}"
        for state in MILESTONE_TABLE
    )


def looked_on_text(report: Report, lang: Language) -> str:
    """On which dates a milestone met late was looked for: the evaluated dates, the target
    dates and the grid's period ends, listed (or the first and last, and how many)."""
    days = report.checked_on
    if not days:
        return ""
    if len(days) <= _LISTED:
        listed = ", ".join(lang.date(day) for day in days)
    else:
        listed = lang.gettext(
            "{count} dates from {first} to {last}",
            count=len(days),
            first=lang.date(days[0]),
            last=lang.date(days[-1]),
        )
    which = lang.gettext("the evaluated dates and the target dates")
    if report.grid is not None:
        which = lang.gettext(
            "the evaluated dates, the target dates and {ends}",
            ends=lang.gettext(window_rule(report.grid).ends),
        )
    return lang.gettext("Milestones were judged on {dates} ({which}).", dates=listed, which=which)
