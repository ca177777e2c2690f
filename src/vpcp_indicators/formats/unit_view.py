"""Units of an organisation as people read them: a breakdown rolled up the tree, the least
healthy units, the indicator holding a task back, and the unit a report is seen from."""

from __future__ import annotations

from typing import Any

from ..evaluation import IndicatorResult, Report, TaskResult
from ..i18n import Language
from ..organisation import Outside, UnitFigures
from ..plan.model import Plan
from .view import share_text

__all__ = ["held_back_text", "least_healthy_text", "seen_from_text", "tree_view", "unit_steps"]


def tree_view(result: IndicatorResult, plan: Plan, lang: Language) -> list[dict[str, Any]]:
    """The units of a result's rolled-up breakdown, parents first, each with its ``depth``
    (0 at the top), ``unit`` (its id), ``name`` (what a report for people shows: its title,
    the id being for tools), its figures and, for a unit with units below it, its own
    records' (``own``, when ``has_own``); then the records not in the tree (``outside``,
    depth 0, their codes for ``unit``), if any. Nothing when the breakdown is not tied to
    the units."""
    units = result.units
    if units is None:
        return []
    unit = plan.unit(result.unit)

    def row(depth: int, code: str, name: str, found: UnitFigures | Outside) -> dict[str, Any]:
        return {
            "depth": depth,
            "unit": code,
            "name": name,
            "numerator": lang.integer(found.numerator),
            "denominator": lang.integer(found.denominator),
            "value": share_text(found.value, found.insufficient, unit, lang),
            "insufficient": found.insufficient,
            "bar": _bar(found.value),
            "own": "",
            "has_own": False,
            "least": False,
            "outside": False,
        }

    rows = [
        row(depth, found.unit, found.title, found)
        | {
            "own": f"{lang.integer(found.own_numerator)}/{lang.integer(found.own_denominator)}",
            "has_own": bool(found.own_denominator) and bool(found.children),
            "least": found.unit in units.least_healthy,
        }
        for depth, found in units.units()
    ]
    outside = units.outside
    if outside is not None:
        codes = ", ".join(code or '""' for code in outside.codes)
        where = lang.gettext("not in the tree")
        name = f"{where}: {codes}"
        rows.append(row(0, codes, name, outside) | {"outside": True})
    return rows


def _bar(value: float | None) -> float:
    """How much of a bar a share fills."""
    return 0.0 if value is None else min(max(value, 0.0), 1.0)


def least_healthy_text(result: IndicatorResult, plan: Plan, lang: Language) -> str:
    """The units with the lowest values, worst first, with their figures ("" for none)."""
    units = result.units
    if units is None or not units.least_healthy:
        return ""
    unit = plan.unit(result.unit)
    parts = []
    for unit_id in units.least_healthy:
        found = units.unit(unit_id)
        figures = f"{lang.integer(found.numerator)}/{lang.integer(found.denominator)}"
        parts.append(f"{found.title} {lang.value(found.value, unit)} ({figures})")
    return " · ".join(parts)


def held_back_text(task: TaskResult, lang: Language) -> str:
    """The indicator holding a task's score back most, and the points its score of 100 would
    add ("" when none does)."""
    if task.held_back_by is None or task.lift is None:
        return ""
    return lang.gettext(
        "held back most by {indicator} (+{points} points if it scored 100)",
        indicator=task.held_back_by,
        points=lang.decimal(task.lift),
    )


def seen_from_text(report: Report, lang: Language) -> str:
    """Which unit the report sees the plan from, and what that leaves out ("" for the
    whole plan)."""
    if report.unit is None:
        return ""
    titles = {u.id: u.title for u in report.plan.units}
    text = lang.gettext(
        "Seen from {title} ({unit}): the records of this unit and of the units below it.",
        unit=report.unit,
        title=titles.get(report.unit, ""),
    )
    if report.left_out:
        text += " " + lang.gettext(
            "Left out, not broken down by unit: {indicators}.",
            indicators=", ".join(report.left_out),
        )
    return text


def unit_steps(result: IndicatorResult, plan: Plan, lang: Language) -> list[str]:
    """The roll-up's derivation for ``explain``: each unit's sums, indented by its depth,
    the records not in the tree, and the least healthy units (nothing when the breakdown is
    not tied to the units)."""
    units = result.units
    if units is None:
        return []
    _, unit = lang.gettext, plan.unit(result.unit)
    lines = [
        _(
            "10. Units, by {column}: a unit's numerator and denominator are the sums of its "
            "own records' and of its units' below it; its value is their ratio, not the mean "
            "of its units' values.",
            column=units.column,
        )
    ]
    for depth, found in units.units():
        sums = f"{lang.integer(found.numerator)}/{lang.integer(found.denominator)}"
        if found.children:
            tops = [found.own_numerator, *(c.numerator for c in found.children)]
            bottoms = [found.own_denominator, *(c.denominator for c in found.children)]
            added = " + ".join(lang.integer(n) for n in tops)
            under = " + ".join(lang.integer(n) for n in bottoms)
            sums = f"({added}) ÷ ({under}) = {sums}"
        shown = share_text(found.value, found.insufficient, unit, lang)
        lines.append(f"   {'  ' * depth}{found.title}: {sums} = {shown}")
    if units.outside is not None:
        outside = units.outside
        lines.append(
            _(
                "   Not in the tree ({codes}): {numerator}/{denominator}, counted in the "
                "indicator's figures, with a data warning.",
                codes=", ".join(outside.codes),
                numerator=lang.integer(outside.numerator),
                denominator=lang.integer(outside.denominator),
            )
        )
    lowest = least_healthy_text(result, plan, lang)
    if lowest:
        lines.append(_("   Least healthy units: {units}.", units=lowest))
    return lines
