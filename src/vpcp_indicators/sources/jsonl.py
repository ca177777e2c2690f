"""JSON Lines sources: one JSON object per line, its keys the columns.

The reading, as the README's contract states it:

- The file is UTF-8. A byte-order mark at its very start is skipped; a file that starts
  with a UTF-16 or UTF-32 byte-order mark is refused as a whole.
- A row is a line, ended by LF (a CR before it is JSON whitespace). Rows are numbered from
  1. A line holding nothing but JSON whitespace (space, tab, CR) is blank and skipped.
- A line that is not UTF-8 is unreadable ("not UTF-8 text"); one that is not a JSON text
  by RFC 8259 (``NaN``, a byte-order mark, a number too large for a double, a string with
  an unpaired surrogate escape, nesting deeper than :data:`MAX_DEPTH`) is "not valid JSON";
  one whose value is not an object is "not a JSON object"; an object that has a key twice
  is unreadable too ("a key appears twice"), since no one can say which value was meant.
- The columns of the source are the keys found in its first 1,000 records (a file has no
  header; looking further would mean reading the whole file before computing).
- A string is taken as written; ``null`` or a missing key is no value; a number or
  ``true``/``false`` is taken as its JSON text in shortest form (``1.50`` becomes ``"1.5"``);
  an array or object as the value of a column that is read makes the row unreadable.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError, os_reason
from ..filekinds import file_problem
from ..hookspecs import hookimpl
from ..i18n import N_
from . import RowValues

__all__ = ["MAX_DEPTH", "SAMPLE", "JsonLinesReader"]

#: How many records are looked at for the source's columns.
SAMPLE = 1000

#: The deepest nesting a line may have. Python's parser gives up somewhere near its
#: recursion limit, which depends on the caller; a fixed limit gives every run one answer.
MAX_DEPTH = 512

NOT_UTF8 = N_("not UTF-8 text")
NOT_JSON = N_("not valid JSON")
NOT_OBJECT = N_("not a JSON object")
NESTED = N_("a value is an array or an object")
TWICE = N_("a key appears twice")

_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
# JSON's whitespace, as bytes.strip() would otherwise take \v and \f for blanks too.
_JSON_SPACE = b" \t\r\n"
# An escaped surrogate: either half of a pair, or one alone (which is no character).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Refused(ValueError):
    """A line that parses, but breaks the contract."""


def _open(path: Path) -> IO[bytes]:
    # Looked at first: opening a FIFO would wait for a writer, a device would never end.
    what = file_problem(path)
    if what is not None:
        raise SourceError.at(path, "cannot open the source: {reason}", reason=what)
    try:
        return open(path, "rb")
    except OSError as error:
        raise SourceError.at(
            path, "cannot open the source: {reason}", reason=os_reason(error)
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
    raise _Refused(name)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999: no double holds it, so it has no shortest form
        raise _Refused(text)
    return number


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Refused(TWICE)
    return found


def _depth(raw: bytes) -> int:
    """How deeply the arrays and objects of a line nest (brackets in strings left out)."""
    depth = deepest = 0
    quoted = escaped = False
    for byte in raw:
        if quoted:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                quoted = False
        elif byte == 0x22:
            quoted = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _unpaired(value: Any) -> bool:
    """Whether a parsed value holds a string with a surrogate that pairs with nothing."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unpaired(k) or _unpaired(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unpaired(v) for v in value)
    return False


def _parse(raw: bytes) -> dict[str, Any] | str:
    """The record on a line, or why it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    # Counting brackets is cheap; the exact depth is worked out only for lines that might
    # be too deep.
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(raw) > MAX_DEPTH:
        return NOT_JSON
    try:
        record = json.loads(
            text, parse_constant=_not_json, parse_float=_finite, object_pairs_hook=_object
        )
    except _Refused as refused:
        return TWICE if refused.args == (TWICE,) else NOT_JSON
    except (ValueError, RecursionError):
        return NOT_JSON
    if not isinstance(record, dict):
        return NOT_OBJECT
    if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw) and _unpaired(record):
        return NOT_JSON
    return record


def _lines(stream: IO[bytes], path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered lines, the byte-order mark left out, blank lines skipped."""
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            if raw.startswith(_WIDE_BOMS):
                raise SourceError.at(
                    path, "the file is UTF-16 or UTF-32 text: save it as UTF-8", line=1
                )
            raw = raw.removeprefix(_BOM)
        if raw.strip(_JSON_SPACE):
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
            for _, raw in _lines(stream, path):
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
            for number, raw in _lines(stream, path):
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
