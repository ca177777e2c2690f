"""CSV sources: UTF-8 (a byte-order mark is tolerated), a header row, one record per row."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO

from ..errors import Message, SourceError, os_reason
from ..filekinds import file_problem
from ..hookspecs import hookimpl
from ..i18n import N_
from . import RowValues

__all__ = ["FIELD_LIMIT", "CsvReader"]

# Bytes that are not UTF-8 are decoded to lone surrogates, so that one bad row is reported
# and skipped instead of the whole file failing.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")

#: The longest field, in characters: the csv module's default limit, kept as the contract's
#: (a field longer than this is a broken export far more often than a value).
FIELD_LIMIT = 131_072

NOT_UTF8 = N_("not UTF-8 text")
TOO_FEW = N_("too few fields")
TOO_MANY = N_("too many fields")
MISPLACED_QUOTE = N_("misplaced quote")
TOO_LONG = N_("a field is longer than 131072 characters")
NUL = N_("a NUL byte")


def _fault(error: csv.Error) -> str:
    """The detail of a row the csv module could not read."""
    said = str(error)
    if said.startswith("field larger than field limit"):
        return TOO_LONG
    if "NUL" in said:  # Python 3.10 refuses NUL bytes; 3.11 reads them as characters
        return NUL
    return MISPLACED_QUOTE


def _open(path: Path, careful: bool = True) -> IO[str]:
    errors = "surrogateescape" if careful else "strict"
    # Looked at first: opening a FIFO would wait for a writer, a device would never end.
    what = file_problem(path)
    if what is not None:
        raise SourceError.at(path, "cannot open the source: {reason}", reason=what)
    try:
        return open(path, encoding="utf-8-sig", errors=errors, newline="")
    except OSError as error:
        raise SourceError.at(
            path, "cannot open the source: {reason}", reason=os_reason(error)
        ) from error


class CsvReader:
    """Reads ``.csv`` files with a header row."""

    name = "csv"
    extensions = (".csv",)

    def columns(self, path: Path) -> list[str]:
        """The header row (read as strictly as the rows are)."""
        with _open(path) as stream:
            try:
                header = next(csv.reader(stream, strict=True), None)
            except csv.Error as error:
                raise SourceError.at(
                    path,
                    "the header row cannot be read ({detail})",
                    line=1,
                    detail=Message(_fault(error)),
                ) from error
        if not header:
            raise SourceError.at(path, "the file is empty: a header row is needed", line=1)
        if any(_NOT_UTF8.search(name) for name in header):
            raise SourceError.at(
                path, "the header row is not UTF-8 text (save it as CSV UTF-8)", line=1
            )
        # Positions, not names: the header is the file's content.
        positions: dict[str, list[str]] = {}
        for number, name in enumerate(header, start=1):
            positions.setdefault(name, []).append(str(number))
        repeated = [", ".join(p) for p in positions.values() if len(p) > 1]
        if repeated:
            raise SourceError.at(
                path,
                "the header row gives one name to several columns (columns {positions})",
                line=1,
                positions="; ".join(repeated),
            )
        return header

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """Each record's values for ``columns``, with its row number.

        Rows are numbered as a spreadsheet shows them: the header is row 1, each record one
        row however many lines its quoted values span, and a blank line a row of its own.
        The file is decoded strictly, which is fast; at the first bytes that are not UTF-8
        it is read again, line by line, from the row it had reached, to say which rows.
        """
        try:
            yield from _records(path, columns, careful=False, done=1)
        except _Undecodable as stop:
            yield from _records(path, columns, careful=True, done=stop.done)


class _Undecodable(Exception):
    """Bytes that are not UTF-8 after row ``done``: the file must be read carefully."""

    def __init__(self, done: int):
        super().__init__(done)
        self.done = done


def _records(path: Path, columns: Sequence[str], careful: bool, done: int) -> Iterator[RowValues]:
    """The rows after row ``done``; raises :class:`_Undecodable` if not ``careful``."""
    with _open(path, careful) as stream:
        # strict: a stray quote is a broken row, not a value quietly rewritten.
        reader = csv.reader(stream, strict=True)
        number = 1
        try:
            header = next(reader, [])
        except csv.Error as error:
            raise SourceError.at(
                path,
                "the header row cannot be read ({detail})",
                line=1,
                detail=Message(_fault(error)),
            ) from error
        except UnicodeDecodeError as error:
            raise _Undecodable(number) from error
        pick, width = _picker(header, columns), len(header)
        # Carefully decoded, a byte that is not UTF-8 is a lone surrogate; only the columns
        # read are looked at, as DuckDB's reader looks only at the columns a query reads.
        search = _NOT_UTF8.search if careful else None
        while True:
            try:
                # Restarted after a broken row: the reader goes on from the next line.
                for row in reader:
                    number += 1
                    if number <= done:
                        continue
                    if len(row) == width:
                        values = pick(row)
                        if search is not None and any(search(v) for v in values):
                            yield number, NOT_UTF8
                        else:
                            yield number, values
                    elif row:
                        yield number, TOO_FEW if len(row) < width else TOO_MANY
                return
            except csv.Error as error:
                number += 1
                if number > done:
                    yield number, _fault(error)
            except UnicodeDecodeError as error:
                raise _Undecodable(number) from error


def _picker(header: list[str], columns: Sequence[str]) -> Callable[[list[str]], tuple[str, ...]]:
    """A function picking ``columns`` from a row of a file with this header."""
    if not columns:
        return lambda row: ()
    if len(columns) == 1:
        index = header.index(columns[0])
        return lambda row: (row[index],)
    pick: Callable[[list[str]], tuple[str, ...]] = itemgetter(*(header.index(c) for c in columns))
    return pick


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(CsvReader())
