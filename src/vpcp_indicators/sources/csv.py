"""CSV sources: UTF-8 (a byte-order mark is tolerated), a header row, one record per row."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO

from ..errors import SourceError
from ..filekinds import file_problem
from ..hookspecs import hookimpl
from ..i18n import N_
from . import RowValues

__all__ = ["CsvReader"]

# Bytes that are not UTF-8 are decoded to lone surrogates, so that one bad row is reported
# and skipped instead of the whole file failing.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


class _Lines:
    """The file's lines, noting whether the record being read held bytes that are not UTF-8."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.bad = False

    def __iter__(self) -> Iterator[str]:
        search = _NOT_UTF8.search
        for line in self.stream:
            if not line.isascii() and search(line):
                self.bad = True
            yield line


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
            path, "cannot open the source: {reason}", reason=error.strerror
        ) from error


class CsvReader:
    """Reads ``.csv`` files with a header row."""

    name = "csv"
    extensions = (".csv",)

    def columns(self, path: Path) -> list[str]:
        """The header row."""
        with _open(path) as stream:
            try:
                header = next(csv.reader(stream), None)
            except csv.Error as error:
                raise SourceError.at(
                    path, f"the header row cannot be read: {error}", line=1
                ) from error
        if not header:
            raise SourceError.at(path, "the file is empty: a header row is needed", line=1)
        if any(_NOT_UTF8.search(name) for name in header):
            raise SourceError.at(
                path, "the header row is not UTF-8 text (save it as CSV UTF-8)", line=1
            )
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:
            names = ", ".join(f"'{name}'" for name in repeated)
            raise SourceError.at(
                path, "the header names {names} more than once", line=1, names=names
            )
        return header

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """Each record's values for ``columns``, with its row number.

        Rows are numbered as a spreadsheet shows them: the header is row 1, each record one
        row however many lines its quoted values span, and a blank line a row of its own.
        The file is decoded strictly, which is fast; at the first bytes that are not UTF-8
        it is read again, line by line, from the row it had reached, to say which rows.
        """
        number = 1
        careful = False
        while True:
            with _open(path, careful) as stream:
                lines = _Lines(stream) if careful else None
                # strict: a stray quote is a broken row, not a value quietly rewritten.
                reader = csv.reader(lines if lines is not None else stream, strict=True)
                try:
                    header = next(reader, [])
                    pick = _picker(header, columns)
                    width = len(header)
                    skip, number = number, 1
                    while True:
                        try:
                            # Restarted after a broken row: the reader goes on from there.
                            for row in reader:
                                number += 1
                                if number <= skip:
                                    continue
                                if lines is not None and lines.bad:
                                    lines.bad = False
                                    yield number, N_("not UTF-8 text")
                                elif len(row) == width:
                                    yield number, pick(row)
                                elif row:
                                    few = len(row) < width
                                    yield (
                                        number,
                                        N_("too few fields") if few else N_("too many fields"),
                                    )
                            return
                        except csv.Error:
                            number += 1
                            if lines is not None:
                                lines.bad = False
                            if number > skip:
                                yield number, N_("misplaced quote")
                except UnicodeDecodeError:
                    if careful:
                        raise
                    careful = True


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
