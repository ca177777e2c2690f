"""The DuckDB backend: each kind's count compiled to SQL and run by DuckDB over the files.

Each file is read once (``duckdb_scan.py``) into a small tally table; every count is then one
query over its tally tables for all evaluation dates at once. Kinds that compute in Python, and
files that no native reader reads, go to the Python backend. The figures, data warnings
included, are those of the Python backend: a differential test holds the two to it.
"""

from __future__ import annotations

import datetime as dt
import mmap
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..counting import Count, HasRelated
from ..errors import SourceError
from ..kinds import Source
from ..measurement import FIRST_ROWS, DataWarning, Group, Measurement, sort_warnings
from ..records import RowChecker
from ..sources.csv import CsvReader
from ..sources.jsonl import JsonLinesReader
from ..sources.parquet import ParquetReader
from ..windows import window_on
from . import Failed, Job, Outcome, ReaderLookup
from . import python as python_backend
from .duckdb_scan import JSON_REJECTS, REJECTS, Consumer, FileScan, ident
from .sql import Params, compile_sql, quote

__all__ = ["measure"]

_NATIVE = {CsvReader: "csv", JsonLinesReader: "jsonl", ParquetReader: "parquet"}


def _format(readers: ReaderLookup, path: Path) -> str | None:
    return _NATIVE.get(type(readers(path)))


class _Run:
    """One evaluation's DuckDB connection, scans and queries."""

    def __init__(self, readers: ReaderLookup):
        import duckdb

        self.duckdb = duckdb
        self.con = duckdb.connect()
        self.readers = readers
        self.scans: dict[Path, FileScan] = {}

    def scan(self, path: Path, name: str, consumer: Consumer) -> tuple[FileScan, int]:
        """The scan of a file, with this consumer added to it."""
        if path not in self.scans:
            format = _format(self.readers, path)
            assert format is not None
            header = self.readers(path).columns(path) if format == "csv" else []
            self.scans[path] = FileScan(f"t{len(self.scans)}", path, name, format, header)
        scan = self.scans[path]
        return scan, scan.add(consumer)

    def execute(self, sql: str, params: Params, path: Path | None = None) -> Any:
        try:
            return self.con.execute(sql, params.values)
        except self.duckdb.Error as error:
            if path is None:
                raise
            message = str(error).splitlines()[0]
            raise SourceError.at(path, f"DuckDB cannot read the file: {message}") from error

    def read_all(self) -> None:
        """Read every file once into its tally table."""
        for scan in self.scans.values():
            params = Params()
            self.execute(
                f"CREATE TEMP TABLE {scan.table} AS {scan.tally_sql(params)}", params, scan.path
            )

    def rejects(self, scan: FileScan) -> list[tuple[int, str]]:
        """The rows DuckDB could not read, with our detail, in row order."""
        if scan.format == "parquet":
            return []
        table = {"csv": REJECTS, "jsonl": JSON_REJECTS}[scan.format]
        found: dict[int, tuple[int, str]] = {}
        rows = self.con.execute(f"SELECT line, error_type FROM rj_{scan.table}").fetchall()
        for line, kind in rows:
            rank, detail = table.get(
                kind, (9, "not valid JSON" if scan.format == "jsonl" else "misplaced quote")
            )
            if line not in found or rank < found[line][0]:
                found[line] = (rank, detail)
        return sorted((line, detail) for line, (_, detail) in found.items())


def _has_blank_line(path: Path) -> bool:
    """Whether a file may hold a blank line (DuckDB skips them when numbering CSV rows)."""
    with open(path, "rb") as stream:
        try:
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return False
        with data:
            return data.find(b"\n\n") >= 0 or data.find(b"\n\r\n") >= 0


def _python_first_rows(
    run: _Run, scan: FileScan, index: int
) -> dict[tuple[str, str | None, str | None], list[int]]:
    """The first rows of each problem, found by the Python reader (the reference)."""
    source = scan.consumers[index].source
    checker = RowChecker(source.name, scan.name, source.columns)
    reader = run.readers(scan.path)
    for line, values in reader.rows(scan.path, [c.name for c in source.columns]):
        checker.check(line, values)
    return {(w.problem, w.column, w.detail): list(w.rows) for w in checker.tally.warnings()}


