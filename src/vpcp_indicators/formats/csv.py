"""The CSV outputs, for spreadsheets and tools: ``csv``, one row per (date, indicator) with all
its figures, and ``csv-breakdown``, one row per (date, indicator, group) of the breakdowns.

The breakdowns are a file of their own so that the rows and columns of ``csv``, which tools
read, stay as they are. Figures are numbers as they are (a share as a fraction: 0.705), so
that a spreadsheet computes with them; labels are in the report's language. A text that a
spreadsheet would take for a formula (starting with ``=``, ``+``, ``-`` or ``@``) is
written with a leading apostrophe, so that it stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from ..evaluation import IndicatorResult, Report
from ..hookspecs import hookimpl
from ..i18n import N_, Language
from . import Format, RenderOptions
from .view import status_label

__all__ = ["BREAKDOWN_COLUMNS", "COLUMNS", "breakdown_rows", "rows", "safe_text"]

#: The columns: a key, and the header a person reads.
COLUMNS = (
    ("as_of", N_("Date")),
    ("indicator", N_("Indicator")),
    ("task", N_("Task")),
    ("kind", N_("Kind")),
    ("title", N_("Title")),
    ("unit", N_("Unit")),
    ("value", N_("Value")),
    ("numerator", N_("Numerator")),
    ("denominator", N_("Denominator")),
    ("expected", N_("Expected")),
    ("target", N_("Target")),
    ("target_by", N_("Target date")),
    ("score", N_("Score")),
    ("status", N_("Status")),
    ("window_start", N_("Window start")),
    ("window_end", N_("Window end")),
    ("excluded", N_("Left out")),
    ("warnings", N_("Rows with data warnings")),
    ("error", N_("Error")),
)

#: The columns of ``csv-breakdown``: the group's code, for tools, and its label, for people.
BREAKDOWN_COLUMNS = (
    ("as_of", N_("Date")),
    ("indicator", N_("Indicator")),
    ("unit", N_("Unit")),
    ("column", N_("Column")),
    ("group", N_("Group")),
    ("label", N_("Group label")),
    ("numerator", N_("Numerator")),
    ("denominator", N_("Denominator")),
    ("value", N_("Value")),
)

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text a spreadsheet will not run: a leading apostrophe before a formula's first sign."""
    return "'" + text if text.startswith(_FORMULA) else text


def _row(as_of: str, result: IndicatorResult, lang: Language) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "indicator": result.id,
        "task": result.task,
        "kind": result.kind,
        "title": result.title,
        "unit": result.unit,
        "value": result.value,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "expected": result.expected,
        "target": result.target,
        "target_by": result.target_by.isoformat(),
        "score": result.score,
        "status": status_label(result.status, lang),
        "window_start": result.window.start.isoformat(),
        "window_end": result.window.end.isoformat(),
        "excluded": "; ".join(f"{k}={v}" for k, v in result.excluded.items()),
        "warnings": sum(w.count for w in result.warnings),
        "error": result.error,
    }


def rows(report: Report, lang: Language) -> list[dict[str, Any]]:
    """One row per (date, indicator), in date then plan order."""
    return [
        _row(e.as_of.isoformat(), result, lang)
        for e in report.evaluations
        for result in e.indicators
    ]


def breakdown_rows(report: Report, lang: Language) -> list[dict[str, Any]]:
    """One row per (date, indicator, group), in date, plan and breakdown order. ``column``
    is the column the groups are codes of when the plan labels it, else None; ``label`` is
    what the reports for people show: the plan's label in this language, else the code."""
    return [
        {
            "as_of": e.as_of.isoformat(),
            "indicator": result.id,
            "unit": result.unit,
            "column": result.labelled_by,
            "group": g.key,
            "label": report.plan.label(result.labelled_by, g.key, lang.code),
            "numerator": g.numerator,
            "denominator": g.denominator,
            "value": None if g.value is None or result.insufficient(g) else float(g.value),
        }
        for e in report.evaluations
        for result in e.indicators
        for g in result.breakdown
    ]


def _csv(columns: tuple[tuple[str, str], ...], found: list[dict[str, Any]], lang: Language) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(lang.gettext(label) for _, label in columns)
    for row in found:
        writer.writerow(
            "" if row[k] is None else safe_text(row[k]) if isinstance(row[k], str) else row[k]
            for k, _ in columns
        )
    return buffer.getvalue()


def render_csv(report: Report, options: RenderOptions) -> str:
    """The figures as CSV: a header row, then one row per date and indicator."""
    lang = options.language(report)
    return _csv(COLUMNS, rows(report, lang), lang)


def render_csv_breakdown(report: Report, options: RenderOptions) -> str:
    """The breakdowns as CSV: a header row, then one row per date, indicator and group (a
    header alone when no indicator has a breakdown)."""
    lang = options.language(report)
    return _csv(BREAKDOWN_COLUMNS, breakdown_rows(report, lang), lang)


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(Format("csv", render_csv, "one row per date and indicator", extension=".csv"))
    register(
        Format(
            "csv-breakdown",
            render_csv_breakdown,
            "one row per date, indicator and group of its breakdown",
            extension=".csv",
        )
    )
