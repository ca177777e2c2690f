"""Reading a source with DuckDB into a tally: the least a count needs, row faults included.

A scan reads one file for one count's use of it. Its rows are reduced, in one pass, to a
tally table: a row per distinct combination of what the count needs at evaluation time (the
text of the columns it compares with dates, groups by or joins on; one boolean per static
part of its conditions; a flag per required column it does not otherwise read), with the
number of file rows behind it. Each tally row gets a problem code: NULL for rows the count
keeps, else the index of the row's first fault, in the Python backend's order (unreadable
row, then required values in declared order, then dates in declared order).

A related source whose test is "on or before the evaluation date" (``HasRelated`` with an
``OnOrBefore`` condition) is reduced further, to the earliest such date per key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from ..counting import Always, Condition
from ..i18n import N_
from ..kinds import Source
from .sql import Params, compile_sql, quote

__all__ = ["JSON_REJECTS", "REJECTS", "Scan", "TallyPlan", "ident", "is_date_sql"]

#: How DuckDB's CSV rejects read as our data warnings, the first fault of a row winning.
REJECTS = {
    "UNQUOTED VALUE": (0, "misplaced quote"),
    "INVALID STATE": (0, "misplaced quote"),
    "INVALID ENCODING": (1, "not UTF-8 text"),
    "TOO MANY COLUMNS": (2, "too many fields"),
    "MISSING COLUMNS": (3, "too few fields"),
    "LINE SIZE OVER MAXIMUM": (4, N_("line too long")),
}
#: JSON Lines are read as one-column CSV; its rejects mean the line is not JSON.
JSON_REJECTS = {"INVALID ENCODING": (0, "not UTF-8 text")}


def ident(name: str) -> str:
    """A quoted SQL identifier (the names given here are checked by the caller)."""
    return '"' + name.replace('"', '""') + '"'


def is_date_sql(value: str) -> str:
    """SQL true when the text ``value`` is empty or a real date written YYYY-MM-DD.

    DuckDB reads dates more leniently than that (``2012-1-5``, a year 0); a date is taken
    only if DuckDB writes it back exactly as it was written, in ten characters.
    """
    return (
        f"({value} IS NULL OR coalesce(length({value}) = 10 AND "
        f"CAST(try_cast({value} AS DATE) AS VARCHAR) = {value}, false))"
    )


@attrs.frozen
class TallyPlan:
    """What a count needs of a file: columns kept as text, static conditions evaluated per
    row, and optionally a date column reduced to its earliest value where ``first_when``
    holds."""

    raw: tuple[str, ...]
    statics: tuple[Condition, ...] = ()
    first_of: str | None = None
    first_when: Condition = attrs.field(factory=Always)


class Scan:
    """One file read once into a tally table, for one count's use of it."""

    def __init__(
        self,
        table: str,
        path: Path,
        name: str,
        format: str,
        header: Sequence[str],
        source: Source,
        plan: TallyPlan,
    ):
        self.table = table
        self.path = path
        self.name = name
        self.format = format
        self.header = list(header)
        self.source = source
        self.plan = plan

    # -- the file as rows of text --------------------------------------------------------

    def relation(self, params: Params, numbered: bool = False) -> str:
        """SQL of the file's rows: each declared column as text (NULL for no value), ``__bad``
        (why a row cannot be read, where the reader says so) and, if ``numbered``, ``__row``."""
        names = [c.name for c in self.source.columns]
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

    def problems(self) -> list[tuple[str, str]]:
        """The count's problems by code: ``(problem, column)``; code -1 is an unreadable row."""
        columns = self.source.columns
        found = [("missing_value", c.name) for c in columns if c.required]
        return found + [("bad_date", c.name) for c in columns if c.type == "date"]

    def classify(self, missing: Callable[[str], str], bad_date: Callable[[str], str]) -> str:
        """SQL of the problem code, given SQL testing each column for each fault."""
        cases = ["WHEN __bad IS NOT NULL THEN -1"]
        for code, (problem, column) in enumerate(self.problems()):
            test = missing(column) if problem == "missing_value" else bad_date(column)
            cases.append(f"WHEN {test} THEN {code}")
        return f"CASE {' '.join(cases)} END"

    def row_problem(self) -> str:
        """SQL of the problem code of a file row (columns of :meth:`relation`)."""
        return self.classify(
            lambda c: f"{ident(c)} IS NULL", lambda c: f"NOT {is_date_sql(ident(c))}"
        )

    def tally_sql(self, params: Params) -> str:
        """SQL of the tally: the raw columns, ``__s{k}`` per static condition, ``__first``
        when reducing, the problem code ``__p``, ``__bad`` and ``__n`` file rows."""
        plan = self.plan
        raw = list(plan.raw)
        columns = {c.name: c for c in self.source.columns}
        first = plan.first_of
        flagged = [c.name for c in self.source.columns if c.required and c.name not in raw]
        group = [ident(c) for c in raw]
        group += [f"({ident(c)} IS NULL) AS __null{i}" for i, c in enumerate(flagged)]
        group += [f"{compile_sql(s, ident, params)} AS __s{k}" for k, s in enumerate(plan.statics)]
        aggregates = ["count(*) AS __n"]
        if first is not None:
            group.append(f"{is_date_sql(ident(first))} AS __valid")
            when = compile_sql(plan.first_when, ident, params)
            aggregates.append(
                f"min({ident(first)}) FILTER (WHERE {ident(first)} IS NOT NULL AND "
                f"{is_date_sql(ident(first))} AND {when}) AS __first"
            )
        # Only JSON Lines rows say in a column why they cannot be read (CSV rows are rejects).
        bad = "__bad" if self.format == "jsonl" else "NULL::VARCHAR AS __bad"
        inner = (
            f"SELECT {', '.join([*group, *aggregates])}, {bad} "
            f"FROM ({self.relation(params)}) GROUP BY ALL"
        )

        def missing(column: str) -> str:
            return f"{ident(column)} IS NULL" if column in raw else f"__null{flagged.index(column)}"

        def bad_date(column: str) -> str:
            if column == first:
                return "NOT __valid"
            assert columns[column].type == "date" and column in raw
            return f"NOT {is_date_sql(ident(column))}"

        keep = [ident(c) for c in raw] + [f"__s{k}" for k in range(len(plan.statics))]
        if first is not None:
            keep.append("__first")
        problem = self.classify(missing, bad_date)
        return f"SELECT {', '.join([*keep, f'{problem} AS __p', '__bad', '__n'])} FROM ({inner})"

    # -- what other queries read of the tally -----------------------------------------------

    def ident_of(self, column: str) -> str:
        """The quoted name of a column the tally keeps as text (ValueError otherwise)."""
        return quote(column, self.plan.raw)

    def known_keys(self, column: str) -> str:
        """SQL of the values a readable row of the file holds in a key column."""
        key = self.ident_of(column)
        return f"SELECT {key} FROM {self.table} WHERE __bad IS NULL AND {key} IS NOT NULL"