class _CountQuery:
    """A count job compiled to SQL over its scans' tally tables."""

    def __init__(self, run: _Run, job: Job, count: Count):
        self.run = run
        self.job = job
        self.count = count
        self.related = count.related()
        source = job.kind.source(count.source)
        self.main, self.main_at = run.scan(
            job.files[count.source],
            job.name(count.source),
            Consumer(source, tuple(sorted(count.columns()))),
        )
        self.side = {
            rel: run.scan(
                job.files[rel.source],
                job.name(rel.source),
                Consumer(job.kind.source(rel.source), tuple(sorted(rel.related_columns()))),
            )
            for rel in self.related
        }

    def _column(self, source: Source, read: Sequence[str]) -> Any:
        def column(name: str) -> str:
            sql = f"t.{quote(name, read)}"
            return f"CAST({sql} AS DATE)" if source.column(name).type == "date" else sql

        return column

    def sql(self, dates: Sequence[dt.date], plan_start: dt.date) -> tuple[str, Params]:
        params = Params()
        rows = []
        for i, day in enumerate(dates):
            window = window_on(self.job.window, day, plan_start)
            values = (
                params.add(i),
                params.add(day),
                params.add(window.start),
                params.add(window.end),
            )
            rows.append(
                f"({values[0]}::INTEGER, {values[1]}::DATE, {values[2]}::DATE, {values[3]}::DATE)"
            )
        ctes = [f"d(i, day, wstart, wend) AS (VALUES {', '.join(rows)})"]
        joins, names = [], {}
        for n, (rel, (scan, at)) in enumerate(self.side.items()):
            side_source = self.job.kind.source(rel.source)
            read = scan.consumers[at].read
            where = compile_sql(rel.where, self._column(side_source, read), params, _no_related)
            key = f"t.{quote(rel.key, read)}"
            having = ""
            if rel.covering is not None:
                cover, needed = rel.covering
                cover_sql = f"t.{quote(cover, read)}"
                wanted = params.add(sorted(needed))
                where += f" AND coalesce(list_contains({wanted}, {cover_sql}), false)"
                having = f" HAVING count(DISTINCT {cover_sql}) = {params.add(len(needed))}"
            ctes.append(
                f"r{n} AS (SELECT d.i AS __i, {key} AS __key FROM {scan.table} t, d "
                f"WHERE t.__p{at} IS NULL AND {where} GROUP BY ALL{having})"
            )
            main_key = f"t.{quote(rel.key, self.main.consumers[self.main_at].read)}"
            joins.append(f"LEFT JOIN r{n} ON r{n}.__i = d.i AND r{n}.__key = {main_key}")
            names[rel] = f"(r{n}.__key IS NOT NULL)"
        source = self.job.kind.source(self.count.source)
        column = self._column(source, self.main.consumers[self.main_at].read)

        def cond(condition: Any) -> str:
            return compile_sql(condition, column, params, names.__getitem__)

        population = cond(self.count.population)
        exclusions = [cond(c) for _, c in self.count.excluded]
        figures = []
        before = "false"
        for n, test in enumerate(exclusions):
            figures.append(
                f"sum(t.__n) FILTER (WHERE {population} AND NOT ({before}) AND {test}) AS __x{n}"
            )
            before = f"{before} OR {test}"
        kept = f"{population} AND NOT ({before})"
        figures.append(f"sum(t.__n) FILTER (WHERE {kept}) AS __den")
        figures.append(
            f"sum(t.__n) FILTER (WHERE {kept} AND {cond(self.count.numerator)}) AS __num"
        )
        group = "''"
        if self.count.group_by:
            group = f"coalesce(CAST({column(self.count.group_by)} AS VARCHAR), '')"
        sql = (
            f"WITH {', '.join(ctes)} SELECT d.i, {group} AS __g, {', '.join(figures)} "
            f"FROM {self.main.table} t CROSS JOIN d {' '.join(joins)} "
            f"WHERE t.__p{self.main_at} IS NULL GROUP BY ALL"
        )
        return sql, params

    def measure(
        self, dates: Sequence[dt.date], plan_start: dt.date, warnings: list[DataWarning]
    ) -> list[Outcome]:
        sql, params = self.sql(dates, plan_start)
        reasons = [r for r, _ in self.count.excluded]
        numerators = [0] * len(dates)
        denominators = [0] * len(dates)
        excluded = [[0] * len(reasons) for _ in dates]
        groups: list[list[Group]] = [[] for _ in dates]
        for i, key, *left_out, den, num in self.run.execute(sql, params).fetchall():
            den, num = int(den or 0), int(num or 0)
            numerators[i] += num
            denominators[i] += den
            for n, count in enumerate(left_out):
                excluded[i][n] += int(count or 0)
            if den and self.count.group_by:
                groups[i].append(Group(key, num, den))
        return [
            Measurement(
                numerator=numerators[i],
                denominator=denominators[i],
                breakdown=sorted(groups[i], key=lambda g: g.key),
                excluded=dict(zip(reasons, excluded[i], strict=True)),
                warnings=warnings,
            )
            for i in range(len(dates))
        ]


