"""The Excel output (optional: ``pip install 'vpcp-indicators[xlsx]'``, with openpyxl).

A summary sheet (the plan, its score by date, its tasks), then one sheet per task with its
indicators' figures by date. Figures are real numbers with number formats (percentages for
shares); header rows are frozen. Text cells are never formulas, whatever they start with.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import PluginError
from ..evaluation import Report
from ..hookspecs import hookimpl
from ..i18n import Language
from . import Format, RenderOptions
from .csv import COLUMNS, rows

__all__ = ["render_xlsx"]

_PERCENT, _SCORE, _COUNT = "0.0%", "0.0", "#,##0"
_NUMBERS = {"numerator": _COUNT, "denominator": _COUNT, "score": _SCORE, "warnings": _COUNT}
_SHARES = ("value", "expected", "target")


def _sheet_name(text: str, used: set[str]) -> str:
    # Excel forbids []:*?/\ in sheet names and allows 31 characters.
    name = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "-"
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def _put(sheet: Any, row: int, column: int, value: Any, number_format: str | None = None) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        # A string cell is never a formula, and the quote prefix keeps Excel from making one.
        cell.data_type = "s"
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True
    else:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format


def _header(sheet: Any, labels: Sequence[str]) -> None:
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]

    for column, label in enumerate(labels, start=1):
        _put(sheet, 1, column, label)
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F0")
    sheet.freeze_panes = "A2"


def _summary(sheet: Any, report: Report, lang: Language) -> None:
    _ = lang.gettext
    _header(sheet, [_("Date"), _("Plan score"), _("Status")])
    for row, evaluation in enumerate(report.evaluations, start=2):
        _put(sheet, row, 1, evaluation.as_of)
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        _put(sheet, row, 2, evaluation.score, _SCORE)
        _put(sheet, row, 3, lang.status(evaluation.status))
    row = len(report.evaluations) + 3
    plan = report.plan
    for label, value in (
        (_("Plan"), plan.title),
        (_("Decision"), plan.decision or ""),
        (_("Period"), f"{plan.start} – {plan.end}"),
    ):
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, value)
        row += 1
    row += 1
    for column, label in enumerate([_("Task"), _("Title"), _("Score"), _("Status")], start=1):
        _put(sheet, row, column, label)
    for task in report.latest.tasks:
        row += 1
        _put(sheet, row, 1, task.id)
        _put(sheet, row, 2, task.title)
        _put(sheet, row, 3, task.score, _SCORE)
        _put(sheet, row, 4, lang.status(task.status))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60


def render_xlsx(report: Report, options: RenderOptions) -> bytes:
    """The report as an Excel workbook."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped]
    except ImportError as error:
        raise PluginError(
            "the xlsx format needs openpyxl: pip install 'vpcp-indicators[xlsx]'"
        ) from error
    lang = options.language(report)
    book = Workbook()
    summary = book.active
    used: set[str] = set()
    summary.title = _sheet_name(lang.gettext("Summary"), used)
    _summary(summary, report, lang)
    all_rows = rows(report, lang)
    for task in report.plan.tasks:
        sheet = book.create_sheet(_sheet_name(task.id, used))
        _header(sheet, [lang.gettext(label) for _, label in COLUMNS])
        mine = [r for r in all_rows if r["task"] == task.id]
        for row, values in enumerate(mine, start=2):
            for column, (key, _) in enumerate(COLUMNS, start=1):
                value = values[key]
                number_format = _NUMBERS.get(key)
                if key in _SHARES:
                    number_format = _PERCENT if values["unit"] == "ratio" else "0.00"
                _put(sheet, row, column, value, number_format)
        for letter, width in (("A", 12), ("B", 20), ("E", 50)):
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(
        Format(
            "xlsx",
            render_xlsx,
            "an Excel workbook (needs the xlsx extra)",
            binary=True,
            extension=".xlsx",
        )
    )
