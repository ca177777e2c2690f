"""Where the trend leads, as the reports for people say it in one language."""

from __future__ import annotations

import datetime as dt

from ..evaluation import IndicatorResult
from ..i18n import Language
from ..plan.model import Plan
from ..trend import TARGET_ACHIEVED, progress_of
from .view import mark_view, short_number

__all__ = ["progress_label", "trend_steps", "trend_text"]


def progress_label(code: str | None, lang: Language) -> str:
    """A class of progress as a report shows it: its symbol and name ("-" for none)."""
    if code is None:
        return "-"
    shown = mark_view(progress_of(code), lang)
    return f"{shown['symbol']} {shown['label']}"


def _rate(rate: float, result: IndicatorResult, plan: Plan, lang: Language) -> str:
    sign = "+" if rate >= 0 else "−"
    return sign + lang.value(abs(rate), plan.unit(result.unit))


def trend_text(result: IndicatorResult, plan: Plan, lang: Language) -> str:
    """The trend of a result in one sentence: its class, the observed and required rates,
    and where the observed rate leads."""
    _, trend = lang.gettext, result.trend
    unit = plan.unit(result.unit)
    parts = [] if trend.progress is None else [progress_label(trend.progress, lang)]
    if trend.observed is not None and trend.since is not None:
        parts.append(
            _(
                "{rate} a year since {date}",
                rate=_rate(trend.observed, result, plan, lang),
                date=lang.date(trend.since),
            )
        )
    else:
        parts.append(_("no earlier value to measure a rate from"))
    if trend.target_by is None and trend.progress != TARGET_ACHIEVED and result.value is not None:
        parts.append(_("no target ahead that the value does not meet yet"))
    if trend.required is not None and trend.target_by is not None and trend.target is not None:
        parts.append(
            _(
                "{rate} a year needed to reach {target} by {date}",
                rate=_rate(trend.required, result, plan, lang),
                target=lang.value(trend.target, unit),
                date=lang.date(trend.target_by),
            )
        )
    if trend.projected is not None and trend.target_by is not None:
        parts.append(
            _(
                "at this pace {value} on {date}",
                value=lang.value(trend.projected, unit),
                date=lang.date(trend.target_by),
            )
        )
        if trend.reached_on is not None:
            parts.append(_("the target reached on {date}", date=lang.date(trend.reached_on)))
        else:
            parts.append(_("the target never reached at this pace"))
    return "; ".join(parts)


def trend_steps(result: IndicatorResult, as_of: dt.date, plan: Plan, lang: Language) -> list[str]:
    """The trend's derivation for ``explain``: each rate's formula with its figures, the
    ratio and its class, and the projection."""
    _, trend = lang.gettext, result.trend
    unit = plan.unit(result.unit)
    lines = [_("9. Trend: {words}.", words=trend_text(result, plan, lang))]
    now = result.value
    if trend.observed is not None and trend.since is not None and now is not None:
        lines.append(
            _(
                "   Observed rate = (value − value then) × 365.25 ÷ days = ({now} − {then}) × "
                "365.25 ÷ {days} = {rate} a year.",
                now=short_number(now, lang),
                then=short_number(trend.since_value or 0.0, lang),
                days=(as_of - trend.since).days,
                rate=short_number(trend.observed, lang),
            )
        )
    if trend.required is not None and trend.target is not None and trend.target_by is not None:
        assert now is not None
        lines.append(
            _(
                "   Required rate = (target − value) × 365.25 ÷ days to its date = ({target} − "
                "{now}) × 365.25 ÷ {days} = {rate} a year.",
                target=short_number(trend.target, lang),
                now=short_number(now, lang),
                days=(trend.target_by - as_of).days,
                rate=short_number(trend.required, lang),
            )
        )
    if trend.pace_ratio is not None:
        lines.append(
            _(
                "   Ratio = observed ÷ required = {ratio}: from 0.95 on track, from 0.60 "
                "acceleration needed, from 0 limited progress, below 0 deterioration.",
                ratio=short_number(trend.pace_ratio, lang),
            )
        )
    if trend.projected is not None and trend.target_by is not None:
        lines.append(
            _(
                "   Projection = value + observed rate × years to the target's date = "
                "{projected} on {date}.",
                projected=lang.value(trend.projected, unit),
                date=lang.date(trend.target_by),
            )
        )
    return lines
