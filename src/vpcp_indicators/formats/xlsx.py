"""The Excel output (optional: ``pip install 'vpcp-indicators[xlsx]'``, with openpyxl).

A summary sheet (the plan, its score by date, its tasks), then one sheet per task with its
indicators' figures by date, then a sheet of the breakdowns: a row per date, indicator and
group, with the group's code and label. Figures are real numbers with number formats
(percentages for shares); header rows are frozen. Text cells are never formulas, whatever
they start with.
The workbook holds no clock time, so that the same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import PluginError
from ..evaluation import Report
from ..hookspecs import hookimpl
from ..i18n import Language, text_in
from ..units import Unit
from . import Format, RenderOptions
from .csv import BREAKDOWN_COLUMNS, COLUMNS, breakdown_rows, rows
from .view import status_label

__all__ = ["render_xlsx"]

_PERCENT, _SCORE, _COUNT = "0.0%", "0.0", "#,##0"
_NUMBERS = {"numerator": _COUNT, "denominator": _COUNT, "score": _SCORE, "warnings": _COUNT}
_SHARES = ("value", "expected", "target")


#: The time written where a workbook would hold the clock's (its created and modified
#: properties, the time of each part of the file): the earliest a zip file can hold.
NO_TIME = dt.datetime(1980, 1, 1)


class _Archive(zipfile.ZipFile):
    """A zip file whose parts carry :data:`NO_TIME`, not the local time they are written at."""

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=NO_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16  # what zipfile gives a part written by name
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl writes each sheet to a temporary file first: its time is the clock's too.
        with open(filename, "rb") as stream:
            data = stream.read()
        name = os.fspath(filename if arcname is None else arcname)
        self.writestr(name, data, compress_type, compresslevel)


def _save(book: Any) -> bytes:
    # openpyxl's own save() stamps the workbook's modified property with the clock time.
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    book.properties.created = book.properties.modified = NO_TIME
    buffer = io.BytesIO()
    ExcelWriter(book, _Archive(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


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
        _put(sheet, row, 3, status_label(evaluation.status, lang))
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
        _put(sheet, row, 4, status_label(task.status, lang))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60


def _number_format(unit: Unit, lang: Language) -> str:
    """How a figure of this unit is shown: a percentage, or its decimals and its label."""
    if unit.share:
        return _PERCENT
    shown = "0." + "0" * unit.decimals if unit.decimals else "0"
    # Excel shows the label after the number; the cell keeps the number alone.
    label = text_in(unit.label, lang.code).replace('"', "")
    return f'{shown} "{label}"' if label else shown


def _breakdowns(sheet: Any, report: Report, lang: Language) -> None:
    _header(sheet, [lang.gettext(label) for _, label in BREAKDOWN_COLUMNS])
    for row, values in enumerate(breakdown_rows(report, lang), start=2):
        for column, (key, _) in enumerate(BREAKDOWN_COLUMNS, start=1):
            value = values[key]
            number_format = _NUMBERS.get(key)
            if key == "as_of":
                # A real date, as on the summary sheet, so that a filter can pick dates.
                value, number_format = dt.date.fromisoformat(value), "yyyy-mm-dd"
            elif key == "value":
                number_format = _number_format(report.plan.unit(values["unit"]), lang)
            # None (a column the plan does not label, a value-only group's counts) leaves
            # the cell empty.
            _put(sheet, row, column, value, number_format)
    for letter, width in (("A", 12), ("B", 20), ("D", 18), ("E", 30), ("F", 30)):
        sheet.column_dimensions[letter].width = width


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
                    number_format = _number_format(report.plan.unit(values["unit"]), lang)
                _put(sheet, row, column, value, number_format)
        for letter, width in (("A", 12), ("B", 20), ("E", 50)):
            sheet.column_dimensions[letter].width = width
    # Always there, even empty, so that whoever reads the workbook finds it in its place.
    _breakdowns(book.create_sheet(_sheet_name(lang.gettext("Breakdown"), used)), report, lang)
    return _save(book)


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
