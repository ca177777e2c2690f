"""CSV sources: UTF-8 (a byte-order mark is tolerated), a header row, one record per row."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO

from ..errors import SourceError
from ..hookspecs import hookimpl
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


def _open(path: Path) -> IO[str]:
    try:
        return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as error:
        raise SourceError.at(path, f"cannot open the source: {error.strerror}") from error


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
            hint = "save it as CSV UTF-8"
            raise SourceError.at(path, f"the header row is not UTF-8 text ({hint})", line=1)
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:
            names = ", ".join(f"'{name}'" for name in repeated)
            raise SourceError.at(path, f"the header names {names} more than once", line=1)
        return header

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """Each record's values for ``columns``, with its row number.

        Rows are numbered as a spreadsheet shows them: the header is row 1, each record one
        row however many lines its quoted values span, and a blank line a row of its own.
        """
        with _open(path) as stream:
            lines = _Lines(stream)
            # strict: a stray quote is a broken row, not a value quietly rewritten.
            reader = csv.reader(lines, strict=True)
            header = next(reader, [])
            width = len(header)
            pick: Callable[[list[str]], tuple[str, ...]]
            if not columns:
                pick = lambda row: ()  # noqa: E731
            elif len(columns) == 1:
                index = header.index(columns[0])
                pick = lambda row: (row[index],)  # noqa: E731
            else:
                pick = itemgetter(*(header.index(c) for c in columns))
            number = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    number += 1
                    lines.bad = False
                    yield number, "misplaced quote"
                    continue
                number += 1
                if lines.bad:
                    lines.bad = False
                    yield number, "not UTF-8 text"
                elif len(row) == width:
                    yield number, pick(row)
                elif row:
                    yield number, "too few fields" if len(row) < width else "too many fields"


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(CsvReader())
