"""Counts sent to the database that holds the records: only the figures come back.

A source whose reader counts (:class:`~vpcp_indicators.sources.CountingReader`: SQLite,
PostgreSQL, a plugin's) gets one statement for every indicator and date that counts its
records with the same kind's source: per indicator, a query of :mod:`~vpcp_indicators.sql`
returning a row per (date, group), joined by ``UNION ALL``. The same statement counts the rows
that break the reading contract, by problem; only when there are some does a second one
number them, for the first rows that a warning names. Figures and warnings are those of the
Python backend, which reads the same rows through the reader: a differential test holds the
two to it.

Counts that look into another source, and sources with number columns, are read as rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlglot import exp

from ..kinds.counting import Count
from ..kinds.kind import Source
from ..measurement import FIRST_ROWS, DataWarning, sort_warnings
from ..plan.sourceref import SourceRef
from ..sources import CountingReader, counts_itself, tally
from ..sql.conditions import Params
from ..sql.counts import count_sql
from ..sql.faults import BAD_ROW, checks, problem_sql
from ..windows import window_on
from . import Failed, Job, Outcome, ReaderLookup, measurements

__all__ = ["measure", "sendable"]

#: A statement's rows begin with the indicator's position, then a count's columns.
_K = 1


def sendable(job: Job, readers: ReaderLookup) -> CountingReader | None:
    """The reader that can count ``job`` in its database, if there is one."""
    count = job.count
    if count is None or count.related():
        return None
    source = job.kind.source(count.source)
    if any(c.type == "number" for c in source.columns):
        return None
    reader = readers(job.files[count.source])
    return reader if counts_itself(reader) else None  # type: ignore[return-value]


def _column(source: Source, name: str, table: str = "r") -> exp.Expr:
    at = [c.name for c in source.columns].index(name)
    return exp.column(f"k{at}", table=table)


class _Statement:
    """The jobs counted in one source by one kind's reading of it."""

    def __init__(self, ref: SourceRef, source: Source, reader: CountingReader):
        self.ref = ref
        self.source = source
        self.reader = reader
        self.jobs: list[Job] = []

    def column(self, name: str) -> exp.Expr:
        return _column(self.source, name)

    def dated(self, positions: frozenset[int]) -> set[str]:
        """The names of the columns at ``positions``: those the database types as dates."""
        return {c.name for i, c in enumerate(self.source.columns) if i in positions}

    def problem(self, dated: set[str]) -> exp.Expr:
        """A record's problem code, on the reader's relation ``r``."""
        return problem_sql(
            self.source.columns, self.column, exp.column("__bad", table="r"), dated=dated
        )

    def tallied(self, relation: exp.Expr, count: Count, dated: set[str]) -> exp.Expr:
        """The relation reduced to a tally, aliased ``c``: a row per distinct combination of
        what the count reads and what the checks read (the columns the count reads and the
        date columns, as text; whether each other required column has a value; why a row
        cannot be read), with the number of records behind it (``__n``) and its problem code
        (``__p``). The records are grouped once; the checks and the conditions are then
        worked out once per tally row, not once per record (and not again in every sum that
        reads them, as an engine that substitutes a subquery's expressions would)."""
        columns = self.source.columns
        names = [c.name for c in columns]
        kept = sorted(
            count.columns() | {c.name for c in columns if c.type == "date"}, key=names.index
        )
        flagged = [c.name for c in columns if c.required and c.name not in kept]
        bad = exp.column("__bad", table="r")
        keys = [self.column(n) for n in kept]
        keys += [exp.Is(this=self.column(n), expression=exp.Null()) for n in flagged]
        aliases = [f"k{names.index(n)}" for n in kept] + [f"m{i}" for i in range(len(flagged))]
        inner = exp.select(*(exp.alias_(k, a) for k, a in zip(keys, aliases, strict=True)))
        inner = inner.select(
            exp.alias_(bad, "__bad"), exp.alias_(exp.Count(this=exp.Star()), "__n")
        )
        inner = inner.from_(relation).group_by(*(k.copy() for k in keys), bad.copy())

        def missing(name: str) -> exp.Expr:
            if name in flagged:
                return exp.column(f"m{flagged.index(name)}", table="t")
            return exp.Is(this=_column(self.source, name, "t"), expression=exp.Null())

        problem = problem_sql(
            columns, partial(_column, self.source, table="t"), exp.column("__bad", table="t"),
            missing, dated,
        )  # fmt: skip
        outer = exp.select(
            *(exp.column(f"k{names.index(n)}", table="t") for n in kept),
            exp.alias_(problem, "__p"),
            exp.column("__bad", table="t"),
            exp.column("__n", table="t"),
        ).from_(inner.subquery("t"))
        return outer.subquery("c")

    def build(self, dates: Sequence[dt.date], plan_start: dt.date) -> Any:
        width = max(len(job.count.excluded) for job in self.jobs if job.count is not None)

        def build(relation: exp.Expr, typed: frozenset[int]) -> tuple[exp.Expr, dict[str, Any]]:
            dated = self.dated(typed)
            params = Params()
            branches: list[exp.Expr] = []
            for k, job in enumerate(self.jobs):
                assert job.count is not None
                days = []
                for day in dates:
                    window = window_on(job.window, day, plan_start)
                    days.append((day.isoformat(), window.start.isoformat(), window.end.isoformat()))
                made = count_sql(
                    job.count,
                    self.tallied(relation.copy(), job.count, dated),
                    days,
                    partial(_column, self.source, table="c"),
                    problem=exp.column("__p", table="c"),
                    bad=exp.column("__bad", table="c"),
                    params=params,
                    weight=exp.column("__n", table="c"),
                )
                padding = [exp.alias_(exp.Null(), f"x{n}") for n in range(len(made.reasons), width)]
                inner = exp.Subquery(
                    this=made.query, alias=exp.TableAlias(this=exp.to_identifier("q"))
                )
                branches.append(
                    exp.select(exp.alias_(exp.Literal.number(k), "k"), exp.Star(), *padding).from_(
                        inner
                    )
                )
            statement = branches[0]
            for branch in branches[1:]:
                statement = exp.union(statement, branch, distinct=False)
            return statement, params.values

        return build

    def first_rows(self) -> Any:
        def build(relation: exp.Expr, typed: frozenset[int]) -> tuple[exp.Expr, dict[str, Any]]:
            problem = self.problem(self.dated(typed))
            rows = exp.select(
                exp.alias_(problem, "p"),
                exp.alias_(exp.column("__bad", table="r"), "b"),
                exp.alias_(exp.column("__row", table="r"), "row"),
            ).from_(relation)
            faulty = exp.select("p", "b", "row").from_(rows.subquery("f")).where("p IS NOT NULL")
            rank = exp.Window(
                this=exp.RowNumber(),
                partition_by=[exp.column("p"), exp.column("b")],
                order=exp.Order(expressions=[exp.column("row")]),
            )
            ranked = exp.select("p", "b", "row", exp.alias_(rank, "rank")).from_(
                faulty.subquery("g")
            )
            first = (
                exp.select("p", "b", "row")
                .from_(ranked.subquery("h"))
                .where(exp.LTE(this=exp.column("rank"), expression=exp.Literal.number(FIRST_ROWS)))
            )
            return first, {}

        return build

    def measure(
        self, dates: Sequence[dt.date], plan_start: dt.date, name: str
    ) -> dict[str, list[Outcome]]:
        columns = [c.name for c in self.source.columns]
        rows = tally(self.reader, self.ref, columns, self.build(dates, plan_start), False)
        warnings = self._warnings(rows, columns, name)
        by_job: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            by_job[int(row[0])].append(row[_K:])
        return {
            job.indicator: _measurements(job, by_job[k], len(dates), warnings)
            for k, job in enumerate(self.jobs)
        }

    def _warnings(
        self, rows: Sequence[tuple[Any, ...]], columns: Sequence[str], name: str
    ) -> list[DataWarning]:
        counts: dict[tuple[int, str | None], int] = defaultdict(int)
        for row in rows:
            _, _, _, _, _, p, b, n, *_ = row
            if row[0] == 0 and p is not None:
                counts[int(p), b] += int(n)
        if not counts:
            return []
        firsts: dict[tuple[int, str | None], list[int]] = defaultdict(list)
        for p, b, number in tally(self.reader, self.ref, columns, self.first_rows(), True):
            firsts[int(p), b].append(int(number))
        faults = checks(self.source.columns)
        found = []
        for (code, bad), count in counts.items():
            problem, column = ("bad_row", None) if code == BAD_ROW else faults[code]
            found.append(
                DataWarning(
                    source=self.source.name,
                    file=name,
                    problem=problem,
                    count=count,
                    rows=tuple(sorted(firsts[code, bad])[:FIRST_ROWS]),
                    column=column,
                    detail=bad if code == BAD_ROW else None,
                )
            )
        return found


