"""Workbook sources (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``), read with python-calamine.

The reading, as the README's contract states it:

- The sheet is the one the plan names (``sheet = "2013"``), or else the first worksheet.
- The header is the sheet's first row holding a value (row 1, unless rows above it are
  wholly empty). Each header cell names its column, as text; a column whose header cell is
  empty is not a column of the source (nothing in it is read). A name given to two columns
  refuses the file, naming the columns by their letters.
- Rows are numbered as the spreadsheet shows them. A row with no value under any named
  column is blank and skipped without a warning, as a blank line of a CSV file is.
- A cell's value, not its display format, becomes text: a text cell as written, a date
  cell ``YYYY-MM-DD``, a date-and-time cell with a time of day ``YYYY-MM-DD HH:MM:SS``
  (which is not a date: a ``bad_date`` warning in a date column), a number in shortest
  form (``3`` for 3.0, ``0.75``), ``TRUE``/``FALSE``, a time ``HH:MM:SS``, a duration
  ``H:MM:SS``. An empty cell, and a cell holding an error (``#N/A``), is no value.
- A formula gives the value saved with it; a workbook saved by a program that does not
  compute formulas has none.

python-calamine loads the whole sheet into memory (see docs/benchmarks.md); a loaded sheet
is kept for the next call on the same file, so that looking at the header and then reading
the rows load it once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..filekinds import file_problem
from ..hookspecs import hookimpl
from . import RowValues

__all__ = ["WorkbookReader", "cell_text", "column_letters"]

log = logging.getLogger("vpcp_indicators")

#: What to install when python-calamine is missing.
INSTALL = "pip install 'vpcp-indicators[excel]'"


def column_letters(index: int) -> str:
    """A column's letters as a spreadsheet shows them, from its 0-based index (0 is A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _number(value: float) -> str:
    if value == 0:  # -0.0 too: a spreadsheet shows 0
        return "0"
    text = repr(value)  # the shortest text that reads back as the same float
    return text[:-2] if text.endswith(".0") else text


def _duration(value: dt.timedelta) -> str:
    # As a spreadsheet's [h]:mm:ss shows it: hours beyond a day are not wrapped into days.
    sign = "-" if value < dt.timedelta(0) else ""
    micro = abs(value) // dt.timedelta(microseconds=1)
    seconds, micro = divmod(micro, 1_000_000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    fraction = f".{micro:06d}" if micro else ""
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}{fraction}"


