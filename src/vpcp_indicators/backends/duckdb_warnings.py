"""The data warnings of DuckDB scans, equal to the Python backend's.

Counts come from the tally tables and DuckDB's rejects. Row numbers are needed only when a
file has faults: the file is then read again, numbered, for the first rows of each fault
(a rejected row already comes with its number). DuckDB does not number the blank lines of a
CSV, so a CSV with a blank line and faults to locate is left to the Python reader.
"""

from __future__ import annotations

import mmap
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..counting import HasRelated
from ..measurement import FIRST_ROWS, DataWarning
from .duckdb_scan import JSON_REJECTS, REJECTS, Scan
from .sql import Params

__all__ = ["Faults", "has_blank_line"]

Key = tuple[str, "str | None", "str | None"]


def has_blank_line(path: Path) -> bool:
    """Whether a file may hold a blank line."""
    with open(path, "rb") as stream:
        try:
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return False
        with data:
            return data.find(b"\n\n") >= 0 or data.find(b"\n\r\n") >= 0


def _shift(row: int, rejected: Sequence[int]) -> int:
    """The row of a record numbered without the rejected rows before it."""
    for line in rejected:
        if line <= row:
            row += 1
        else:
            break
    return row


class Faults:
    """What went wrong in each scan, asked of DuckDB once."""

    def __init__(self, query: Callable[[str, Params, Path | None], Any]):
        self.query = query
        self._rejects: dict[str, list[tuple[int, str]]] = {}
        self._counts: dict[str, dict[Key, int]] = {}
        self._unknown: dict[str, int] = {}

    def rejects(self, scan: Scan) -> list[tuple[int, str]]:
        """The rows DuckDB could not read, with our detail, in row order."""
        if scan.table not in self._rejects:
            found: dict[int, tuple[int, str]] = {}
            if scan.format != "parquet":
                table = REJECTS if scan.format == "csv" else JSON_REJECTS
                other = (9, "misplaced quote" if scan.format == "csv" else "not valid JSON")
                sql = f"SELECT line, error_type FROM rj_{scan.table}"
                for line, kind in self.query(sql, Params(), None).fetchall():
                    rank, detail = table.get(kind, other)
                    if line not in found or rank < found[line][0]:
                        found[line] = (rank, detail)
            self._rejects[scan.table] = sorted((n, d) for n, (_, d) in found.items())
        return self._rejects[scan.table]

    def counts(self, scan: Scan) -> dict[Key, int]:
        """Rows with each fault (unreadable rows included)."""
        if scan.table not in self._counts:
            found: dict[Key, int] = defaultdict(int)
            for _, detail in self.rejects(scan):
                found["bad_row", None, detail] += 1
            problems = scan.problems()
            sql = (
                f"SELECT __p, __bad, sum(__n) FROM {scan.table} WHERE __p IS NOT NULL GROUP BY ALL"
            )
            for code, bad, count in self.query(sql, Params(), None).fetchall():
                key: Key = ("bad_row", None, bad) if code == -1 else (*problems[code], None)
                found[key] += int(count)
            self._counts[scan.table] = dict(found)
        return self._counts[scan.table]

    def to_locate(self, scan: Scan) -> bool:
        """Whether some faults of a scan need a numbered read to be located."""
        return sum(self.counts(scan).values()) > len(self.rejects(scan))

    def _numbered(self, scan: Scan, where: str, params: Params, limit: str) -> list[Any]:
        sql = (
            f"SELECT * FROM (SELECT {where} FROM ({scan.relation(params, numbered=True)})) {limit}"
        )
        self.query("SET preserve_insertion_order = true", Params(), None)
        try:
            return list(self.query(sql, params, scan.path).fetchall())
        finally:
            self.query("SET preserve_insertion_order = false", Params(), None)

    def _row(self, scan: Scan, row: int) -> int:
        if scan.format == "parquet":
            return row
        return _shift(row, [line for line, _ in self.rejects(scan)])

    def warnings(self, scan: Scan) -> list[DataWarning]:
        """The data warnings of a scan, with the first rows of each fault."""
        counts = self.counts(scan)
        rows: dict[Key, list[int]] = defaultdict(list)
        for line, detail in self.rejects(scan):
            if len(rows["bad_row", None, detail]) < FIRST_ROWS:
                rows["bad_row", None, detail].append(line)
        if self.to_locate(scan):
            problems = scan.problems()
            found = self._numbered(
                scan,
                f"{scan.row_problem()} AS __p, __bad, __row",
                Params(),
                f"WHERE __p IS NOT NULL QUALIFY row_number() OVER "
                f"(PARTITION BY __p, __bad ORDER BY __row) <= {FIRST_ROWS}",
            )
            for code, bad, row in found:
                key: Key = ("bad_row", None, bad) if code == -1 else (*problems[code], None)
                rows[key].append(self._row(scan, int(row)))
        return [
            DataWarning(
                source=scan.source.name,
                file=scan.name,
                problem=problem,
                count=count,
                rows=tuple(sorted(rows[problem, column, detail])[:FIRST_ROWS]),
                column=column,
                detail=detail,
            )
            for (problem, column, detail), count in counts.items()
        ]

    def unknown_count(self, main: Scan, side: Scan, rel: HasRelated) -> int:
        """How many kept rows of a related file hold a key the main file does not."""
        if side.table not in self._unknown:
            key = side.ident_of(rel.key)
            sql = (
                f"SELECT sum(__n) FROM {side.table} WHERE __p IS NULL AND {key} NOT IN "
                f"({main.known_keys(rel.key)})"
            )
            (count,) = self.query(sql, Params(), None).fetchone()
            self._unknown[side.table] = int(count) if count else 0
        return self._unknown[side.table]

    def unknown(self, main: Scan, side: Scan, rel: HasRelated, detail: str) -> list[DataWarning]:
        """The warning for related rows of unknown keys, if there are any."""
        count = self.unknown_count(main, side, rel)
        if not count:
            return []
        key = side.ident_of(rel.key)
        found = self._numbered(
            side,
            f"{side.row_problem()} AS __p, {key}, __row",
            Params(),
            f"WHERE __p IS NULL AND {key} NOT IN ({main.known_keys(rel.key)}) "
            f"ORDER BY __row LIMIT {FIRST_ROWS}",
        )
        return [
            DataWarning(
                source=side.source.name,
                file=side.name,
                problem="unknown_key",
                count=count,
                rows=tuple(self._row(side, int(row)) for *_, row in found),
                column=rel.key,
                detail=detail,
            )
        ]
