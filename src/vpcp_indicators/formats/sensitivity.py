"""How much the method decides (``vpcp-indicators sensitivity``), as a table for people:
a row per variant of the method, with the plan's and each task's score and status."""

from __future__ import annotations

from ..i18n import Language
from ..printable import printable
from ..sensitivity import Sensitivity, Variant
from .table import aligned
from .view import SYMBOLS, status_label

__all__ = ["render_sensitivity"]


def _name(variant: Variant, lang: Language) -> str:
    """What a variant changes, in words."""
    _ = lang.gettext
    if variant.kind == "plan":
        return _("the plan's method ({aggregation})", aggregation=variant.aggregation)
    if variant.kind == "aggregation":
        return _("aggregation {aggregation}", aggregation=variant.aggregation)
    if variant.kind == "equal_weights":
        return _("all weights equal")
    return _("without task {task}", task=variant.left_out or "")


def _figure(score: float | None, status: str, lang: Language) -> str:
    return f"{lang.decimal(score)} {SYMBOLS[status]} {status_label(status, lang)}"


def render_sensitivity(found: Sensitivity, lang: Language) -> str:
    """The variants as a table: the plan's score and status, then each task's."""
    _ = lang.gettext
    tasks = [task.id for task in found.plan.tasks]
    header = [_("Method"), _("Plan"), *tasks]
    rows = []
    for variant in found.variants:
        by_task = {t.id: _figure(t.score, t.status, lang) for t in variant.tasks}
        rows.append(
            [
                _name(variant, lang),
                _figure(variant.score, variant.status, lang),
                *(by_task.get(task, "–") for task in tasks),
            ]
        )
    title = _(
        "How much the method decides: {plan} on {date}",
        plan=found.plan.id,
        date=lang.date(found.as_of),
    )
    lines = [printable(title), "", *aligned(header, rows, right=set())]
    return "\n".join(lines) + "\n"
