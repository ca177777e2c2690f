"""The pure-Python backend: the reference for what every count means.

Each file is read once, whatever the number of indicators and dates. A counted source is
reduced, row by row, to a tally of distinct projections (the values of the columns its count
reads); conditions are then evaluated once per distinct projection and date. Memory grows
with the number of distinct projections, not with the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..counting import Count, HasRelated
from ..errors import SourceError, VpcpError
from ..kinds import Source
from ..measurement import FIRST_ROWS, DataWarning, Group, Measurement, sort_warnings
from ..records import CheckedRow, RowChecker
from ..sources import RowValues, SourceReader
from ..windows import Window, window_on
from . import Failed, Job, Outcome, ReaderLookup
from .conditions import Context, compile_condition

__all__ = ["measure"]


class _Consumer:
    """Takes the rows of one source for one job."""

    def __init__(self, source: Source, file: Path, name: str):
        self.source = source
        self.file = file
        self.name = name
        self.columns = tuple(c.name for c in source.columns)
        self.checker = RowChecker(source.name, name, source.columns)

    def feed(self, line: int, values: tuple[str, ...] | str) -> None:
        """Take one row as the reader gave it."""
        row = self.checker.check(line, values)
        if row is not None:
            self.add(line, row)

    def add(self, line: int, row: CheckedRow) -> None:
        """Take one checked row."""
        raise NotImplementedError


class _Projections(_Consumer):
    """Tallies distinct projections of a source onto the columns a count reads.

    ``keys`` are the columns other sources refer to: every value they hold in a readable row
    is known, even in a row skipped for another fault, so that a reference to it is not
    reported as unknown.
    """

    def __init__(
        self, source: Source, file: Path, name: str, read: Sequence[str], keys: Sequence[str]
    ):
        super().__init__(source, file, name)
        self.read = tuple(read)
        self.index = {name: i for i, name in enumerate(self.read)}
        self._project = _getter([self.columns.index(c) for c in self.read])
        self._key_at = {k: self.columns.index(k) for k in keys}
        self.tally: Counter[CheckedRow] = Counter()
        self.known: dict[str, set[str]] = {k: set() for k in keys}

    def feed(self, line: int, values: tuple[str, ...] | str) -> None:
        if not isinstance(values, str):
            for name, at in self._key_at.items():
                if values[at]:
                    self.known[name].add(values[at])
        super().feed(line, values)

    def add(self, line: int, row: CheckedRow) -> None:
        self.tally[self._project(row)] += 1


class _References(_Projections):
    """A related source: its projections, and the rows that hold each value of its key."""

    def __init__(self, source: Source, file: Path, name: str, read: Sequence[str], key: str):
        super().__init__(source, file, name, read, ())
        self._key = self.columns.index(key)
        self.first_rows: dict[Any, list[int]] = {}
        self.counts: Counter[Any] = Counter()

    def add(self, line: int, row: CheckedRow) -> None:
        super().add(line, row)
        value = row[self._key]
        rows = self.first_rows.setdefault(value, [])
        if len(rows) < FIRST_ROWS:
            rows.append(line)
        self.counts[value] += 1


class _Records(_Consumer):
    """Keeps every checked record, for kinds that compute in Python."""

    def __init__(self, source: Source, file: Path, name: str):
        super().__init__(source, file, name)
        self.records: list[dict[str, Any]] = []

    def add(self, line: int, row: CheckedRow) -> None:
        self.records.append(dict(zip(self.columns, row, strict=True)))


def _getter(indexes: Sequence[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function picking the values at ``indexes`` from a row, as a tuple."""
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    pick: Callable[[tuple[Any, ...]], tuple[Any, ...]] = itemgetter(*indexes)
    return pick


def _rows(reader: SourceReader, path: Path, columns: list[str]) -> Iterator[RowValues]:
    """The reader's rows; a reader that fails makes the file a source error, with its name."""
    try:
        yield from reader.rows(path, columns)
    except VpcpError:
        raise
    except Exception as error:  # a third-party reader's failure is reported, not a traceback
        message = f"reader '{reader.name}' failed: {type(error).__name__}: {error}"
        raise SourceError.at(path, message) from error


def _read(files: dict[Path, list[_Consumer]], readers: ReaderLookup) -> None:
    """Read each file once, handing every row to each consumer of that file."""
    for path, consumers in files.items():
        wanted: list[str] = []
        for consumer in consumers:
            wanted += [c for c in consumer.columns if c not in wanted]
        feeds = [
            (consumer.feed, _getter([wanted.index(c) for c in consumer.columns]))
            for consumer in consumers
        ]
        for line, values in _rows(readers(path), path, wanted):
            for feed, pick in feeds:
                feed(line, values if isinstance(values, str) else pick(values))


