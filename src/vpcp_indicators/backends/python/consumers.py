"""What the Python backend keeps of each row it reads, for each count that reads the file.

A row that is plainly good (no required value missing, every date already known to be
good) takes the fast path: its text is tallied as it is. Any other row goes through the
reference check (``records.RowChecker``), which reports it or lets it through. Typed values
(dates) are made once per distinct combination, after reading.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from ...kinds.counting import HasRelated, OnOrBefore
from ...kinds.kind import Source
from ...measurement import SourceRecord
from ...plan.sourceref import SourceRef
from ...sources import RowValues
from ...sources.checks import CheckedRow, RowChecker, parse_date
from .loops import Tally, tally_loop

__all__ = ["Consumer", "Projections", "Records", "References", "getter"]


def getter(indexes: Sequence[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function picking the values at ``indexes`` from a row, as a tuple."""
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    pick: Callable[[tuple[Any, ...]], tuple[Any, ...]] = itemgetter(*indexes)
    return pick


class Consumer:
    """Takes the rows of one source for one job."""

    def __init__(self, source: Source, file: SourceRef, name: str):
        self.source = source
        self.file = file
        self.name = name
        self.columns = tuple(c.name for c in source.columns)
        self.checker = RowChecker(source.name, name, source.columns)

    def feeder(self) -> Callable[[int, tuple[str, ...] | str], None]:
        """The function that takes each row as the reader gives it.

        It is a closure over local names, not a method: it runs once per row of the file.
        """
        needed, dated, good, check = self._checks()
        take = self.taker()

        def feed(line: int, values: tuple[str, ...] | str) -> None:
            if (
                isinstance(values, str)
                or "" in needed(values)
                or not good.issuperset(dated(values))
            ):
                if check(line, values) is None:
                    return
                good.update(dated(values))
            take(line, values)  # type: ignore[arg-type]

        return feed

    def consume(self, rows: Iterable[RowValues]) -> None:
        """Take every row of a file this consumer alone reads."""
        feed = self.feeder()
        for line, values in rows:
            feed(line, values)

    def _checks(self) -> tuple[Any, Any, set[str], Any]:
        """What the fast path tests: the required values, the dates, the dates known good."""
        required = [i for i, c in enumerate(self.source.columns) if c.required]
        dates = [i for i, c in enumerate(self.source.columns) if c.type == "date"]
        needed = getter(required) if required else (lambda row: ())
        dated = getter(dates) if dates else (lambda row: ())
        # Date texts known to be good; "" (no value) too, a required one being caught first.
        good: set[str] = {""}
        return needed, dated, good, self.checker.check

    def taker(self) -> Callable[[int, tuple[str, ...]], None]:
        """The function that takes each good row, its values as written."""
        raise NotImplementedError


class Projections(Consumer):
    """Tallies the distinct combinations of the columns a count reads.

    ``keys`` are the columns other sources refer to: every value they hold in a readable row
    is known, even in a row skipped for another fault, so that a reference to it is not
    reported as unknown.
    """

    def __init__(
        self, source: Source, file: SourceRef, name: str, read: Sequence[str], keys: Sequence[str]
    ):
        super().__init__(source, file, name)
        self.read = tuple(read)
        self.index = {column: i for i, column in enumerate(self.read)}
        self._pick = getter([self.columns.index(c) for c in self.read])
        self._key_at = [(k, self.columns.index(k)) for k in keys]
        self.raw: Counter[tuple[str, ...]] = Counter()
        self.known: dict[str, set[str]] = {k: set() for k in keys}
        self._typed: Counter[CheckedRow] | None = None

    def _tally(self) -> Tally:
        """The tally's work on a row, written out for this source's columns (loops.py)."""
        columns = self.source.columns
        return tally_loop(
            required=[i for i, c in enumerate(columns) if c.required],
            dates=[i for i, c in enumerate(columns) if c.type == "date"],
            picked=[self.columns.index(c) for c in self.read],
            keys=[(at, self.known[name]) for name, at in self._key_at],
            raw=self.raw,
            check=self.checker.check,
        )

    def feeder(self) -> Callable[[int, tuple[str, ...] | str], None]:
        # A subclass takes its rows its own way (its taker), through the reference feeder.
        return self._tally().feed if type(self) is Projections else super().feeder()

    def consume(self, rows: Iterable[RowValues]) -> None:
        if type(self) is Projections:
            self._tally().consume(rows)
        else:
            super().consume(rows)

    def taker(self) -> Callable[[int, tuple[str, ...]], None]:
        raw, pick = self.raw, self._pick

        def take(line: int, values: tuple[str, ...]) -> None:
            raw[pick(values)] += 1

        return take

    def tally(self) -> Counter[CheckedRow]:
        """The tally with typed values: dates as dates, no value as None (made once, after
        reading: several indicators may share this consumer)."""
        if self._typed is None:
            self._typed = self._make_tally()
        return self._typed

    def _make_tally(self) -> Counter[CheckedRow]:
        dated = {i for i, c in enumerate(self.read) if self.source.column(c).type == "date"}
        cache: dict[str, dt.date | None] = {}

        def typed(i: int, text: str) -> Any:
            if not text:
                return None
            if i in dated:
                if text not in cache:
                    cache[text] = parse_date(text)
                return cache[text]
            return text

        found: Counter[CheckedRow] = Counter()
        for key, n in self.raw.items():
            found[tuple(typed(i, v) for i, v in enumerate(key))] += n
        return found


