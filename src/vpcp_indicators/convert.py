"""Turning a CSV source into Parquet, for a large export evaluated many times.

Every value is kept as written (all columns as text), so that the Parquet file gives the same
figures as the CSV. The CSV is read as the reading contract says: by DuckDB's own reader when
the file is plain enough for it (see ``backends.duckdb_files``), else by the reference reader.
A CSV with rows that cannot be read is refused: converting it would drop them without a trace.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .backends.duckdb.files import BUFFER, MAX_RECORD, csv_obstacle, feed
from .errors import OutputError, SourceError
from .files import destination, write_whole
from .measurement import FIRST_ROWS
from .sources import RowValues
from .sources.csv import CsvReader
from .sources.parquet import duckdb_path, quoted

__all__ = ["csv_to_parquet"]


def _copy(con: Any, query: str, params: dict[str, object], target: str) -> None:
    con.execute(
        f"COPY ({query}) TO $target (FORMAT parquet, COMPRESSION zstd)",
        {**params, "target": target},
    )


def _copy_native(con: Any, source: Path, header: list[str], target: str) -> bool:
    """Copy the rows as DuckDB's reader reads them; False if it found a broken row (or gave
    up), for the reference reader to say which."""
    import duckdb

    # No value is NULL in Parquet, as tools that read it expect.
    names = ", ".join(f"NULLIF(c{i}, '') AS {quoted(name)}" for i, name in enumerate(header))
    read = (
        "read_csv($source, header = true, auto_detect = false, delim = ',', quote = '\"', "
        "escape = '\"', columns = $columns, nullstr = $nullstr, allow_quoted_nulls = false, "
        f"max_line_size = {MAX_RECORD}, buffer_size = {BUFFER}, store_rejects = true)"
    )
    params: dict[str, object] = {
        "source": duckdb_path(source),
        "columns": {f"c{i}": "VARCHAR" for i in range(len(header))},
        # An empty field is '', so that a trailing empty field is one field too many.
        "nullstr": "\n",
    }
    try:
        _copy(con, f"SELECT {names} FROM {read}", params, target)
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error:
        return False
    return not con.execute("SELECT count(*) FROM reject_errors").fetchall()[0][0]


def _fed(source: Path, header: list[str], spill: Path) -> tuple[str, dict[str, object]]:
    """The SELECT of the file's rows as the reference reader reads them; SourceError if a
    row cannot be read."""
    bad: list[int] = []

    def good_rows() -> Iterator[RowValues]:
        for number, values in CsvReader().rows(source, header):
            if isinstance(values, str):
                bad.append(number)
            else:
                yield number, values

    lines = spill / "rows.jsonl"
    width = feed(good_rows(), lines)
    if bad:
        _refuse(source, bad)
    names = ", ".join(f"NULLIF(v[{i + 1}], '') AS {quoted(name)}" for i, name in enumerate(header))
    read = (
        "read_json($source, format = 'newline_delimited', columns = "
        "{'r': 'BIGINT', 'b': 'VARCHAR', 'v': 'VARCHAR[]'}, "
        f"maximum_object_size = {max(width + 1, 1 << 20)})"
    )
    return f"SELECT {names} FROM {read} ORDER BY r", {"source": str(lines)}


def _refuse(source: Path, rows: list[int]) -> None:
    shown = ", ".join(str(n) for n in rows[:FIRST_ROWS]) + (
        ", ..." if len(rows) > FIRST_ROWS else ""
    )
    raise SourceError.at(
        source,
        "{count} rows cannot be read (rows {rows}); mend them, or evaluate the CSV itself to "
        "see why",
        count=len(rows),
        rows=shown,
    )


def csv_to_parquet(source: str | Path, target: str | Path) -> int:
    """Write ``source`` (a CSV) as the Parquet file ``target``, as ``--output`` writes: whole
    or not at all, through a link, never over what is not a file nor over the source.

    Returns the number of records written.
    """
    import duckdb

    source, target = Path(source), Path(target)
    header = CsvReader().columns(source)
    destination(target)  # refused before anything is read
    if os.path.realpath(target) == os.path.realpath(source):
        raise OutputError("will not write {path}: it is the file converted", path=target)
    con = duckdb.connect()
    try:
        with tempfile.TemporaryDirectory(prefix="vpcp-convert-") as spill:
            made = str(Path(spill) / "converted.parquet")
            plain = csv_obstacle(source) is None
            if not (plain and _copy_native(con, source, header, made)):
                _copy(con, *_fed(source, header, Path(spill)), made)
            written = con.execute(
                "SELECT count(*) FROM read_parquet($p)", {"p": duckdb_path(Path(made))}
            ).fetchall()
            write_whole(target, Path(made).read_bytes())
        return int(written[0][0]) if written else 0
    finally:
        con.close()
