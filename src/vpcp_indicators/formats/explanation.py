"""A derivation (``derivation.py``) written out for a person, in their language: numbered
steps, one line each, with the control characters of the plan's and the records' text
escaped."""

from __future__ import annotations

from ..derivation import Explanation
from ..i18n import N_, Language, text_in
from ..kinds.counting import Condition
from ..milestones import DUE, MET, MET_LATE, MISSED
from ..printable import printable
from ..scoring import ACHIEVED, AT_RISK, ERROR, INSUFFICIENT_DATA, NO_DATA, OFF_TRACK, ON_TRACK
from .conditions import describe, keeps_everything
from .milestone_view import state_text
from .trend_view import trend_steps
from .unit_view import unit_steps
from .view import SYMBOLS, left_out, short_number, status_label, window_name

__all__ = ["render_explanation"]


def render_explanation(found: Explanation, lang: Language) -> str:
    """The derivation as numbered lines of text: the window, the records (or the kind's
    method), the value, the expected value, the score, the status and the data warnings."""
    lines = [
        *_heading(found, lang),
        _window(found, lang),
        *(_counted(found, lang) if found.read is not None else _computed(found, lang)),
        lang.gettext("   Value: {value}.", value=lang.value(found.result.value, found.unit)),
        _expected(found, lang),
        _score(found, lang),
        _status(found, lang),
        *_warnings(found, lang),
        *_milestones(found, lang),
        *trend_steps(found.result, found.as_of, found.plan, lang),
        *unit_steps(found.result, found.plan, lang),
    ]
    # Each line is one line on the terminal, whatever the plan's and the records' text holds.
    return "".join(printable(line) + "\n" for line in lines)


def _heading(found: Explanation, lang: Language) -> list[str]:
    indicator = found.indicator
    facts = lang.gettext(
        "Indicator {id}, kind {kind}, task {task}, on {date}",
        id=indicator.id,
        kind=indicator.kind,
        task=indicator.task,
        date=lang.date(found.as_of),
    )
    return [indicator.title, facts, ""]


def _window(found: Explanation, lang: Language) -> str:
    window = found.window
    name = window_name(window.kind, lang)
    if window.point:
        return lang.gettext(
            "1. Window ({kind}): the records as they stand on {date}.",
            kind=name,
            date=lang.date(window.end),
        )
    return lang.gettext(
        "1. Window ({kind}): records dated {start} to {end}, both included.",
        kind=name,
        start=lang.date(window.start),
        end=lang.date(window.end),
    )


def _counted(found: Explanation, lang: Language) -> list[str]:
    """Step 2 and 3 of a kind that counts: the records read, each filter, what was left out,
    the denominator and the numerator."""
    _ = lang.gettext

    def words(condition: Condition) -> str:
        return describe(condition, lang, found.as_of, found.window, found.plan.labels)

    lines = [_("2. Records that could be read: {count}.", count=lang.integer(found.read))]
    # A filter that keeps every record (a kind's "all of them") says nothing.
    steps = [s for s in found.steps if not keeps_everything(s.condition)]
    for n, step in enumerate(steps, start=1):
        lines.append(
            _(
                "   filter {n}, keeping the records where {condition}: {kept} kept, "
                "{dropped} dropped",
                n=n,
                condition=words(step.condition),
                kept=lang.integer(step.kept),
                dropped=lang.integer(step.dropped),
            )
        )
    for reason, condition, count in found.excluded:
        if count:
            said = left_out({reason: count}, lang)[0]
            lines.append(
                _(
                    "   {left_out}, the records where {condition}; only their number is shown",
                    left_out=said,
                    condition=words(condition),
                )
            )
    result = found.result
    denominator = result.denominator or 0
    lines.append(
        lang.ngettext(
            "3. Denominator: {count} record.", "3. Denominator: {count} records.", denominator
        )
    )
    assert found.numerator is not None
    lines.append(
        _(
            "   Numerator: {numerator}, the records where {condition}.",
            numerator=lang.integer(result.numerator),
            condition=words(found.numerator),
        )
    )
    return lines


def _computed(found: Explanation, lang: Language) -> list[str]:
    """Step 2 and 3 of a kind that computes in Python: its method, and its figures."""
    _ = lang.gettext
    # The kind's own words, in the reader's language when the plugin gives it.
    method = text_in(found.method, lang.code) or _("(the kind does not describe its method)")
    lines = [_("2. The kind computes its figures in Python: {method}", method=method)]
    result = found.result
    if result.records is not None:
        lines.append(
            lang.ngettext(
                "   The kind used {count} record.",
                "   The kind used {count} records.",
                result.records,
            )
        )
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
    return lines


