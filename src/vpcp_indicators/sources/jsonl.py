"""JSON Lines sources: one JSON object per line, its keys the columns.

The columns of the source are the keys found in its first 1,000 records (a file has no
header; looking further would mean reading the whole file before computing). A string is
taken as written;
``null`` or a missing key is no value; any other JSON value is taken as its JSON text
(``1`` becomes ``"1"``, ``true`` becomes ``"true"``). Blank lines are skipped and not
counted as rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError
from ..hookspecs import hookimpl
from . import RowValues

__all__ = ["SAMPLE", "JsonLinesReader"]

#: How many records are looked at for the source's columns.
SAMPLE = 1000


def _open(path: Path) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as error:
        raise SourceError.at(path, f"cannot open the source: {error.strerror}") from error


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _parse(raw: bytes) -> dict[str, Any] | str:
    """The record on a line, or why it is not one."""
    try:
        record = json.loads(raw)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except ValueError:
        return "not valid JSON"
    if not isinstance(record, dict):
        return "not a JSON object"
    return record


class JsonLinesReader:
    """Reads ``.jsonl`` files."""

    name = "jsonl"
    extensions = (".jsonl",)

    def columns(self, path: Path) -> list[str]:
        """The keys found in the first records, in the order first seen."""
        keys: dict[str, None] = {}
        records = 0
        with _open(path) as stream:
            for raw in stream:
                if not raw.strip():
                    continue
                record = _parse(raw.removeprefix(b"\xef\xbb\xbf") if not records else raw)
                records += 1
                if isinstance(record, dict):
                    keys.update(dict.fromkeys(record))
                if records == SAMPLE:
                    break
        if not records:
            raise SourceError.at(path, "the file holds no record")
        if not keys:
            raise SourceError.at(path, f"none of the first {records} records is a JSON object")
        return list(keys)

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """Each record's values for ``columns``, with its row number: the first record is
        row 1; blank lines are not rows (so, without blank lines, rows are lines)."""
        with _open(path) as stream:
            number = 0
            for raw in stream:
                if number == 0:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if not raw.strip():
                    continue
                number += 1
                record = _parse(raw)
                if isinstance(record, str):
                    yield number, record
                else:
                    yield number, tuple(_text(record.get(c)) for c in columns)


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(JsonLinesReader())
