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
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ...sources import RowValues
from ...sources.csv import FIELD_LIMIT

__all__ = [
    "BUFFER",
    "COMPLETE_SQL",
    "MAX_RECORD",
    "csv_obstacle",
    "feed",
    "has_blank_line",
]

#: The longest record DuckDB may read itself (``max_line_size``): a longer one is reported
#: by DuckDB as broken, and the file is then fed. No field of a shorter record can break the
#: contract's field limit, since a character takes at least one byte.
MAX_RECORD = FIELD_LIMIT

#: DuckDB's read buffer. Its own default grows with the line size allowed, and takes blocks
#: of about 30 MiB that it cannot spill, more than a small --memory-limit allows.
BUFFER = 16 * MAX_RECORD

# Lines are checked in blocks of this size: if every block holds a line break, no line is
# longer than two blocks, and DuckDB never meets a line longer than its buffer. The file is
# read in chunks (a whole number of blocks), so that memory stays small whatever its size.
_BLOCK = MAX_RECORD // 4
_CHUNK = 512 * _BLOCK


def _chunks(path: Path) -> Iterator[tuple[bytes, bytes]]:
    """The file in chunks, each with the last bytes of the file before it (so that a
    sequence across a boundary is seen)."""
    before = b""
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            yield before, chunk
            before = (before + chunk[-2:])[-2:]


def _crlf_throughout(path: Path) -> bool:
    """Whether every CR of the file is followed by LF, and every LF preceded by CR."""
    cr = lf = crlf = 0
    for before, chunk in _chunks(path):
        cr += chunk.count(b"\r")
        lf += chunk.count(b"\n")
        crlf += (before[-1:] + chunk).count(b"\r\n")
    return cr == lf == crlf


def csv_obstacle(path: Path, digest: Any = None) -> str | None:
    """Why DuckDB's own reader cannot be trusted to read this CSV file as the contract says,
    or None when it can. One pass over the bytes (two for a file with CRs). Given a
    ``hashlib`` object, the pass feeds it every byte of the file (for the report's
    provenance), the checks stopping at the first obstacle and the hashing going on."""
    carriage = False
    found = None
    for before, chunk in _chunks(path):
        if digest is not None:
            digest.update(chunk)
        if found is None:
            found = _chunk_obstacle(before, chunk)
            carriage = carriage or chunk.find(b"\r") >= 0
            if found is not None and digest is None:
                break
    if found is None and carriage and not _crlf_throughout(path):
        return "its line ends are not LF throughout, nor CRLF throughout"
    return found


def _chunk_obstacle(before: bytes, chunk: bytes) -> str | None:
    # Chunks are whole numbers of blocks, so the blocks line up across the file.
    for block in range(0, len(chunk) - len(chunk) % _BLOCK, _BLOCK):
        if chunk.find(b"\n", block, block + _BLOCK) < 0:
            return f"it has a line longer than {2 * _BLOCK} bytes"
    if chunk.find(b'"') >= 0 or before.endswith(b'"'):
        across = before[-1:] + chunk[:1]
        if any(s.find(b' "') >= 0 or s.find(b'" ') >= 0 for s in (chunk, across)):
            return "a space stands beside a quote"
    if sys.version_info < (3, 11) and chunk.find(b"\x00") >= 0:
        return "it has a NUL byte, which this Python's csv module refuses"
    return None


def has_blank_line(path: Path) -> bool:
    """Whether a file may hold a blank line (DuckDB skips blank lines without numbering
    them; the contract numbers them)."""
    for before, chunk in _chunks(path):
        across = before + chunk[:2]
        for seen in (chunk, across):
            if seen.find(b"\n\n") >= 0 or seen.find(b"\n\r\n") >= 0:
                return True
    return False


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


#: The columns of a Parquet file (``$path``) that hold a value in every row, as the file's
#: own statistics tell without reading a value: no NULL, and a least value that is not the
#: empty string (which comes before any other string in every order, so a non-empty least
#: value, even one a writer shortened, means no value is empty). A column whose statistics
#: are missing from any row group is not among them.
COMPLETE_SQL = """
    SELECT path_in_schema FROM parquet_metadata($path)
    GROUP BY path_in_schema
    HAVING bool_and(coalesce(
        stats_null_count = 0 AND coalesce(stats_min_value, stats_min) <> '', false))
"""
