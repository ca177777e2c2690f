"""What the reports for people show, in one place: a report turned into words and numbers of
one language. The HTML, Markdown and terminal formats render this; they differ in layout only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..evaluation import Evaluation, IndicatorResult, Report
from ..i18n import N_, Language, text_in
from ..plan.model import Indicator, Plan
from ..scoring import INSUFFICIENT_DATA, STATUS_TABLE, Mark, Status, status_of
from ..units import NUMBER_LABEL, Unit
from ..windows import window_rule

__all__ = [
    "SYMBOLS",
    "breakdown_view",
    "indicator_view",
    "left_out",
    "mark_view",
    "method",
    "plan_view",
    "share_text",
    "short_number",
    "status_label",
    "status_view",
    "unit_name",
    "window_name",
    "window_text",
]

#: A shape per status, so that it does not rest on colour alone.
SYMBOLS: dict[str, str] = {status.code: status.symbol for status in STATUS_TABLE}


def short_number(value: Fraction | float, lang: Language) -> str:
    """A number as a formula shows it, as short as it is exact to four decimals (``0.7``,
    ``1``, ``0.7496``), written as the language writes numbers."""
    return lang.decimal(float(value), 4).rstrip("0").rstrip(",.") or "0"


def mark_view(mark: Mark | Status, lang: Language) -> dict[str, str]:
    """A status or a state beside it as a report shows it: its code (for styles), symbol
    and name."""
    return {"code": mark.code, "symbol": mark.symbol, "label": lang.gettext(mark.label)}


def status_label(code: str, lang: Language) -> str:
    """The name of a status in a language."""
    return lang.gettext(status_of(code).label)


def status_view(code: str, lang: Language) -> dict[str, str]:
    """A status as a report shows it: its code (for styles), symbol and name."""
    return mark_view(status_of(code), lang)


def unit_name(unit: Unit, lang: Language) -> str:
    """What a figure that is not a share counts, in this language, as a chart's axis names
    it: its unit's label ("days"), else "number"."""
    return text_in(unit.label, lang.code) or lang.gettext(NUMBER_LABEL)


def window_name(kind: str, lang: Language) -> str:
    """The name of a kind of window in this language ("year to date")."""
    return lang.gettext(window_rule(kind).label)


def window_text(result: IndicatorResult, lang: Language) -> str:
    """The window of a result in words, with its dates."""
    window = result.window
    name = window_name(window.kind, lang)
    if window.point:
        return f"{name} {lang.date(window.end)}"
    return f"{name}: {lang.date(window.start)} – {lang.date(window.end)}"


def plan_view(plan: Plan, lang: Language) -> dict[str, Any]:
    """The plan's own words (shown as written) and its period."""
    return {
        "id": plan.id,
        "title": plan.title,
        "decision": plan.decision,
        "description": plan.description,
        "period": f"{lang.date(plan.start)} – {lang.date(plan.end)}",
    }


def _figures(
    result: IndicatorResult, evaluation: Evaluation, lang: Language, unit: Unit
) -> dict[str, Any]:
    return {
        "as_of": lang.date(evaluation.as_of),
        "as_of_iso": evaluation.as_of.isoformat(),
        "value": lang.value(result.value, unit),
        "numerator": lang.integer(result.numerator),
        "denominator": lang.integer(result.denominator),
        "expected": lang.value(result.expected, unit),
        "target": lang.value(result.target, unit),
        "target_by": lang.date(result.target_by),
        "score": lang.decimal(result.score),
        "status": status_view(result.status, lang),
        "window": window_text(result, lang),
        "error": result.error,
    }


def indicator_view(indicator: Indicator, report: Report, lang: Language) -> dict[str, Any]:
    """An indicator across the evaluated dates, and in full at the latest date."""
    results = [(e, e.indicator(indicator.id)) for e in report.evaluations]
    latest = results[-1][1]
    unit = report.plan.unit(latest.unit)
    shown = [g.value or 0 for g in latest.breakdown if not latest.insufficient(g)]
    peak = max(shown, default=0.0)
    return {
        "id": indicator.id,
        "title": indicator.title,
        "kind": indicator.kind,
        "unit": unit.name,
        "timeline": [_figures(r, e, lang, unit) for e, r in results],
        "latest": _figures(latest, results[-1][0], lang, unit),
        "breakdown": [
            {
                **group,
                # Bars are drawn against the share itself for ratios, else the largest group.
                "bar": 0.0
                if g.value is None or latest.insufficient(g)
                else float(g.value) / (1.0 if unit.share else (peak or 1.0)),
            }
            for g, group in zip(
                latest.breakdown, breakdown_view(latest, report.plan, lang), strict=True
            )
        ],
        "excluded": left_out(latest.excluded, lang),
        "warnings": [w.text().render(lang.translator()) for w in latest.warnings],
        "targets": [
            {"by": lang.date(t.by), "value": lang.value(float(t.value), unit)}
            for t in indicator.targets
        ],
        "baseline": {
            "on": lang.date(indicator.baseline.on),
            "value": lang.value(float(indicator.baseline.value), unit),
        },
    }


