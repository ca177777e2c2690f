"""The data warnings of DuckDB scans, equal to the Python backend's.

Counts come from the tally tables. Row numbers are needed only when a file has faults: the
file is then read again, numbered, for the first rows of each fault. No row DuckDB's own
reader broke ever gets here: such a file is fed instead (see ``duckdb_files``), and its
broken rows come with the reference reader's numbers and reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...kinds.counting import HasRelated
from ...measurement import FIRST_ROWS, DataWarning
from ...sql.conditions import Params
from .scan import Scan

__all__ = ["Faults", "kept"]

Key = tuple[str, "str | None", "str | None"]

#: Runs SQL (with the file to blame if it fails).
Query = Callable[[str, Params, "Path | str | None"], Any]
#: SQL of a scan's rows numbered as the contract numbers them.
Numbered = Callable[[Scan, Params], str]


def kept(warning: DataWarning) -> dict[str, Any]:
    """A warning as the cache keeps it: without the names of its source and file, which
    are the plan's (another plan may name the same file otherwise)."""
    return {
        "problem": warning.problem,
        "count": warning.count,
        "rows": list(warning.rows),
        "column": warning.column,
        "detail": warning.detail,
    }


def _told(scan: Scan, warnings: list[dict[str, Any]]) -> list[DataWarning]:
    """Warnings the cache kept, named as this scan names its source and file."""
    return [
        DataWarning.from_dict({**w, "source": scan.source.name, "file": scan.name})
        for w in warnings
    ]


class Faults:
    """What went wrong in each scan, asked of DuckDB once (or kept in the cache)."""

    def __init__(self, query: Query, numbered: Numbered):
        self.query = query
        self.numbered = numbered
        self._counts: dict[str, dict[Key, int]] = {}
        self._unknown: dict[str, int] = {}
        self._warnings: dict[str, list[DataWarning]] = {}
        self._unknown_warnings: dict[str, list[DataWarning]] = {}

    def counts(self, scan: Scan) -> dict[Key, int]:
        """Rows with each fault (unreadable rows included)."""
        if scan.table not in self._counts:
            found: dict[Key, int] = defaultdict(int)
            problems = scan.problems()
            sql = (
                f"SELECT __p, __bad, sum(__n) FROM {scan.table} WHERE __p IS NOT NULL GROUP BY ALL"
            )
            for code, bad, count in self.query(sql, Params(), None).fetchall():
                key: Key = ("bad_row", None, bad) if code == -1 else (*problems[code], None)
                found[key] += int(count)
            self._counts[scan.table] = dict(found)
        return self._counts[scan.table]

    def _first_rows(self, scan: Scan, select: str, where: str) -> list[Any]:
        params = Params()
        sql = f"SELECT * FROM (SELECT {select} FROM ({self.numbered(scan, params)})) {where}"
        self.query("SET preserve_insertion_order = true", Params(), None)
        try:
            return list(self.query(sql, params, scan.path).fetchall())
        finally:
            self.query("SET preserve_insertion_order = false", Params(), None)

    def warnings(self, scan: Scan) -> list[DataWarning]:
        """The data warnings of a scan, with the first rows of each fault."""
        if scan.entry is not None:
            return _told(scan, scan.entry.meta["warnings"])
        if scan.table not in self._warnings:
            self._warnings[scan.table] = self._find_warnings(scan)
        return self._warnings[scan.table]

    def _find_warnings(self, scan: Scan) -> list[DataWarning]:
        counts = self.counts(scan)
        rows: dict[Key, list[int]] = defaultdict(list)
        if counts:
            problems = scan.problems()
            found = self._first_rows(
                scan,
                f"{scan.row_problem()} AS __p, __bad, __row",
                f"WHERE __p IS NOT NULL QUALIFY row_number() OVER "
                f"(PARTITION BY __p, __bad ORDER BY __row) <= {FIRST_ROWS}",
            )
            for code, bad, row in found:
                key: Key = ("bad_row", None, bad) if code == -1 else (*problems[code], None)
                rows[key].append(int(row))
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
            key = side.kept(rel.key)
            sql = (
                f"SELECT sum(__n) FROM {side.table} WHERE __p IS NULL AND {key} NOT IN "
                f"({main.known_keys(rel.key)})"
            )
            (count,) = self.query(sql, Params(), None).fetchone()
            self._unknown[side.table] = int(count) if count else 0
        return self._unknown[side.table]

    def unknown(self, main: Scan, side: Scan, rel: HasRelated, detail: str) -> list[DataWarning]:
        """The warning for related rows of unknown keys, if there are any."""
        if side.entry is not None:
            return _told(side, side.entry.meta["unknown"])
        if side.table not in self._unknown_warnings:
            self._unknown_warnings[side.table] = self._find_unknown(main, side, rel, detail)
        return self._unknown_warnings[side.table]

    def _find_unknown(
        self, main: Scan, side: Scan, rel: HasRelated, detail: str
    ) -> list[DataWarning]:
        count = self.unknown_count(main, side, rel)
        if not count:
            return []
        key = side.col(rel.key)
        found = self._first_rows(
            side,
            f"{side.row_problem()} AS __p, {key}, __row",
            f"WHERE __p IS NULL AND {key} NOT IN ({main.known_keys(rel.key)}) "
            f"ORDER BY __row LIMIT {FIRST_ROWS}",
        )
        return [
            DataWarning(
                source=side.source.name,
                file=side.name,
                problem="unknown_key",
                count=count,
                rows=tuple(int(row) for *_, row in found),
                column=rel.key,
                detail=detail,
            )
        ]