def _no_related(rel: HasRelated) -> str:
    raise TypeError("a related source's condition cannot look into another source")


def _shift(row: int, rejected: Sequence[int]) -> int:
    """The row of a record numbered without the rejected rows before it."""
    for line in rejected:
        if line <= row:
            row += 1
        else:
            break
    return row


class _Warnings:
    """The data warnings of each consumer of each scan, and of unknown keys."""

    def __init__(self, run: _Run):
        self.run = run
        self._rejects: dict[Path, list[tuple[int, str]]] = {}

    def rejects(self, scan: FileScan) -> list[tuple[int, str]]:
        if scan.path not in self._rejects:
            self._rejects[scan.path] = self.run.rejects(scan)
        return self._rejects[scan.path]

    def needs_python(self, scan: FileScan) -> bool:
        """Whether row numbers of this file must come from the Python reader."""
        return scan.format == "csv" and _has_blank_line(scan.path)

    def counts(self, scan: FileScan, at: int) -> dict[tuple[str, str | None, str | None], int]:
        """Rows with each problem, for one consumer (unreadable rows included)."""
        found: dict[tuple[str, str | None, str | None], int] = defaultdict(int)
        for _, detail in self.rejects(scan):
            found["bad_row", None, detail] += 1
        problems = scan.problems(at)
        query = (
            f"SELECT __p{at}, __bad, sum(__n) FROM {scan.table} "
            f"WHERE __p{at} IS NOT NULL GROUP BY ALL"
        )
        for code, bad, count in self.run.con.execute(query).fetchall():
            key = ("bad_row", None, bad) if code == -1 else (*problems[code], None)
            found[key] += int(count)
        return found

    def first_rows(self, scan: FileScan, at: int, wanted: set[Any]) -> dict[Any, list[int]]:
        """The first rows of each problem in ``wanted``, from a numbered read of the file."""
        rejected = [line for line, _ in self.rejects(scan)]
        rows: dict[Any, list[int]] = defaultdict(list)
        for line, detail in self.rejects(scan):
            if len(rows["bad_row", None, detail]) < FIRST_ROWS:
                rows["bad_row", None, detail].append(line)
        if not any(
            k[0] != "bad_row" or k[2] not in {d for _, d in self.rejects(scan)} for k in wanted
        ):
            return rows
        params = Params()
        problems = scan.problems(at)
        sql = (
            f"SELECT __p, __bad, __row FROM (SELECT {scan.classify(at, ident)} AS __p, __bad, "
            f"__row FROM ({scan.relation(params, numbered=True)})) WHERE __p IS NOT NULL "
            f"QUALIFY row_number() OVER (PARTITION BY __p, __bad ORDER BY __row) <= {FIRST_ROWS}"
        )
        for code, bad, row in self.run.execute(sql, params, scan.path).fetchall():
            key = ("bad_row", None, bad) if code == -1 else (*problems[code], None)
            row = row if scan.format == "parquet" else _shift(int(row), rejected)
            rows[key].append(row)
        return rows

    def for_consumer(self, scan: FileScan, at: int) -> list[DataWarning]:
        counts = self.counts(scan, at)
        if not counts:
            return []
        rows = self.first_rows(scan, at, set(counts))
        return [
            DataWarning(
                source=scan.consumers[at].source.name,
                file=scan.name,
                problem=problem,
                count=count,
                rows=tuple(sorted(rows[problem, column, detail])[:FIRST_ROWS]),
                column=column,
                detail=detail,
            )
            for (problem, column, detail), count in counts.items()
        ]

    def unknown_keys(self, query: _CountQuery, rel: HasRelated) -> DataWarning | None:
        scan, at = query.side[rel]
        main_read = query.main.consumers[query.main_at].read
        side_read = scan.consumers[at].read
        known = (
            f"SELECT m.{quote(rel.key, main_read)} FROM {query.main.table} m "
            f"WHERE m.__bad IS NULL AND m.{quote(rel.key, main_read)} IS NOT NULL"
        )
        key = quote(rel.key, side_read)
        count = self.run.con.execute(
            f"SELECT sum(__n) FROM {scan.table} WHERE __p{at} IS NULL AND {key} NOT IN ({known})"
        ).fetchone()
        if not count or not count[0]:
            return None
        params = Params()
        numbered = scan.relation(params, numbered=True)
        # The main file's tally stands for its keys; the side file is read again, numbered.
        found = self.run.execute(
            f"SELECT __row FROM ({numbered}) WHERE {scan.classify(at, ident)} IS NULL AND "
            f"{key} NOT IN ({known}) ORDER BY __row LIMIT {FIRST_ROWS}",
            params,
            scan.path,
        ).fetchall()
        rejected = [line for line, _ in self.rejects(scan)]
        rows = [r if scan.format == "parquet" else _shift(int(r), rejected) for (r,) in found]
        return DataWarning(
            source=rel.source,
            file=scan.name,
            problem="unknown_key",
            count=int(count[0]),
            rows=tuple(rows),
            column=rel.key,
            detail=query.count.source,
        )


