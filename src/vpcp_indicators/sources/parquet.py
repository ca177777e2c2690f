"""Parquet sources, read with DuckDB: each value is taken as its text.

Rows are numbered from 2, as in the CSV a file was converted from (its header being row 1),
so that a warning names the same row in both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..hookspecs import hookimpl
from . import RowValues

__all__ = ["FIRST_ROW", "ParquetReader", "duckdb_path", "quoted"]

#: The number of the first record.
FIRST_ROW = 2

_BATCH = 65536

_shared: Any = None
_opening = threading.Lock()


def _cursor() -> Any:
    """A cursor of the in-memory DuckDB database this process reads Parquet files with:
    opening a database takes 25 to 55 ms, a cursor of one microseconds, and an evaluation
    asks for a file's columns when it checks the plan and again when it reads."""
    global _shared
    import duckdb

    with _opening:
        if _shared is None:
            _shared = duckdb.connect()
        return _shared.cursor()


def duckdb_path(path: Path) -> str:
    """A path as DuckDB must be given it to read that one file: DuckDB expands ``*``, ``?``
    and ``[...]`` in file names, so each is written as a one-character class."""
    return "".join(f"[{char}]" if char in "[*?" else char for char in str(path.absolute()))


def _first_line(error: Exception) -> str:
    # DuckDB's messages go on for lines (and may quote the file); ours are one line.
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def quoted(name: str) -> str:
    """A column name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class ParquetReader:
    """Reads ``.parquet`` files."""

    name = "parquet"
    extensions = (".parquet",)

    def columns(self, path: Path) -> list[str]:
        """The file's column names."""
        import duckdb

        try:
            relation = _cursor().execute(
                "SELECT * FROM read_parquet($path) LIMIT 0", {"path": duckdb_path(path)}
            )
        except duckdb.Error as error:
            raise SourceError.at(
                path, "not a readable Parquet file: {reason}", reason=_first_line(error)
            ) from error
        return [d[0] for d in relation.description or []]

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """Each record's values for ``columns`` as text, with its row number."""
        import duckdb

        values = ", ".join(f"coalesce(CAST({quoted(c)} AS VARCHAR), '')" for c in columns)
        query = (
            f"SELECT file_row_number{', ' + values if values else ''} "
            "FROM read_parquet($path, file_row_number = true) ORDER BY file_row_number"
        )
        try:
            cursor = _cursor().execute(query, {"path": duckdb_path(path)})
            while batch := cursor.fetchmany(_BATCH):
                for row in batch:
                    yield row[0] + FIRST_ROW, tuple(row[1:])
        except duckdb.Error as error:
            raise SourceError.at(
                path, "not a readable Parquet file: {reason}", reason=_first_line(error)
            ) from error


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(ParquetReader())
