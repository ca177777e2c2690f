"""How each file reaches DuckDB: read by DuckDB itself, or fed to it by the reference reader.

DuckDB's CSV reader departs from the reading contract on some files: it trims spaces around
quoted values, silently drops a line longer than its buffer, drops a trailing empty field,
and stops the whole run at a bare CR or at line ends that change within a file. So a CSV file
is read by DuckDB itself only when cheap byte-level checks (:func:`csv_obstacle`) show that
none of that can happen, and only if DuckDB then reports no broken row at all; any other file
(a CSV that fails a check, a JSON Lines file, a file of a third-party reader) is read by the
reference reader and fed to DuckDB as canonical JSON Lines (:func:`feed`), with its row
numbers and the faults the reader found. The figures are the same either way; only the speed
differs.
"""

from __future__ import annotations

import json
import mmap
import sys
from collections.abc import Iterable
from pathlib import Path

from ..sources import RowValues
from ..sources.csv import FIELD_LIMIT

__all__ = ["MAX_RECORD", "csv_obstacle", "feed", "has_blank_line"]

#: The longest record DuckDB may read itself (``max_line_size``): a longer one is reported
#: by DuckDB as broken, and the file is then fed. No field of a shorter record can break the
#: contract's field limit, since a character takes at least one byte.
MAX_RECORD = FIELD_LIMIT

# Lines are checked in blocks of this size: if every block holds a line break, no line is
# longer than two blocks, and DuckDB never meets a line longer than its buffer.
_BLOCK = MAX_RECORD // 4
_CHUNK = 1 << 24


def _crlf_throughout(data: mmap.mmap) -> bool:
    """Whether every CR of the file is followed by LF, and every LF preceded by CR."""
    cr = lf = crlf = 0
    previous_cr = False
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        cr += chunk.count(b"\r")
        lf += chunk.count(b"\n")
        crlf += chunk.count(b"\r\n") + (previous_cr and chunk[:1] == b"\n")
        previous_cr = chunk[-1:] == b"\r"
    return cr == lf == crlf


def _short_lines(data: mmap.mmap) -> bool:
    """Whether every full block of the file holds a line break."""
    full = len(data) - len(data) % _BLOCK
    return all(data.find(b"\n", start, start + _BLOCK) >= 0 for start in range(0, full, _BLOCK))


def csv_obstacle(path: Path) -> str | None:
    """Why DuckDB's own reader cannot be trusted to read this CSV file as the contract says,
    or None when it can."""
    with open(path, "rb") as stream:
        try:
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped, and has nothing to misread
            return None
    with data:
        if data.find(b"\r") >= 0 and not _crlf_throughout(data):
            return "its line ends are not LF throughout, nor CRLF throughout"
        if not _short_lines(data):
            return f"it has a line longer than {2 * _BLOCK} bytes"
        if data.find(b'"') >= 0 and (data.find(b' "') >= 0 or data.find(b'" ') >= 0):
            return "a space stands beside a quote"
        if sys.version_info < (3, 11) and data.find(b"\x00") >= 0:
            return "it has a NUL byte, which this Python's csv module refuses"
    return None


def has_blank_line(path: Path) -> bool:
    """Whether a file may hold a blank line (DuckDB skips blank lines without numbering
    them; the contract numbers them)."""
    with open(path, "rb") as stream:
        try:
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:
            return False
        with data:
            return data.find(b"\n\n") >= 0 or data.find(b"\n\r\n") >= 0


def feed(rows: Iterable[RowValues], target: Path) -> int:
    """Write the rows a reader gives as canonical JSON Lines for DuckDB; return the length of
    the longest line, which DuckDB must be told.

    Each line is ``{"r": row, "b": fault or null, "v": [values] or null}`` in ASCII, which
    DuckDB's JSON reader reads exactly.
    """
    dumps = json.dumps
    longest = 0
    with open(target, "w", encoding="ascii", newline="\n") as out:
        write = out.write
        for number, values in rows:
            if isinstance(values, str):
                line = f'{{"r":{number},"b":{dumps(values)},"v":null}}\n'
            else:
                line = f'{{"r":{number},"b":null,"v":{dumps(values)}}}\n'
            write(line)
            if len(line) > longest:
                longest = len(line)
    return longest