def share_text(value: float | None, insufficient: bool, unit: Unit, lang: Language) -> str:
    """A share of a breakdown as a person reads it: "insufficient data" in place of a share
    of too few records, else the value in its unit."""
    return status_label(INSUFFICIENT_DATA, lang) if insufficient else lang.value(value, unit)


def breakdown_view(result: IndicatorResult, plan: Plan, lang: Language) -> list[dict[str, Any]]:
    """The groups of a result's breakdown as a person reads them: ``group`` is the plan's
    label for the code in this language, else the code; ``counted`` is False for a group
    that has a value alone (no numerator and denominator); a group of too few records
    (``insufficient``) has the words "insufficient data" for its value."""
    unit = plan.unit(result.unit)
    return [
        {
            "group": plan.label(result.labelled_by, g.key, lang.code),
            "code": g.key,
            "counted": g.denominator is not None,
            "insufficient": result.insufficient(g),
            "numerator": lang.integer(g.numerator),
            "denominator": lang.integer(g.denominator),
            "value": share_text(
                None if g.value is None else float(g.value), result.insufficient(g), unit, lang
            ),
        }
        for g in result.breakdown
    ]


#: Words plugins use that the reports translate.
WORDS = (N_("secret"),)


def left_out(excluded: Mapping[str, int], lang: Language) -> list[str]:
    """What was left out, one phrase per reason with its count ("90 secret documents left
    out"); nothing for a reason that left nothing out."""
    return [_left_out(reason, count, lang) for reason, count in excluded.items() if count]


def _left_out(reason: str, count: int, lang: Language) -> str:
    if reason == "secret":
        return lang.ngettext(
            "{count} secret document left out", "{count} secret documents left out", count
        )
    return lang.ngettext(
        "{count} record left out ({reason})",
        "{count} records left out ({reason})",
        count,
        reason=lang.gettext(reason),
    )


def dates_of(report: Report) -> list[dt.date]:
    """The evaluated dates, in order."""
    return [e.as_of for e in report.evaluations]


def method(report: Report, lang: Language) -> list[str]:
    """How the report's figures are scored, as paragraphs."""
    at_risk = float(report.plan.scoring.at_risk)
    aggregation = report.plan.scoring.aggregation
    names = {
        "weighted_mean": N_("the weighted mean"),
        "geometric_mean": N_("the weighted geometric mean"),
        "minimum": N_("the lowest score"),
    }
    how = lang.gettext(names[aggregation]) if aggregation in names else aggregation
    judged = any(r.min_denominator > 1 for e in report.evaluations for r in e.indicators)
    return [
        lang.gettext(
            "Each indicator is computed from the office's own records. Its expected value on a "
            "date lies on the straight line, counted in days, from its baseline through each "
            "target in turn; after the last target it is the last target's value."
        ),
        lang.gettext(
            "Score: 100 × (value − baseline) ÷ (expected − baseline), kept between 0 and 100; "
            "where nothing beyond the baseline is expected yet, 100 if the value reaches the "
            "expected value, else 0. For an indicator that should go down, the same, mirrored."
        ),
        lang.gettext(
            "Status: achieved when the value meets the last target; on track when it meets the "
            "expected value; at risk when the score is at least {at_risk}; otherwise off track. "
            "No data: no value could be computed. Error: the indicator's plugin failed.",
            at_risk=lang.decimal(at_risk, 0),
        ),
        lang.gettext(
            "A task's score is {how} of the scores of its indicators, with their weights; the "
            "plan's is the same over its tasks. Records that cannot be read are left out and "
            "reported as data warnings; secret documents are left out and only counted.",
            how=how,
        ),
        *(
            [
                lang.gettext(
                    "Insufficient data: a share that rests on fewer records than its "
                    "indicator's minimum is not judged; its counts are shown, and its task is "
                    "scored without it. A breakdown group of too few records is shown the same "
                    "way, not as a share."
                )
            ]
            if judged
            else []
        ),
    ]