def earliest_column(rel: HasRelated) -> str | None:
    """The column when a relation only asks "on or before the date" of it: then each key's
    earliest date per covering value is all that matters."""
    return rel.where.column if isinstance(rel.where, OnOrBefore) else None


class References(Projections):
    """A related source: what its key's values need, and how many rows hold each."""

    def __init__(self, source: Source, file: SourceRef, name: str, rel: HasRelated):
        self.rel = rel
        self.earliest = earliest_column(rel)
        read = sorted(rel.related_columns()) if self.earliest is None else []
        super().__init__(source, file, name, read, ())
        self._key = self.columns.index(rel.key)
        self.counts: Counter[str] = Counter()
        if self.earliest is not None:
            self._date = self.columns.index(self.earliest)
            self._cover = self.columns.index(rel.covering[0]) if rel.covering else None
            self._needed = rel.covering[1] if rel.covering else frozenset()
            self.first: dict[tuple[str, str | None], str] = {}

    def taker(self) -> Callable[[int, tuple[str, ...]], None]:
        counts, at_key = self.counts, self._key
        if self.earliest is None:
            tally = super().taker()

            def take_all(line: int, values: tuple[str, ...]) -> None:
                counts[values[at_key]] += 1
                tally(line, values)

            return take_all
        first, at_date, at_cover, needed = self.first, self._date, self._cover, self._needed

        def take_earliest(line: int, values: tuple[str, ...]) -> None:
            counts[values[at_key]] += 1
            date = values[at_date]
            if not date:
                return
            cover = None
            if at_cover is not None:
                cover = values[at_cover]
                if cover not in needed:
                    return
            key = (values[at_key], cover)
            known = first.get(key)
            if known is None or date < known:
                first[key] = date

        return take_earliest

    def done(self) -> dict[str, dt.date]:
        """Each key's earliest date at which it satisfies the relation (reduced form only)."""
        per_key: defaultdict[str, list[str]] = defaultdict(list)
        for (key, _), date in self.first.items():
            per_key[key].append(date)
        found = {}
        for key, dates in per_key.items():
            if self.rel.covering is None:
                chosen = min(dates)
            elif len(dates) == len(self._needed):
                chosen = max(dates)
            else:
                continue
            day = parse_date(chosen)
            assert day is not None
            found[key] = day
        return found


class Records(Consumer):
    """Keeps every checked record, for kinds that compute in Python.

    Every row goes through the full check: a kind that computes in Python may read number
    columns, which the fast path of counts does not test.
    """

    def __init__(self, source: Source, file: SourceRef, name: str):
        super().__init__(source, file, name)
        self.records: list[SourceRecord] = []

    def feeder(self) -> Callable[[int, tuple[str, ...] | str], None]:
        check, records, columns = self.checker.check, self.records, self.columns
        source = self.source.name

        def feed(line: int, values: tuple[str, ...] | str) -> None:
            row = check(line, values)
            if row is not None:
                record = SourceRecord(zip(columns, row, strict=True))
                record.source, record.row = source, line
                records.append(record)

        return feed