def _warnings(
    run: _Run, query: _CountQuery, dates: Sequence[dt.date], plan_start: dt.date
) -> list[DataWarning]:
    found = _Warnings(run)
    scans = [(query.main, query.main_at), *query.side.values()]
    if any(found.needs_python(scan) and found.counts(scan, at) for scan, at in scans) or any(
        found.needs_python(query.side[rel][0]) and found.unknown_keys(query, rel)
        for rel in query.related
    ):
        # Blank lines in a CSV: DuckDB does not number them, the Python reader does.
        (reference,) = python_backend.measure([query.job], dates[:1], plan_start, run.readers)[
            query.job.indicator
        ]
        return list(reference.warnings) if isinstance(reference, Measurement) else []
    warnings = found.for_consumer(query.main, query.main_at)
    for rel in query.related:
        scan, at = query.side[rel]
        warnings += found.for_consumer(scan, at)
        unknown = found.unknown_keys(query, rel)
        if unknown is not None:
            warnings.append(unknown)
    return sort_warnings(warnings)


def measure(
    jobs: Sequence[Job], dates: Sequence[dt.date], plan_start: dt.date, readers: ReaderLookup
) -> dict[str, list[Outcome]]:
    """Measure every job at every date: counts in DuckDB, the rest in Python."""
    native, rest = [], []
    for job in jobs:
        files = job.files.values()
        if job.count is not None and all(_format(readers, path) for path in files):
            native.append(job)
        else:
            rest.append(job)
    outcomes = python_backend.measure(rest, dates, plan_start, readers) if rest else {}
    if not native:
        return outcomes
    run = _Run(readers)
    queries = []
    for job in native:
        assert job.count is not None
        queries.append(_CountQuery(run, job, job.count))
    run.read_all()
    for query in queries:
        try:
            warnings = _warnings(run, query, dates, plan_start)
            outcomes[query.job.indicator] = query.measure(dates, plan_start, warnings)
        except SourceError:
            raise
        except Exception as error:  # a faulty description fails its indicator, not the run
            failed = Failed.from_exception(error, "counting failed: ")
            outcomes[query.job.indicator] = [failed] * len(dates)
    return outcomes