def _expected(found: Explanation, lang: Language) -> str:
    """Step 4: the expected value, with the interpolation written out."""
    unit, expected = found.unit, found.result.expected
    assert found.line is not None
    (d0, v0), (d1, v1) = found.line
    if d0 == d1:
        return lang.gettext(
            "4. Expected value on {date}: {expected} (the value of the point of {point}, the "
            "line being flat beyond it).",
            date=lang.date(found.as_of),
            expected=lang.value(expected, unit),
            point=lang.date(d0),
        )
    return lang.gettext(
        "4. Expected value: between {d0} ({v0}) and {d1} ({v1}), expected = v0 + (v1 − v0) × "
        "days / span = {a} + ({b} − {a}) × {days} / {span} = {expected}.",
        d0=lang.date(d0),
        v0=lang.value(float(v0), unit),
        d1=lang.date(d1),
        v1=lang.value(float(v1), unit),
        a=short_number(v0, lang),
        b=short_number(v1, lang),
        days=(found.as_of - d0).days,
        span=(d1 - d0).days,
        expected=lang.value(expected, unit),
    )


def _score(found: Explanation, lang: Language) -> str:
    """Step 5: the score formula with the numbers in it."""
    result, indicator = found.result, found.indicator
    baseline = float(indicator.baseline.value)
    score = lang.decimal(result.score, 2)
    if result.status == INSUFFICIENT_DATA:
        return lang.gettext("5. Score: none, the share resting on too few records.")
    if result.value is None:
        return lang.gettext("5. Score: none, without a value.")
    figures = {
        "value": short_number(result.value, lang),
        "b": short_number(baseline, lang),
        "expected": short_number(result.expected, lang),
        "score": score,
    }
    if indicator.direction == "up" and result.expected > baseline:
        return lang.gettext(
            "5. Score = 100 × clamp((value − baseline) ÷ (expected − baseline), 0, 1) "
            "= 100 × clamp(({value} − {b}) ÷ ({expected} − {b}), 0, 1) = {score}.",
            **figures,
        )
    if indicator.direction == "down" and result.expected < baseline:
        return lang.gettext(
            "5. Score = 100 × clamp((baseline − value) ÷ (baseline − expected), 0, 1) "
            "= 100 × clamp(({b} − {value}) ÷ ({b} − {expected}), 0, 1) = {score}.",
            **figures,
        )
    return lang.gettext(
        "5. Score: nothing is expected beyond the baseline yet, so 100 if the value reaches "
        "the expected value, else 0: {score}.",
        score=score,
    )


def _status(found: Explanation, lang: Language) -> str:
    """Step 6: the status, and the rule that gave it."""
    _ = lang.gettext
    result, unit = found.result, found.unit
    limit = lang.decimal(found.at_risk, 0)
    rules = {
        ACHIEVED: lambda: _(
            "the value meets the last target ({target})",
            target=lang.value(float(found.indicator.targets[-1].value), unit),
        ),
        ON_TRACK: lambda: _(
            "the value meets the expected value ({expected})",
            expected=lang.value(result.expected, unit),
        ),
        AT_RISK: lambda: _("the score is at least {limit}", limit=limit),
        OFF_TRACK: lambda: _("the score is below {limit}", limit=limit),
        INSUFFICIENT_DATA: lambda: lang.ngettext(
            "the share rests on {count} record, fewer than the {minimum} the indicator asks for",
            "the share rests on {count} records, fewer than the {minimum} the indicator asks for",
            result.denominator or 0,
            minimum=lang.integer(result.min_denominator),
        ),
        NO_DATA: lambda: _("there is no value"),
        ERROR: lambda: _("the plugin failed: {error}", error=result.error),
    }
    return _(
        "6. Status: {symbol} {status}, because {rule}.",
        symbol=SYMBOLS[result.status],
        status=status_label(result.status, lang),
        rule=rules[result.status](),
    )


def _milestones(found: Explanation, lang: Language) -> list[str]:
    """Step 8: each target's milestone on the date, and the rule that gave it."""
    _, unit = lang.gettext, found.unit
    days = ", ".join(lang.date(day) for day in found.checked_on if day <= found.as_of)
    lines = [_("8. Milestones, judged on the values of {dates}:", dates=days)]
    rules = {
        MET: N_("   {by}, target {target}: {state}: its value that day, {value}, meets it."),
        MET_LATE: N_(
            "   {by}, target {target}: {state}: its value that day was {value}; the first "
            "later date whose value meets it is {met_on}."
        ),
        MISSED: N_(
            "   {by}, target {target}: {state}: its value that day was {value}, and no later "
            "date up to {date} meets it."
        ),
        DUE: N_("   {by}, target {target}: {state}: its date is after {date}."),
    }
    for m in found.result.milestones:
        lines.append(
            _(
                rules[m.state],
                by=lang.date(m.by),
                target=lang.value(m.target, unit),
                value=lang.value(m.value, unit),
                state=state_text(m, lang),
                met_on=lang.date(m.met_on) if m.met_on else "",
                date=lang.date(found.as_of),
            )
        )
    return lines


def _warnings(found: Explanation, lang: Language) -> list[str]:
    """Step 7: the data warnings, one a line."""
    if not found.warnings:
        return [lang.gettext("7. Data warnings: none.")]
    translate = lang.translator()
    return [
        lang.gettext("7. Data warnings:"),
        *(f"   {w.text().render(translate)}" for w in found.warnings),
    ]
