"""One statement per source for every indicator and date that counts its records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from typing import Any

import attrs
from sqlglot import exp

from ...kinds.counting import Count, HasRelated
from ...kinds.kind import Source
from ...measurement import DataWarning, sort_warnings
from ...plan.sourceref import SourceRef
from ...sources import CountingReader, Relation, tally
from ...sql.conditions import Params, condition_sql
from ...sql.counts import COLUMNS, count_sql, union_all
from ...sql.faults import problem_sql
from ...sql.related import Side, earliest_of, related_test, with_related
from ...windows import window_on
from .. import Job, Outcome, measurements
from .faults import UNKNOWN_KEY, Faults
from .reading import Reading

__all__ = ["Statement"]

Days = Sequence[tuple[str, str, str]]


class Statement:
    """The jobs counted in one source by one kind's reading of it, and the other sources of
    its database their counts look into (``others``, read in the same statement)."""

    def __init__(self, ref: SourceRef, source: Source, name: str, reader: CountingReader):
        self.main = Reading(ref, source, name)
        self.reader = reader
        self.jobs: list[Job] = []
        self.others: list[Reading] = []

    def add(self, job: Job) -> None:
        """Count ``job`` in this statement too."""
        assert job.count is not None
        self.jobs.append(job)
        for rel in job.count.related():
            self._other(job, rel)

    def _other(self, job: Job, rel: HasRelated) -> int:
        """The position among ``others`` of the source ``rel`` looks into."""
        ref, source = job.files[rel.source], job.kind.source(rel.source)
        for j, other in enumerate(self.others):
            if (other.ref, other.source) == (ref, source):
                return j
        self.others.append(Reading(ref, source, job.name(rel.source)))
        return len(self.others) - 1

    def unknowns(self) -> list[tuple[int, str]]:
        """The (other source, key) pairs whose related rows may hold unknown keys."""
        found: dict[tuple[int, str], None] = {}
        for job in self.jobs:
            assert job.count is not None
            for rel in job.count.related():
                found.setdefault((self._other(job, rel), rel.key))
        return list(found)

    # -- the counts ----------------------------------------------------------------------

    def tallied(self, relation: exp.Expr, count: Count, typed: frozenset[int], alias: str) -> Any:
        """The relation reduced to a tally: a row per distinct combination of what the count
        reads and what the checks read (the columns the count reads and the date columns, as
        text; whether each other required column has a value; why a row cannot be read), with
        the number of records behind it (``__n``) and its problem code (``__p``). The records
        are grouped once; the checks and the conditions are then worked out once per tally
        row, not once per record (and not again in every sum that reads them, as an engine
        that substitutes a subquery's expressions would)."""
        columns, column = self.main.source.columns, self.main.column
        names = [c.name for c in columns]
        kept = sorted(
            count.columns() | {c.name for c in columns if c.type == "date"}, key=names.index
        )
        flagged = [c.name for c in columns if c.required and c.name not in kept]
        bad = exp.column("__bad", table="r")
        keys = [column(n) for n in kept]
        keys += [exp.Is(this=column(n), expression=exp.Null()) for n in flagged]
        aliases = [f"k{names.index(n)}" for n in kept] + [f"m{i}" for i in range(len(flagged))]
        inner = exp.select(*(exp.alias_(k, a) for k, a in zip(keys, aliases, strict=True)))
        inner = inner.select(
            exp.alias_(bad, "__bad"), exp.alias_(exp.Count(this=exp.Star()), "__n")
        )
        inner = inner.from_(relation).group_by(*(k.copy() for k in keys), bad.copy())

        def missing(name: str) -> exp.Expr:
            if name in flagged:
                return exp.column(f"m{flagged.index(name)}", table="t")
            return exp.Is(this=column(name, "t"), expression=exp.Null())

        problem = problem_sql(
            columns, partial(column, table="t"), exp.column("__bad", table="t"), missing,
            self.main.dated(typed),
        )  # fmt: skip
        outer = exp.select(
            *(exp.column(f"k{names.index(n)}", table="t") for n in kept),
            exp.alias_(problem, "__p"),
            exp.column("__bad", table="t"),
            exp.column("__n", table="t"),
        ).from_(inner.subquery("t"))
        return outer.subquery(alias)

    def _side(
        self, job: Job, rel: HasRelated, relations: Sequence[Relation], params: Params
    ) -> Side:
        """A related source as the count's query reads it."""
        other = self.others[self._other(job, rel)]
        relation, typed = relations[1 + self.others.index(other)]
        column = partial(other.column, table="s")
        rows = other.kept(relation, typed, "s")
        earliest = earliest_of(rel)
        if earliest is None:
            return Side(rel, rows, column)
        date, when = earliest
        first = exp.Case().when(condition_sql(when, column, params), column(date))
        return Side(rel, rows, column, first)

    def _count(
        self, job: Job, relations: Sequence[Relation], days: Days, params: Params, width: int
    ) -> exp.Expr:
        """The query of one job, its rows marked with its position."""
        count = job.count
        assert count is not None
        relation, typed = relations[0]
        related = None
        if count.related():
            sides = [self._side(job, rel, relations, params) for rel in count.related()]
            counted = with_related(
                self.tallied(relation.copy(), count, typed, "t"),
                partial(self.main.column, table="t"),
                sides,
                days,
                params,
            )
            related = related_test(sides)
        else:
            counted = self.tallied(relation.copy(), count, typed, "c")
        made = count_sql(
            count,
            counted,
            days,
            partial(self.main.column, table="c"),
            related,
            problem=exp.column("__p", table="c"),
            bad=exp.column("__bad", table="c"),
            params=params,
            weight=exp.column("__n", table="c"),
        )
        padding = [exp.alias_(exp.Null(), f"x{n}") for n in range(len(made.reasons), width)]
        k = exp.alias_(exp.Literal.number(self.jobs.index(job)), "k")
        return exp.select(k, exp.Star(), *padding).from_(made.query.subquery("q"))

    def build(self, dates: Sequence[dt.date], plan_start: dt.date) -> Any:
        width = max(len(job.count.excluded) for job in self.jobs if job.count is not None)
        faults = Faults(self)

        def build(relations: Sequence[Relation]) -> tuple[exp.Expr, dict[str, Any]]:
            params = Params()
            branches: list[exp.Expr] = []
            for job in self.jobs:
                days = []
                for day in dates:
                    window = window_on(job.window, day, plan_start)
                    days.append((day.isoformat(), window.start.isoformat(), window.end.isoformat()))
                branches.append(self._count(job, relations, days, params, width))
            branches += faults.counted(relations, width)
            return union_all(branches), params.values

        return build

    def measure(self, dates: Sequence[dt.date], plan_start: dt.date) -> dict[str, list[Outcome]]:
        """Each job's outcomes at each date, from one statement (and one more for the first
        rows of the faults, when there are any)."""
        others = [(other.ref, other.columns) for other in self.others]
        build = self.build(dates, plan_start)
        rows = tally(self.reader, self.main.ref, self.main.columns, build, False, others)
        warnings = Faults(self).warnings(rows)
        by_job: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            if row[0] >= 0:
                by_job[int(row[0])].append(row[1:])
        found = {}
        for k, job in enumerate(self.jobs):
            assert job.count is not None
            own = list(warnings.get(("main",), []))
            for rel in job.count.related():
                j = self._other(job, rel)
                own += warnings.get(("other", j), [])
                unknown = warnings.get((UNKNOWN_KEY, j, rel.key), [])
                own += [attrs.evolve(w, detail=job.count.source) for w in unknown]
            found[job.indicator] = _measurements(job, by_job[k], len(dates), own)
        return found


def _measurements(
    job: Job, rows: Sequence[tuple[Any, ...]], dates: int, warnings: list[DataWarning]
) -> list[Outcome]:
    assert job.count is not None
    width = len(COLUMNS)
    figures = (
        (i, g, den, num, row[width:])
        for row in rows
        for i, g, den, num, p in [row[:5]]
        if p is None
    )
    return list(measurements(job.count, figures, dates, sort_warnings(warnings)))