def _measurements(
    job: Job, rows: Sequence[tuple[Any, ...]], dates: int, warnings: list[DataWarning]
) -> list[Outcome]:
    assert job.count is not None
    figures = (
        (i, key, den, num, left)
        for i, key, den, num, problem, _, _, *left in rows
        if problem is None
    )
    return list(measurements(job.count, figures, dates, sort_warnings(warnings)))


def measure(
    jobs: Sequence[Job], dates: Sequence[dt.date], plan_start: dt.date, readers: ReaderLookup
) -> tuple[dict[str, list[Outcome]], list[Job]]:
    """Count in their databases the jobs that can be; the outcomes, and the jobs left."""
    outcomes: dict[str, list[Outcome]] = {}
    statements: dict[tuple[SourceRef, Source], _Statement] = {}
    names: dict[tuple[SourceRef, Source], str] = {}
    rest = []
    for job in jobs:
        reader = sendable(job, readers)
        if reader is None:
            rest.append(job)
            continue
        assert job.count is not None
        ref, source = job.files[job.count.source], job.kind.source(job.count.source)
        try:
            # A count its kind describes wrongly fails its indicator, not the statement.
            count_sql(job.count, exp.to_table("r"), [("", "", "")], partial(_column, source))
        except Exception as error:
            outcomes[job.indicator] = [Failed.from_exception(error, "counting failed: ")] * len(
                dates
            )
            continue
        key = (ref, source)
        if key not in statements:
            statements[key] = _Statement(ref, source, reader)
            names[key] = job.name(job.count.source)
        statements[key].jobs.append(job)
    for key, statement in statements.items():
        outcomes.update(statement.measure(dates, plan_start, names[key]))
    return outcomes, rest
