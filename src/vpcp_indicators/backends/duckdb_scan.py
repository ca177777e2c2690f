"""Reading a file once with DuckDB: a tally of its rows, and the data warnings of each reader.

A scan reads one file for every count that uses it. Its rows are reduced to a tally table:
one row per distinct combination of the values the counts read (as text), with flags for the
checks the counts need on other columns, and the number of file rows behind it. Each
consumer (a count's use of the file, with its own column declaration) gets its problem code
per tally row: NULL for a row it keeps, else the index of its first fault, in the Python
backend's order (unreadable row, then required values in declared order, then dates).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ..kinds import Source
from .sql import Params

__all__ = ["Consumer", "FileScan", "is_date_sql"]

#: How DuckDB's CSV rejects read as our data warnings, the first fault of a row winning.
REJECTS = {
    "UNQUOTED VALUE": (0, "misplaced quote"),
    "INVALID STATE": (0, "misplaced quote"),
    "INVALID ENCODING": (1, "not UTF-8 text"),
    "TOO MANY COLUMNS": (2, "too many fields"),
    "MISSING COLUMNS": (3, "too few fields"),
    "LINE SIZE OVER MAXIMUM": (4, "line too long"),
}
#: JSON Lines are read as one-column CSV; its rejects mean the line is not JSON.
JSON_REJECTS = {"INVALID ENCODING": (0, "not UTF-8 text")}


def ident(name: str) -> str:
    """A quoted SQL identifier (the names given here are checked by the caller)."""
    return '"' + name.replace('"', '""') + '"'


def is_date_sql(value: str) -> str:
    """SQL true when the text ``value`` is empty or a real date written YYYY-MM-DD."""
    return (
        f"({value} IS NULL OR (regexp_full_match({value}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
        f" AND {value}[1:4] <> '0000' AND try_cast({value} AS DATE) IS NOT NULL))"
    )


@attrs.frozen
class Consumer:
    """One count's use of a file: the columns it declares, and those it reads."""

    source: Source
    read: tuple[str, ...]


