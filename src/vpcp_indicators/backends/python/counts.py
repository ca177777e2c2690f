"""Counting in Python: each count's tally folded on its static parts, evaluated per date.

A file's rows are taken once by the consumers of :mod:`.consumers`; consumers that take a
file alike are shared between indicators (:class:`Shared`). Per indicator, a
:class:`CountPlan` folds the shared tally on what its count needs and evaluates its
conditions once per distinct projection and date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from ...kinds.counting import AllOf, Condition, Count, HasRelated, dated_columns, statics
from ...measurement import FIRST_ROWS, DataWarning, Group, Measurement, sort_warnings
from ...plan.sourceref import SourceRef
from ...sources import read_rows
from ...sources.checks import RowChecker
from ...windows import Window
from .. import Job, ReaderLookup
from .conditions import Context, compile_condition
from .consumers import Consumer, Projections, References, getter

__all__ = ["CountPlan", "Shared"]

C = TypeVar("C", bound=Consumer)


def _unknown_rows(side: References, unknown: set[str], readers: ReaderLookup) -> list[int]:
    """The first rows of a related file that are good and hold an unknown key: read again,
    only when there are such rows."""
    checker = RowChecker(side.source.name, side.name, side.source.columns)
    key = side.columns.index(side.rel.key)
    found: list[int] = []
    for line, values in read_rows(readers(side.file), side.file, list(side.columns)):
        if isinstance(values, str) or values[key] not in unknown:
            continue
        if checker.check(line, values) is not None:
            found.append(line)
            if len(found) == FIRST_ROWS:
                break
    return found


class Shared:
    """The consumers of the files, one per way of taking a file's rows: indicators that read
    a file alike (a province plan's sixty-three copies of one count, say) share one, so each
    row is taken once and tallied once, whatever the number of indicators."""

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], Consumer] = {}
        self.files: defaultdict[SourceRef, list[Consumer]] = defaultdict(list)

    def get(self, key: tuple[Any, ...], make: Callable[[], C]) -> C:
        """The consumer for ``key``, made the first time it is asked for."""
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = make()
            self.files[found.file].append(found)
        return found  # type: ignore[return-value]


class CountPlan:
    """A job with a count: its consumers, and how to evaluate it on a date."""

    def __init__(self, job: Job, count: Count, shared: Shared):
        self.job = job
        self.count = count
        source = job.kind.source(count.source)
        self.related = count.related()
        file, name = job.files[count.source], job.name(count.source)
        read, keys = tuple(sorted(count.columns())), tuple(sorted({r.key for r in self.related}))
        self.main = shared.get(
            ("count", file, name, source, read, keys),
            partial(Projections, source, file, name, read, keys),
        )
        self.side: dict[HasRelated, References] = {}
        for rel in self.related:
            side, file, name = (
                job.kind.source(rel.source),
                job.files[rel.source],
                job.name(rel.source),
            )
            self.side[rel] = shared.get(
                ("related", file, name, side, rel), partial(References, side, file, name, rel)
            )
        # Per date, only what depends on the date is evaluated: the static parts of the
        # conditions are worked out once per tally row, and the tally is folded on them.
        self.parts = statics(*count.conditions())
        kept = dated_columns(*count.conditions()) | {r.key for r in self.related}
        if count.group_by:
            kept.add(count.group_by)
        self.kept = sorted(kept)
        self.index = {column: i for i, column in enumerate(self.kept)}
        self.flags = {part: len(self.kept) + i for i, part in enumerate(self.parts)}
        self.group = self.index[count.group_by] if count.group_by else None
        self.tally: Counter[Any] = Counter()
        self.side_tally: dict[HasRelated, Counter[Any]] = {}

    def release(self) -> None:
        """Let go of what :meth:`finish` made once the figures are out."""
        self.tally, self.side_tally = Counter(), {}

    def finish(self, readers: ReaderLookup) -> None:
        """After reading: typed tallies, each relation's keys, and the data warnings."""
        self.tally = self._folded(self.main.tally())
        self.side_tally = {rel: side.tally() for rel, side in self.side.items()}
        self.done = {rel: side.done() for rel, side in self.side.items() if side.earliest}
        found = self.main.checker.tally.warnings()
        for rel, side in self.side.items():
            found += side.checker.tally.warnings()
            known = self.main.known[rel.key]
            unknown = {k for k in side.counts if k not in known}
            if unknown:
                found.append(
                    DataWarning(
                        source=rel.source,
                        file=side.name,
                        problem="unknown_key",
                        count=sum(side.counts[k] for k in unknown),
                        rows=tuple(_unknown_rows(side, unknown, readers)),
                        column=rel.key,
                        detail=self.count.source,
                    )
                )
        self.warnings = sort_warnings(found)

    def _folded(self, tally: Counter[Any]) -> Counter[Any]:
        """The tally on the kept columns and the static parts' results, without the rows
        a static part of the population rules out at every date."""
        index = self.main.index
        pick = getter([index[c] for c in self.kept])
        tests = [compile_condition(part, index, None) for part in self.parts]
        population = self.count.population
        needed = population.conditions if isinstance(population, AllOf) else (population,)
        required = [i for i, part in enumerate(self.parts) if part in needed]
        folded: Counter[Any] = Counter()
        for projection, n in tally.items():
            flags = tuple(test(projection) for test in tests)
            if all(flags[i] for i in required):
                folded[pick(projection) + flags] += n
        return folded

    def related_on(self, context: Context) -> dict[HasRelated, frozenset[Any]]:
        """For each related source, the keys that satisfy it on the context's date."""
        found: dict[HasRelated, frozenset[Any]] = {}
        for rel, side in self.side.items():
            if side.earliest is not None:
                done = self.done[rel]
                found[rel] = frozenset(k for k, day in done.items() if day <= context.as_of)
                continue
            where = compile_condition(rel.where, side.index, context)
            key = side.index[rel.key]
            tally = self.side_tally[rel]
            if rel.covering is None:
                found[rel] = frozenset(p[key] for p in tally if where(p))
                continue
            column, needed = rel.covering
            at = side.index[column]
            held: defaultdict[Any, set[Any]] = defaultdict(set)
            for projection in tally:
                if where(projection):
                    held[projection[key]].add(projection[at])
            found[rel] = frozenset(k for k, values in held.items() if needed <= values)
        return found

    def measure(self, as_of: dt.date, window: Window) -> Measurement:
        context = Context(as_of, window, {})
        context.related.update(self.related_on(context))

        def compiled(condition: Condition) -> Any:
            return compile_condition(condition, self.index, context, self.flags)

        population = compiled(self.count.population)
        numerator_test = compiled(self.count.numerator)
        reasons = [(r, compiled(c)) for r, c in self.count.excluded]
        numerator = denominator = 0
        excluded: Counter[str] = Counter()
        groups: defaultdict[Any, list[int]] = defaultdict(lambda: [0, 0])
        for projection, n in self.tally.items():
            if not population(projection):
                continue
            reason = next((r for r, test in reasons if test(projection)), None)
            if reason is not None:
                excluded[reason] += n
                continue
            counted = numerator_test(projection)
            denominator += n
            numerator += n if counted else 0
            if self.group is not None:
                figures = groups[projection[self.group]]
                figures[1] += n
                figures[0] += n if counted else 0
        breakdown = [
            Group("" if k is None else str(k), num, den) for k, (num, den) in groups.items()
        ]
        return Measurement(
            numerator=numerator,
            denominator=denominator,
            breakdown=sorted(breakdown, key=lambda g: g.key),
            excluded={r: excluded.get(r, 0) for r, _ in self.count.excluded},
            warnings=self.warnings,
            breakdown_by=self.count.group_by,
        )
