"""An explanation (``explain.py``) written out for a person, in their language, one line per
step, with the control characters of the plan's and the records' text escaped."""

from __future__ import annotations

from fractions import Fraction

from ..backends.python.conditions import Context
from ..explain import Explanation
from ..i18n import Language, text_in
from ..kinds.counting import (
    After,
    AllOf,
    Always,
    AnyOf,
    Condition,
    Empty,
    HasRelated,
    In,
    InWindow,
    Not,
    OnOrBefore,
)
from ..printable import printable
from ..scoring import ACHIEVED, AT_RISK, ERROR, NO_DATA, OFF_TRACK, ON_TRACK
from .view import SYMBOLS, status_label

__all__ = ["describe", "render_explanation"]


def describe(condition: Condition, lang: Language, context: Context | None) -> str:
    """A condition in words, with the evaluation date and window written out."""
    _ = lang.gettext

    def day(which: str) -> str:
        if context is None:
            return which
        value = {"as_of": context.as_of, "start": context.window.start, "end": context.window.end}[
            which
        ]
        return lang.date(value)

    if isinstance(condition, Always):
        return _("every record")
    if isinstance(condition, In):
        values = ", ".join(sorted(condition.values))
        return _("{column} is one of: {values}", column=condition.column, values=values)
    if isinstance(condition, Empty):
        return _("{column} is empty", column=condition.column)
    if isinstance(condition, OnOrBefore):
        return _("{column} is on or before {date}", column=condition.column, date=day("as_of"))
    if isinstance(condition, After):
        return _("{column} is after {date}", column=condition.column, date=day("as_of"))
    if isinstance(condition, InWindow):
        return _(
            "{column} is within the window, {start} to {end}",
            column=condition.column,
            start=day("start"),
            end=day("end"),
        )
    if isinstance(condition, Not):
        return _("not ({condition})", condition=describe(condition.condition, lang, context))
    if isinstance(condition, AllOf | AnyOf):
        parts = [describe(c, lang, context) for c in condition.conditions]
        joiner = _(" and ") if isinstance(condition, AllOf) else _(" or ")
        return "(" + joiner.join(parts) + ")"
    if isinstance(condition, HasRelated):
        text = _(
            "has a record in {source} with the same {key} where {where}",
            source=condition.source,
            key=condition.key,
            where=describe(condition.where, lang, context),
        )
        if condition.covering is not None:
            covered, needed = condition.covering
            text += _(
                ", covering every {column} of: {values}",
                column=covered,
                values=", ".join(sorted(needed)),
            )
        return text
    return type(condition).__name__


def _number(value: Fraction | float, lang: Language) -> str:
    return lang.decimal(float(value), 4).rstrip("0").rstrip(",.") or "0"