class FileScan:
    """One file read once into a tally table, for every consumer of it."""

    def __init__(self, table: str, path: Path, name: str, format: str, header: Sequence[str]):
        self.table = table
        self.path = path
        self.name = name
        self.format = format
        self.header = list(header)
        self.consumers: list[Consumer] = []

    def add(self, consumer: Consumer) -> int:
        """Register a consumer; its index names its problem column ``__p{index}``."""
        self.consumers.append(consumer)
        return len(self.consumers) - 1

    # -- the file as rows of text --------------------------------------------------------

    def relation(self, params: Params, numbered: bool = False) -> str:
        """SQL of the file's rows: each declared column as text (NULL for no value), ``__bad``
        (why a row cannot be read, where the reader says so) and, if ``numbered``, ``__row``."""
        names = sorted({c.name for consumer in self.consumers for c in consumer.source.columns})
        path = params.add(str(self.path))
        rejects = f"rejects_table = 'rj_{self.table}', rejects_scan = 'rs_{self.table}'"
        if self.format == "csv":
            columns = params.add({name: "VARCHAR" for name in self.header})
            values = [f"NULLIF({ident(n)}, '') AS {ident(n)}" for n in names]
            source = (
                f"read_csv({path}, header = true, auto_detect = false, delim = ',', "
                f"quote = '\"', escape = '\"', columns = {columns}, store_rejects = true, "
                f"{rejects})"
            )
            extra = ["NULL::VARCHAR AS __bad"]
            if numbered:
                extra.append("row_number() OVER () + 1 AS __row")
            return f"SELECT {', '.join(values + extra)} FROM {source}"
        if self.format == "jsonl":
            return self._jsonl(names, path, rejects, params, numbered)
        values = [f"NULLIF(CAST({ident(n)} AS VARCHAR), '') AS {ident(n)}" for n in names]
        extra = ["NULL::VARCHAR AS __bad", "file_row_number + 2 AS __row"]
        source = f"read_parquet({path}, file_row_number = true)"
        return f"SELECT {', '.join(values + extra)} FROM {source}"

    def _jsonl(
        self, names: list[str], path: str, rejects: str, params: Params, numbered: bool
    ) -> str:
        # Lines that are not JSON become NULL before any JSON function sees them: DuckDB
        # evaluates both sides of AND, and a JSON function raises on a malformed text.
        lines = (
            f"SELECT __line, CASE WHEN json_valid(__line) THEN __line END AS __json"
            f"{', row_number() OVER () AS __row' if numbered else ''} FROM read_csv({path}, "
            "header = false, auto_detect = false, delim = '\x01', quote = '', escape = '', "
            f"columns = {{'__line': 'VARCHAR'}}, store_rejects = true, {rejects})"
        )
        paths = {
            n: params.add('$."' + n.replace("\\", "\\\\").replace('"', '\\"') + '"') for n in names
        }
        nested = (
            " OR ".join(
                f"coalesce(json_type(__json, {p}) IN ('ARRAY', 'OBJECT'), false)"
                for p in paths.values()
            )
            or "false"
        )
        bad = (
            "CASE WHEN __json IS NULL THEN 'not valid JSON' "
            "WHEN json_type(__json) <> 'OBJECT' THEN 'not a JSON object' "
            f"WHEN {nested} THEN 'a value is an array or an object' END"
        )
        values = [
            f"CASE WHEN json_type(__json) = 'OBJECT' THEN "
            f"NULLIF(json_extract_string(__json, {paths[n]}), '') END AS {ident(n)}"
            for n in names
        ]
        row = ", __row" if numbered else ""
        return (
            f"SELECT {', '.join(values)}, {bad} AS __bad{row} FROM ({lines}) "
            "WHERE trim(coalesce(__line, '')) <> ''"
        )

    # -- the checks ----------------------------------------------------------------------

    def problems(self, index: int) -> list[tuple[str, str | None]]:
        """A consumer's problems by code: ``(problem, column)``; code -1 is an unreadable row."""
        source = self.consumers[index].source
        found: list[tuple[str, str | None]] = [
            ("missing_value", c.name) for c in source.columns if c.required
        ]
        return found + [("bad_date", c.name) for c in source.columns if c.type == "date"]

    def classify(self, index: int, value: Any) -> str:
        """SQL of a consumer's problem code, ``value(column)`` giving a column's text."""
        cases = ["WHEN __bad IS NOT NULL THEN -1"]
        for code, (problem, column) in enumerate(self.problems(index)):
            assert column is not None
            test = (
                f"{value(column)} IS NULL"
                if problem == "missing_value"
                else f"NOT {is_date_sql(value(column))}"
            )
            cases.append(f"WHEN {test} THEN {code}")
        return f"CASE {' '.join(cases)} END"

    def tally_sql(self, params: Params) -> str:
        """SQL that makes the tally table: the read columns, each consumer's problem code
        (and ``__bad``), and ``__n`` rows."""
        read = sorted({c for consumer in self.consumers for c in consumer.read})
        checked = sorted(
            {
                c.name
                for consumer in self.consumers
                for c in consumer.source.columns
                if c.name not in read and (c.required or c.type == "date")
            }
        )
        flags: dict[str, str] = {}
        for name in checked:
            flags[name] = f"__f{len(flags)}"
        group = [ident(c) for c in read]
        group += [f"{ident(c)} IS NULL AS {flags[c]}_null" for c in checked]
        group += [f"{is_date_sql(ident(c))} AS {flags[c]}_date" for c in checked]
        inner = (
            f"SELECT {', '.join([*group, '__bad', 'count(*) AS __n'])} "
            f"FROM ({self.relation(params)}) GROUP BY ALL"
        )
        codes = []
        for index in range(len(self.consumers)):
            codes.append(f"{self._classify_mixed(index, read, flags)} AS __p{index}")
        keep = [ident(c) for c in read]
        return f"SELECT {', '.join([*keep, *codes, '__bad', '__n'])} FROM ({inner})"

    def _classify_mixed(self, index: int, read: list[str], flags: dict[str, str]) -> str:
        cases = ["WHEN __bad IS NOT NULL THEN -1"]
        for code, (problem, column) in enumerate(self.problems(index)):
            assert column is not None
            if problem == "missing_value":
                test = f"{ident(column)} IS NULL" if column in read else f"{flags[column]}_null"
            elif column in read:
                test = f"NOT {is_date_sql(ident(column))}"
            else:
                test = f"NOT {flags[column]}_date"
            cases.append(f"WHEN {test} THEN {code}")
        return f"CASE {' '.join(cases)} END"
