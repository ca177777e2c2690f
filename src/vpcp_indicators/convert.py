"""Turning a CSV source into Parquet, for a large export evaluated many times.

Every value is kept as written (all columns as text), so that the Parquet file gives the same
figures as the CSV. A CSV with rows that cannot be read is refused: converting it would drop
them without a trace.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError, SourceError
from .sources.csv import CsvReader

__all__ = ["csv_to_parquet"]


def csv_to_parquet(source: str | Path, target: str | Path) -> int:
    """Write ``source`` (a CSV) as the Parquet file ``target``, whole or not at all.

    Returns the number of records written.
    """
    import duckdb

    source, target = Path(source), Path(target)
    header = CsvReader().columns(source)
    con = duckdb.connect()
    read = (
        "read_csv($source, header = true, auto_detect = false, delim = ',', quote = '\"', "
        "escape = '\"', columns = $columns, store_rejects = true)"
    )
    params = {"source": str(source), "columns": {name: "VARCHAR" for name in header}}
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise OutputError(
            "cannot write {path}: {reason}", path=target, reason=error.strerror
        ) from error
    os.close(handle)
    try:
        try:
            con.execute(
                f"COPY (SELECT * FROM {read}) TO $target (FORMAT parquet, COMPRESSION zstd)",
                {**params, "target": temporary},
            )
        except duckdb.Error as error:
            raise SourceError.at(source, "cannot be converted: {reason}", reason=error) from error
        rejected = con.execute("SELECT DISTINCT line FROM reject_errors ORDER BY line").fetchall()
        if rejected:
            rows = ", ".join(str(line) for (line,) in rejected[:5])
            more = ", ..." if len(rejected) > 5 else ""
            raise SourceError.at(
                source,
                "{count} rows cannot be read (rows {rows}); mend them, or evaluate the CSV "
                "itself to see why",
                count=len(rejected),
                rows=rows + more,
            )
        written = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": temporary}).fetchone()
        os.replace(temporary, target)
        return int(written[0]) if written else 0
    finally:
        Path(temporary).unlink(missing_ok=True)