class _CountPlan:
    """A job with a count: its consumers, and how to evaluate it on a date."""

    def __init__(self, job: Job, count: Count):
        self.job = job
        self.count = count
        source = job.kind.source(count.source)
        self.related = count.related()
        read = sorted(count.columns())
        self.main = _Projections(
            source,
            job.files[count.source],
            job.name(count.source),
            read,
            sorted({r.key for r in self.related}),
        )
        self.side = {
            rel: _References(
                job.kind.source(rel.source),
                job.files[rel.source],
                job.name(rel.source),
                sorted(rel.related_columns()),
                rel.key,
            )
            for rel in self.related
        }
        index = self.main.index
        self.population = compile_condition(count.population, index)
        self.numerator = compile_condition(count.numerator, index)
        self.excluded = [(r, compile_condition(c, index)) for r, c in count.excluded]
        self.group = index[count.group_by] if count.group_by else None
        self.side_where = {
            rel: compile_condition(rel.where, self.side[rel].index) for rel in self.related
        }

    def consumers(self) -> list[_Consumer]:
        return [self.main, *self.side.values()]

    def warnings(self) -> list[DataWarning]:
        return sort_warnings(self._warnings())

    def _warnings(self) -> list[DataWarning]:
        found = self.main.checker.tally.warnings()
        for rel, side in self.side.items():
            found += side.checker.tally.warnings()
            known = self.main.known[rel.key]
            unknown = [v for v in side.first_rows if v not in known]
            if unknown:
                count = sum(side.counts[v] for v in unknown)
                rows = sorted(r for v in unknown for r in side.first_rows[v])[:FIRST_ROWS]
                found.append(
                    DataWarning(
                        source=rel.source,
                        file=side.name,
                        problem="unknown_key",
                        count=count,
                        rows=tuple(rows),
                        column=rel.key,
                        detail=self.count.source,
                    )
                )
        return found

    def related_on(self, context: Context) -> dict[HasRelated, frozenset[Any]]:
        """For each related source, the keys that satisfy it on the context's date."""
        found = {}
        for rel, side in self.side.items():
            where = self.side_where[rel]
            key = side.index[rel.key]
            if rel.covering is None:
                found[rel] = frozenset(p[key] for p in side.tally if where(p, context))
                continue
            column, needed = rel.covering
            at = side.index[column]
            held: defaultdict[Any, set[Any]] = defaultdict(set)
            for projection in side.tally:
                if where(projection, context):
                    held[projection[key]].add(projection[at])
            found[rel] = frozenset(k for k, values in held.items() if needed <= values)
        return found

    def measure(self, as_of: dt.date, window: Window, warnings: list[DataWarning]) -> Measurement:
        context = Context(as_of, window, {})
        context.related.update(self.related_on(context))
        numerator = denominator = 0
        excluded: Counter[str] = Counter()
        groups: defaultdict[Any, list[int]] = defaultdict(lambda: [0, 0])
        for projection, n in self.main.tally.items():
            if not self.population(projection, context):
                continue
            reason = next((r for r, test in self.excluded if test(projection, context)), None)
            if reason is not None:
                excluded[reason] += n
                continue
            counted = self.numerator(projection, context)
            denominator += n
            numerator += n if counted else 0
            if self.group is not None:
                figures = groups[projection[self.group]]
                figures[1] += n
                figures[0] += n if counted else 0
        breakdown = [Group(str(k), num, den) for k, (num, den) in groups.items()]
        return Measurement(
            numerator=numerator,
            denominator=denominator,
            breakdown=sorted(breakdown, key=lambda g: g.key),
            excluded={r: excluded.get(r, 0) for r, _ in self.excluded},
            warnings=warnings,
        )


def measure(
    jobs: Sequence[Job], dates: Sequence[dt.date], plan_start: dt.date, readers: ReaderLookup
) -> dict[str, list[Outcome]]:
    """Measure every job at every date, reading each file once."""
    files: defaultdict[Path, list[_Consumer]] = defaultdict(list)
    counted: list[_CountPlan] = []
    computed: list[tuple[Job, dict[str, _Records]]] = []
    for job in jobs:
        if job.count is not None:
            plan = _CountPlan(job, job.count)
            counted.append(plan)
            for consumer in plan.consumers():
                files[consumer.file].append(consumer)
        else:
            records = {
                s.name: _Records(s, job.files[s.name], job.name(s.name)) for s in job.kind.sources
            }
            computed.append((job, records))
            for consumer in records.values():
                files[consumer.file].append(consumer)
    _read(files, readers)

    outcomes: dict[str, list[Outcome]] = {}
    for plan in counted:
        try:
            warnings = plan.warnings()
            outcomes[plan.job.indicator] = [
                plan.measure(day, window_on(plan.job.window, day, plan_start), warnings)
                for day in dates
            ]
        except Exception as error:  # a faulty description fails its indicator, not the run
            failed = Failed.from_exception(error, "counting failed: ")
            outcomes[plan.job.indicator] = [failed] * len(dates)
    for job, records in computed:
        outcomes[job.indicator] = [
            _compute(job, records, window_on(job.window, day, plan_start)) for day in dates
        ]
    return outcomes


def _compute(job: Job, records: dict[str, _Records], window: Window) -> Outcome:
    assert job.kind.compute is not None
    rows = {name: consumer.records for name, consumer in records.items()}
    warnings = [w for consumer in records.values() for w in consumer.checker.tally.warnings()]
    try:
        result = job.kind.compute(rows, window, job.params)
    except Exception as error:  # a plugin's failure is reported, never fatal
        return Failed.from_exception(error)
    if not isinstance(result, Measurement):
        return Failed(f"compute() returned {type(result).__name__}, not a Measurement")
    return Measurement(
        numerator=result.numerator,
        denominator=result.denominator,
        value=result.value,
        breakdown=result.breakdown,
        excluded=result.excluded,
        warnings=[*warnings, *result.warnings],
    )
