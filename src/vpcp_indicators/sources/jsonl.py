"""JSON Lines sources: one JSON object per line, its keys the columns.

The columns of the source are the keys found in its first 1,000 records (a file has no
header; looking further would mean reading the whole file before computing). A string is
taken as written; ``null`` or a missing key is no value; a number or ``true``/``false`` is
taken as its JSON text in shortest form (``1.50`` becomes ``"1.5"``, ``true`` becomes
``"true"``); an array or object as a value makes the row unreadable. Rows are lines: a
blank line is a row with nothing in it, and is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError
from ..filekinds import file_problem
from ..hookspecs import hookimpl
from ..i18n import N_
from . import RowValues

__all__ = ["SAMPLE", "JsonLinesReader"]

#: How many records are looked at for the source's columns.
SAMPLE = 1000

NESTED = N_("a value is an array or an object")


def _open(path: Path) -> IO[bytes]:
    # Looked at first: opening a FIFO would wait for a writer, a device would never end.
    what = file_problem(path)
    if what is not None:
        raise SourceError.at(path, "cannot open the source: {reason}", reason=what)
    try:
        return open(path, "rb")
    except OSError as error:
        raise SourceError.at(
            path, "cannot open the source: {reason}", reason=error.strerror
        ) from error


def _text(value: Any) -> str | None:
    """A JSON value as text, or None for a value that cannot be one (arrays, objects)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | dict):
        return None
    return json.dumps(value)


def _not_json(name: str) -> Any:
    # Python reads NaN and Infinity, which JSON does not have.
    raise ValueError(name)


def _parse(raw: bytes) -> dict[str, Any] | str:
    """The record on a line, or why it is not one."""
    try:
        record = json.loads(raw, parse_constant=_not_json)
    except UnicodeDecodeError:
        return N_("not UTF-8 text")
    except ValueError:
        return N_("not valid JSON")
    if not isinstance(record, dict):
        return N_("not a JSON object")
    return record


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Numbered lines, the byte-order mark left out, blank lines skipped."""
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw.strip():
            yield number, raw


class JsonLinesReader:
    """Reads ``.jsonl`` files."""

    name = "jsonl"
    extensions = (".jsonl",)

    def columns(self, path: Path) -> list[str]:
        """The keys found in the first records, in the order first seen."""
        keys: dict[str, None] = {}
        records = 0
        with _open(path) as stream:
            for _, raw in _lines(stream):
                record = _parse(raw)
                records += 1
                if isinstance(record, dict):
                    keys.update(dict.fromkeys(record))
                if records == SAMPLE:
                    break
        if not records:
            raise SourceError.at(path, "the file holds no record")
        if not keys:
            raise SourceError.at(
                path, "none of the first {count} records is a JSON object", count=records
            )
        return list(keys)

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """Each record's values for ``columns``, with its line number."""
        with _open(path) as stream:
            for number, raw in _lines(stream):
                record = _parse(raw)
                if isinstance(record, str):
                    yield number, record
                    continue
                values = tuple(_text(record.get(c)) for c in columns)
                if None in values:
                    yield number, NESTED
                else:
                    yield number, values  # type: ignore[misc]


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(JsonLinesReader())
