"""Reading a source with DuckDB into a tally: the least a count needs, row faults included.

A scan reads one file for the counts that use it (as the same source of the same kind, or of
kinds that declare it alike). Its rows are reduced, in one pass, to a
tally table: a row per distinct combination of what the count needs at evaluation time (the
text of the columns it compares with dates, groups by or joins on; one boolean per static
part of its conditions; a flag per required column it does not otherwise read), with the
number of file rows behind it. Each tally row gets a problem code: NULL for rows the count
keeps, else the index of the row's first fault, in the Python backend's order (unreadable
row, then required values in declared order, then dates in declared order).

A file is read in one of three ways (``Scan.way``): by DuckDB's CSV or Parquet reader, or
``fed``: read by the reference reader into canonical JSON Lines that DuckDB reads exactly
(see ``duckdb_files``); or not at all (``cached``): an earlier evaluation kept its tally in
the cache (``vpcp_indicators.cache``). Columns are named by their position in the kind's
source (``k0``, ``k1``...), never by their text, so that no header can clash with another
name in the SQL.

A related source whose test is "on or before the evaluation date" (``HasRelated`` with an
``OnOrBefore`` condition) is reduced further, to the earliest such date per key and part of
the test (``vpcp_indicators.sql.related.earliest_of``): the columns the test reads are not
kept, only its key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
from sqlglot import exp

from ...cache import Entry, FileState
from ...kinds.counting import Condition, HasRelated
from ...kinds.kind import Source
from ...plan.sourceref import SourceRef
from ...sources.parquet import duckdb_path
from ...sql.conditions import Params, condition_sql
from ...sql.faults import checks
from .files import BUFFER, MAX_RECORD

__all__ = ["WAYS", "Scan", "TallyPlan", "bind", "is_date_sql"]

#: How a file reaches DuckDB.
WAYS = ("csv", "parquet", "fed", "cached")


def bind(params: Params, value: Any) -> str:
    """A placeholder bound to ``value``, as DuckDB's SQL writes it."""
    return params.add(value).sql(dialect="duckdb")


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
    row, and optionally a date column reduced to its earliest value where each of
    ``first_when`` holds (``__first0``...)."""

    raw: tuple[str, ...]
    statics: tuple[Condition, ...] = ()
    first_of: str | None = None
    first_when: tuple[Condition, ...] = ()

    def merged(self, other: TallyPlan) -> TallyPlan:
        """A plan that keeps what both keep: a tally two counts can share (neither may
        reduce a date column)."""
        assert self.first_of is None and other.first_of is None
        statics = self.statics + tuple(s for s in other.statics if s not in self.statics)
        return TallyPlan(tuple(sorted({*self.raw, *other.raw})), statics)


class Scan:
    """One source read once into a tally table, for the counts that use it. ``path`` is the
    file DuckDB reads itself (a plain file), else how messages name the source."""

    def __init__(
        self,
        table: str,
        ref: SourceRef,
        name: str,
        way: str,
        header: Sequence[str],
        source: Source,
        plan: TallyPlan,
    ):
        self.table = table
        self.ref = ref
        self.path = ref.where
        self.name = name
        self.way = way
        self.header = list(header)
        self.source = source
        self.plan = plan
        #: The canonical JSON Lines of a fed file, and the length of its longest line.
        self.fed: Path | None = None
        self.fed_width = 0
        #: What the cache knows the tally by (None: not kept), the file's state when it
        #: was looked at, and the entry found (then the file is not read).
        self.key: str | None = None
        self.state: FileState | None = None
        self.entry: Entry | None = None
        #: The source this one is related to, by which link, for which count's source:
        #: its rows of keys unknown there are warned of.
        self.related_to: tuple[Scan, HasRelated, str] | None = None
        #: The plugins (and versions) of the kinds whose counts use the scan.
        self.origin: tuple[Any, ...] = ()
        #: Columns a Parquet file's statistics show hold a value in every row: the count
        #: does not read them only to find missing values (see ``COMPLETE_SQL``).
        self.complete: frozenset[str] = frozenset()
        self._alias = {c.name: f"k{i}" for i, c in enumerate(source.columns)}

    def shares(self, ref: SourceRef, name: str, source: Source) -> bool:
        """Whether a count reading ``ref`` as ``source`` (named ``name``) may use this scan:
        the same file, source and name, and a tally that neither reduces nor relates."""
        return (
            self.ref == ref
            and self.name == name
            and self.source == source
            and self.related_to is None
            and self.plan.first_of is None
        )

    def col(self, name: str) -> str:
        """The SQL name of a column of the kind's source (KeyError if it declares none)."""
        return self._alias[name]

    def kept(self, name: str) -> str:
        """The SQL name of a column the tally keeps as text (ValueError otherwise)."""
        if name not in self.plan.raw:
            raise ValueError(f"column {name!r} is not one the query may read")
        return self._alias[name]

    # -- the file as rows of text --------------------------------------------------------

    def relation(self, params: Params, numbered: bool = False) -> str:
        """SQL of the file's rows: each declared column as text (NULL for no value), ``__bad``
        (why a row cannot be read) and, if ``numbered``, ``__row``.

        A DuckDB-read CSV is numbered by its records: right only when it has no blank line.
        """
        names = [c.name for c in self.source.columns]
        if self.way == "fed":
            assert self.fed is not None
            values = [f"NULLIF(v[{i + 1}], '') AS {self.col(n)}" for i, n in enumerate(names)]
            source = (
                f"read_json({bind(params, str(self.fed))}, format = 'newline_delimited', "
                "columns = {'r': 'BIGINT', 'b': 'VARCHAR', 'v': 'VARCHAR[]'}, "
                f"maximum_object_size = {max(self.fed_width + 1, 1 << 20)})"
            )
            return f"SELECT {', '.join([*values, 'b AS __bad', 'r AS __row'])} FROM {source}"
        assert isinstance(self.path, Path)  # DuckDB reads only plain files itself
        path = bind(params, duckdb_path(self.path))
        if self.way == "csv":
            at = {name: i for i, name in enumerate(self.header)}
            values = [f"NULLIF(c{at[n]}, '') AS {self.col(n)}" for n in names]
            types = bind(params, {f"c{i}": "VARCHAR" for i in range(len(self.header))})
            # An empty field is '' (not NULL) so that a trailing empty field is a field
            # too many, as the contract says, instead of one DuckDB drops.
            source = (
                f"read_csv({path}, header = true, auto_detect = false, delim = ',', "
                f"quote = '\"', escape = '\"', columns = {types}, "
                f"nullstr = {bind(params, chr(10))}, allow_quoted_nulls = false, "
                f"max_line_size = {MAX_RECORD}, buffer_size = {BUFFER}, store_rejects = true, "
                f"rejects_table = 'rj_{self.table}', rejects_scan = 'rs_{self.table}')"
            )
            extra = ["NULL::VARCHAR AS __bad"]
            if numbered:
                extra.append("row_number() OVER () + 1 AS __row")
            return f"SELECT {', '.join(values + extra)} FROM {source}"
        at = {name: i for i, name in enumerate(self.header)}
        values = [f"NULLIF(CAST(#{at[n] + 1} AS VARCHAR), '') AS {self.col(n)}" for n in names]
        extra = ["NULL::VARCHAR AS __bad", "file_row_number + 2 AS __row"]
        source = f"read_parquet({path}, file_row_number = true)"
        return f"SELECT {', '.join(values + extra)} FROM {source}"

    def rejects(self) -> str:
        """SQL counting the rows DuckDB's CSV reader reported as broken."""
        return f"SELECT count(*) FROM rj_{self.table}"

    def test(self, condition: Condition, params: Params) -> str:
        """SQL of a static condition on the columns of :meth:`relation`."""
        column = lambda name: exp.column(self.col(name))  # noqa: E731
        return condition_sql(condition, column, params).sql(dialect="duckdb")

    # -- the checks ----------------------------------------------------------------------

    def problems(self) -> list[tuple[str, str]]:
        """The count's problems by code: ``(problem, column)``; code -1 is an unreadable row
        (the codes of the database statements, :func:`vpcp_indicators.sql.faults.checks`)."""
        return checks(self.source.columns)

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
            lambda c: f"{self.col(c)} IS NULL", lambda c: f"NOT {is_date_sql(self.col(c))}"
        )

    def tally_sql(self, params: Params) -> str:
        """SQL of the tally: the raw columns, ``__s{k}`` per static condition, ``__first{i}``
        when reducing, the problem code ``__p``, ``__bad`` and ``__n`` file rows."""
        plan, col = self.plan, self.col
        raw = [col(c) for c in plan.raw]
        first = col(plan.first_of) if plan.first_of is not None else None
        flagged = [c.name for c in self.source.columns if c.required and c.name not in plan.raw]
        group = list(raw)
        group += [
            f"({col(c)} IS NULL) AS __null{i}" if c not in self.complete else f"FALSE AS __null{i}"
            for i, c in enumerate(flagged)
        ]
        group += [f"{self.test(s, params)} AS __s{k}" for k, s in enumerate(plan.statics)]
        aggregates = ["count(*) AS __n"]
        # DuckDB checks only the columns a query reads; every declared column is read, as
        # the reference reader reads it.
        unread = [
            c.name
            for c in self.source.columns
            if c.name not in plan.raw + tuple(flagged) and c.name not in self.complete
        ]
        aggregates += [f"count({col(c)}) AS __seen{i}" for i, c in enumerate(unread)]
        if first is not None:
            group.append(f"{is_date_sql(first)} AS __valid")
            # A row whose date is not one is left out with its group (``__valid``).
            aggregates += [
                f"min({first}) FILTER (WHERE {self.test(when, params)}) AS __first{i}"
                for i, when in enumerate(plan.first_when)
            ]
        inner = (
            f"SELECT {', '.join([*group, *aggregates])}, __bad "
            f"FROM ({self.relation(params)}) GROUP BY ALL"
        )

        def missing(column: str) -> str:
            if column in plan.raw:
                return f"{col(column)} IS NULL"
            return f"__null{flagged.index(column)}"

        def bad_date(column: str) -> str:
            if col(column) == first:
                return "NOT __valid"
            assert column in plan.raw
            return f"NOT {is_date_sql(col(column))}"

        keep = raw + [f"__s{k}" for k in range(len(plan.statics))]
        keep += [f"__first{i}" for i in range(len(plan.first_when))]
        problem = self.classify(missing, bad_date)
        return f"SELECT {', '.join([*keep, f'{problem} AS __p', '__bad', '__n'])} FROM ({inner})"

    # -- what other queries read of the tally -----------------------------------------------

    def known_keys(self, column: str) -> str:
        """SQL of the values a readable row of the file holds in a key column."""
        key = self.kept(column)
        return f"SELECT {key} FROM {self.table} WHERE __bad IS NULL AND {key} IS NOT NULL"