def render_explanation(found: Explanation, lang: Language) -> str:
    """The derivation as numbered lines of text."""
    _ = lang.gettext
    result = found.result
    indicator = found.indicator
    unit = result.unit
    lines = [
        f"{indicator.title}",
        _(
            "Indicator {id}, kind {kind}, task {task}, on {date}",
            id=indicator.id,
            kind=indicator.kind,
            task=indicator.task,
            date=lang.date(found.as_of),
        ),
        "",
        _(
            "1. Window (point): the records as they stand on {date}.",
            date=lang.date(found.window.end),
        )
        if found.window.point
        else _(
            "1. Window ({kind}): records dated {start} to {end}, both included.",
            kind=found.window.kind,
            start=lang.date(found.window.start),
            end=lang.date(found.window.end),
        ),
    ]
    if found.read is not None:
        lines.append(_("2. Records that could be read: {count}.", count=lang.integer(found.read)))
        for n, step in enumerate(found.steps, start=1):
            lines.append(
                _(
                    "   filter {n}: {condition}: kept {kept}, dropped {dropped}",
                    n=n,
                    condition=describe(step.condition, lang, found.context),
                    kept=lang.integer(step.kept),
                    dropped=lang.integer(step.dropped),
                )
            )
        for reason, condition, count in found.excluded:
            lines.append(
                _(
                    "   left out as {reason} ({condition}): {count}, shown as a count only",
                    reason=_(reason),
                    condition=describe(condition, lang, found.context),
                    count=lang.integer(count),
                )
            )
        assert found.numerator is not None
        lines.append(
            _(
                "3. Denominator: {denominator} records. Numerator: those where {condition}"
                ": {numerator}.",
                denominator=lang.integer(result.denominator),
                condition=describe(found.numerator, lang, found.context),
                numerator=lang.integer(result.numerator),
            )
        )
    else:
        # The kind's own words, in the reader's language when the plugin gives it.
        method = text_in(found.method, lang.code) or _("(the kind does not describe its method)")
        lines.append(_("2. The kind computes its figures in Python: {method}", method=method))
        if result.numerator is not None and result.denominator is not None:
            lines.append(
                _(
                    "3. Numerator {numerator}, denominator {denominator}.",
                    numerator=lang.integer(result.numerator),
                    denominator=lang.integer(result.denominator),
                )
            )
        else:
            lines.append(_("3. The kind gives a value alone, without numerator or denominator."))
    lines.append(_("   Value: {value}.", value=lang.value(result.value, unit)))
    assert found.line is not None
    (d0, v0), (d1, v1) = found.line
    if d0 == d1:
        lines.append(
            _(
                "4. Expected value on {date}: {expected} (the value of the point of "
                "{point}, the line being flat beyond it).",
                date=lang.date(found.as_of),
                expected=lang.value(result.expected, unit),
                point=lang.date(d0),
            )
        )
    else:
        days, span = (found.as_of - d0).days, (d1 - d0).days
        lines.append(
            _(
                "4. Expected value: between {d0} ({v0}) and {d1} ({v1}), "
                "expected = v0 + (v1 − v0) × days / span = {a} + ({b} − {a}) × {days} / "
                "{span} = {expected}.",
                d0=lang.date(d0),
                v0=lang.value(float(v0), unit),
                d1=lang.date(d1),
                v1=lang.value(float(v1), unit),
                a=_number(v0, lang),
                b=_number(v1, lang),
                days=days,
                span=span,
                expected=lang.value(result.expected, unit),
            )
        )
    baseline = float(indicator.baseline.value)
    if result.value is None:
        lines.append(_("5. Score: none, without a value."))
    elif indicator.direction == "up" and result.expected > baseline:
        lines.append(
            _(
                "5. Score = 100 × clamp((value − baseline) ÷ (expected − baseline), 0, 1) "
                "= 100 × clamp(({value} − {b}) ÷ ({expected} − {b}), 0, 1) = {score}.",
                value=_number(result.value, lang),
                b=_number(baseline, lang),
                expected=_number(result.expected, lang),
                score=lang.decimal(result.score, 2),
            )
        )
    elif indicator.direction == "down" and result.expected < baseline:
        lines.append(
            _(
                "5. Score = 100 × clamp((baseline − value) ÷ (baseline − expected), 0, 1) "
                "= 100 × clamp(({b} − {value}) ÷ ({b} − {expected}), 0, 1) = {score}.",
                value=_number(result.value, lang),
                b=_number(baseline, lang),
                expected=_number(result.expected, lang),
                score=lang.decimal(result.score, 2),
            )
        )
    else:
        lines.append(
            _(
                "5. Score: nothing is expected beyond the baseline yet, so 100 if the "
                "value reaches the expected value, else 0: {score}.",
                score=lang.decimal(result.score, 2),
            )
        )
    rules = {
        ACHIEVED: _(
            "the value meets the last target ({target})",
            target=lang.value(float(indicator.targets[-1].value), unit),
        ),
        ON_TRACK: _(
            "the value meets the expected value ({expected})",
            expected=lang.value(result.expected, unit),
        ),
        AT_RISK: _("the score is at least {limit}", limit=lang.decimal(found.at_risk, 0)),
        OFF_TRACK: _("the score is below {limit}", limit=lang.decimal(found.at_risk, 0)),
        NO_DATA: _("there is no value"),
        ERROR: _("the plugin failed: {error}", error=result.error),
    }
    lines.append(
        _(
            "6. Status: {symbol} {status}, because {rule}.",
            symbol=SYMBOLS[result.status],
            status=status_label(result.status, lang),
            rule=rules[result.status],
        )
    )
    translate = lang.translator()
    if found.warnings:
        lines.append(_("7. Data warnings:"))
        lines += [f"   {w.text().render(translate)}" for w in found.warnings]
    else:
        lines.append(_("7. Data warnings: none."))
    # Each line is one line on the terminal, whatever the plan's and the records' text holds.
    return "".join(printable(line) + "\n" for line in lines)