def cell_text(value: Any) -> str:
    """A cell's value as the text the checks read (see the module's docstring)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is float:
        return _number(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is dt.datetime:  # before date: a datetime is a date too
        if value.time() == dt.time(0):
            return value.date().isoformat()  # type: ignore[no-any-return]
        return value.isoformat(sep=" ")  # type: ignore[no-any-return]
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is dt.time:
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is dt.timedelta:
        return _duration(value)
    return "" if value is None else str(value)


def _calamine(path: Path) -> Any:
    """The python-calamine module, or a SourceError saying how to install it."""
    try:
        import python_calamine
    except ImportError as error:
        raise SourceError.at(
            path, "reading a workbook needs python-calamine: {install}", install=INSTALL
        ) from error
    return python_calamine


def _first_line(error: Exception) -> str:
    said = str(error).strip()
    return said.splitlines()[0] if said else type(error).__name__


class _Sheet:
    """A loaded sheet: its rows (as python-calamine gives them, from the sheet's row 1), the
    index of its header row, and the columns its header names."""

    def __init__(self, path: Path, sheet: str | None):
        calamine = _calamine(path)
        what = file_problem(path)
        if what is not None:
            raise SourceError.at(path, "cannot open the source: {reason}", reason=what)
        try:
            with calamine.CalamineWorkbook.from_path(str(path)) as book:
                loaded = book.get_sheet_by_name(_sheet_name(path, book, sheet, calamine))
        except calamine.PasswordError as error:
            raise SourceError.at(path, "the workbook is protected by a password") from error
        except (calamine.CalamineError, OSError, ValueError) as error:
            # calamine's words may quote the file (a piece of its XML): --debug shows them,
            # the message does not, as no message shows what a source holds.
            log.debug("%s: %s", path, _first_line(error))
            raise SourceError.at(
                path, "not a readable workbook (damaged, or not of the kind its name says)"
            ) from error
        self.loaded = loaded
        start = loaded.start
        if start is None:
            raise SourceError.at(path, "the sheet is empty: a header row is needed", line=1)
        # iter_rows gives every row from the sheet's first, but the columns only from the
        # first that holds a value: a row's index is its number less one.
        self.first = start[0]
        self.offset = start[1]
        rows = loaded.iter_rows()
        for _ in range(self.first + 1):
            header = next(rows)
        self.header = self._names(path, [cell_text(v) for v in header])

    def _names(self, path: Path, header: list[str]) -> dict[str, int]:
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            if name:
                positions.setdefault(name, []).append(index)
        repeated = [
            ", ".join(column_letters(self.offset + i) for i in p)
            for p in positions.values()
            if len(p) > 1
        ]
        if repeated:
            raise SourceError.at(
                path,
                "the header row gives one name to several columns (columns {positions})",
                line=self.first + 1,
                positions="; ".join(repeated),
            )
        return {name: found[0] for name, found in positions.items()}


def _sheet_name(path: Path, book: Any, sheet: str | None, calamine: Any) -> str:
    """The sheet to read: the one named, or else the first worksheet."""
    names: list[str] = list(book.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise SourceError.at(
                path,
                "the workbook has no sheet '{sheet}' (sheets: {sheets})",
                sheet=sheet,
                sheets=", ".join(names) or "none",
            )
        return sheet
    for found in book.sheets_metadata:
        if found.typ == calamine.SheetTypeEnum.WorkSheet:
            return str(found.name)
    raise SourceError.at(path, "the workbook has no worksheet")


class WorkbookReader:
    """Reads a sheet of a workbook: ``.xlsx``, ``.xlsm``, ``.xls`` and ``.ods`` files."""

    name = "excel"
    extensions = (".xlsx", ".xlsm", ".xls", ".ods")

    def __init__(self) -> None:
        self._kept: tuple[tuple[Any, ...], _Sheet] | None = None

    def _load(self, path: Path, sheet: str | None) -> _Sheet:
        try:
            stat = path.stat()
            key: tuple[Any, ...] = (path, sheet, stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            key = ()
        if key and self._kept is not None and self._kept[0] == key:
            return self._kept[1]
        self._kept = None  # let the last sheet go before the next one loads
        loaded = _Sheet(path, sheet)
        if key:
            self._kept = (key, loaded)
        return loaded

    def columns(self, path: Path, sheet: str | None = None) -> list[str]:
        """The names the header row gives, in sheet order."""
        return list(self._load(path, sheet).header)

    def rows(
        self, path: Path, columns: Sequence[str], sheet: str | None = None
    ) -> Iterator[RowValues]:
        """Each record's values for ``columns``, with its row number as the sheet shows it."""
        loaded = self._load(path, sheet)
        self._kept = None  # read once: the rows need not stay in memory after this
        named = sorted(loaded.header.values())
        pick = _picker([loaded.header[c] for c in columns])
        rows = loaded.loaded.iter_rows()
        for _ in range(loaded.first + 1):
            next(rows)
        width = len(columns)
        for number, row in enumerate(rows, start=loaded.first + 2):
            values = pick(row)
            # The other named columns are looked at only when the asked ones are all empty.
            if values.count("") == width and all(row[i] == "" for i in named):
                continue
            yield number, tuple(map(cell_text, values))


def _picker(indexes: Sequence[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A function picking the cells at ``indexes`` from a row."""
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda row: (row[index],)
    pick: Callable[[list[Any]], tuple[Any, ...]] = itemgetter(*indexes)
    return pick


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(WorkbookReader())
