"""One statement per source for every indicator and date that counts its records.

The statement reads each of its sources once: the counted source into a tally of what every
count reads, each source the counts look into into a tally of its own (``WITH`` clauses,
which a database computes once when they are read more than once); the counts, the fault
counts and the unknown keys are then worked out over the tallies. The clauses are named
apart from every table the sources read (a source's table may be called anything).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from typing import Any

import attrs
from sqlglot import exp

from ...kinds.counting import Condition, Count, HasRelated
from ...kinds.kind import Source
from ...measurement import DataWarning, sort_warnings
from ...plan.sourceref import SourceRef
from ...sources import CountingReader, Relation, tally
from ...sql.conditions import Params
from ...sql.counts import COLUMNS, count_sql, union_all
from ...sql.related import Side, earliest_of, related_test, with_related
from ...windows import iso_spans
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
        self._tallies: list[str] = []
        #: Each other source's earliest dates (see ``_firsts``), once the jobs are all in.
        self._first_dates: dict[int, list[tuple[HasRelated, str, Condition]]] = {}

    def add(self, job: Job) -> None:
        """Count ``job`` in this statement too."""
        assert job.count is not None
        self.jobs.append(job)
        self._first_dates.clear()
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

    def _name_tallies(self, relations: Sequence[Relation]) -> None:
        """Names for the tallies' WITH clauses that no table of the relations has."""
        taken = {t.name.lower() for r, *_ in relations for t in r.find_all(exp.Table)}

        def fresh(base: str) -> str:
            name, n = base, 0
            while name.lower() in taken:
                n += 1
                name = f"{base}_{n}"
            taken.add(name.lower())
            return name

        self._tallies = [fresh("vpcp_m"), *(fresh(f"vpcp_o{j}") for j in range(len(self.others)))]

    def tally_table(self, j: int | None = None, alias: str | None = None) -> exp.Expr:
        """The tally of the counted source (``j`` None) or of the ``j``-th other source."""
        name = self._tallies[0 if j is None else 1 + j]
        table = exp.Table(this=exp.to_identifier(name, quoted=True))
        return table.as_(alias) if alias is not None else table

    def _read(self, count: Count) -> set[str]:
        """What a count reads of its source, and what the checks read: the date columns."""
        dates = {c.name for c in self.main.source.columns if c.type == "date"}
        return count.columns() | dates

    def _looking(self, j: int) -> list[HasRelated]:
        """The tests that look into the ``j``-th other source, each once, in order."""
        found: dict[HasRelated, None] = {}
        for job in self.jobs:
            assert job.count is not None
            for rel in job.count.related():
                if self._other(job, rel) == j:
                    found.setdefault(rel)
        return list(found)

    def _firsts(self, j: int) -> list[tuple[HasRelated, str, Condition]]:
        """The earliest dates the ``j``-th other source's tally keeps (``__f{i}``, ``i`` the
        position here): per test in the reduced form that looks into it, its date column
        and each part of its test (:func:`~vpcp_indicators.sql.related.earliest_of`)."""
        if j not in self._first_dates:
            found = []
            for rel in self._looking(j):
                earliest = earliest_of(rel)
                if earliest is not None:
                    found += [(rel, earliest[0], part) for part in earliest[1]]
            self._first_dates[j] = found
        return self._first_dates[j]

    def _other_tallies(
        self, relations: Sequence[Relation], params: Params
    ) -> list[tuple[str, exp.Select]]:
        """Each other source reduced to a tally of what the counts that look into it read,
        once for the whole statement, with its WITH clause's name. A test in the reduced form
        reads only its key there, and each key's earliest dates."""
        found = []
        for j, other in enumerate(self.others):
            dates = {c.name for c in other.source.columns if c.type == "date"}
            firsts = self._firsts(j)
            reduced = {rel for rel, _, _ in firsts}
            read: set[str] = set()
            for rel in self._looking(j):
                read |= {rel.key} if rel in reduced else rel.related_columns() | dates
            kept = [(date, part) for _, date, part in firsts]
            tallied = other.tallied(relations[1 + j], read, kept, params)
            found.append((self._tallies[1 + j], tallied))
        return found

    def _side(self, job: Job, rel: HasRelated) -> Side:
        """A related source as the count's query reads it: its tally."""
        j = self._other(job, rel)
        column = partial(self.others[j].column, table="s")
        clean = exp.Is(this=exp.column("__p"), expression=exp.Null())
        rows = exp.select("*").from_(self.tally_table(j)).where(clean).subquery("s")
        at = [i for i, (other, _, _) in enumerate(self._firsts(j)) if other == rel]
        return Side(rel, rows, column, tuple(exp.column(f"__f{i}", table="s") for i in at))

    def _count(self, job: Job, days: Days, params: Params, width: int) -> exp.Expr:
        """The query of one job over the tallies, its rows marked with its position."""
        count = job.count
        assert count is not None
        related = None
        if count.related():
            sides = [self._side(job, rel) for rel in count.related()]
            counted = with_related(
                self.tally_table(alias="t"),
                partial(self.main.column, table="t"),
                sides,
                days,
                params,
            )
            related = related_test(sides)
        else:
            counted = self.tally_table(alias="c")
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
            self._name_tallies(relations)
            params = Params()
            branches: list[exp.Expr] = []
            for job in self.jobs:
                days = iso_spans(job.window, dates, plan_start)
                branches.append(self._count(job, days, params, width))
            branches += faults.counted(relations, width)
            statement = union_all(branches)
            # The counted source is read once, into one tally of what every count reads;
            # each other source likewise.
            read = set().union(*(self._read(job.count) for job in self.jobs if job.count))
            tallies = [(self._tallies[0], self.main.tallied(relations[0], read))]
            for name, other in tallies + self._other_tallies(relations, params):
                alias = exp.TableAlias(this=exp.to_identifier(name, quoted=True))
                statement = statement.with_(alias, as_=other)  # type: ignore[attr-defined]
            return statement, params.values

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
