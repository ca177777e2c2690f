"""A count over the tallies of its sources, compiled by :mod:`vpcp_indicators.sql` (DuckDB
is one more dialect of the compiler the databases use) into one query for every date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from ...kinds.counting import (
    Condition,
    Count,
    HasRelated,
    dated_columns,
    statics,
)
from ...measurement import DataWarning, sort_warnings
from ...sql.conditions import Params
from ...sql.counts import count_sql
from ...sql.related import Side, earliest_of, related_test, with_related
from ...windows import iso_spans
from .. import Job, Outcome, measurements
from .run import Run
from .scan import Scan, TallyPlan

__all__ = ["CountQuery", "kept_column"]


def kept_column(scan: Scan, table: str = "t") -> Any:
    """A column the tally keeps, as SQL on the tally aliased ``table``."""
    return lambda name: exp.column(scan.kept(name), table=table)


def _flags(parts: Sequence[Condition], table: str = "t") -> Any:
    """A static part, as the tally's flag of it."""

    def flag(node: Condition) -> exp.Expr | None:
        return exp.column(f"__s{parts.index(node)}", table=table) if node in parts else None

    return flag


class CountQuery:
    """A count job compiled to SQL over the tallies of its sources."""

    def __init__(self, run: Run, job: Job, count: Count):
        self.run = run
        self.job = job
        self.count = count
        self.related = count.related()
        source = job.kind.source(count.source)
        conditions = count.conditions()
        self.statics = statics(*conditions)
        raw = dated_columns(*conditions) | {r.key for r in self.related}
        raw |= {c.name for c in source.columns if c.type == "date"}
        if count.group_by:
            raw.add(count.group_by)
        self.main = run.scan(
            job.files[count.source],
            job.name(count.source),
            source,
            TallyPlan(tuple(sorted(raw)), tuple(self.statics)),
            job.origin,
        )
        self.side: dict[HasRelated, tuple[Scan, list[Condition]]] = {}
        for rel in self.related:
            side_source = job.kind.source(rel.source)
            earliest = earliest_of(rel)
            dates = {c.name for c in side_source.columns if c.type == "date"}
            raw = {rel.key}
            if earliest is not None:
                column, when = earliest
                plan = TallyPlan(tuple(sorted(raw | dates - {column})), (), column, when)
                parts: list[Condition] = []
            else:
                parts = statics(rel.where)
                raw |= dated_columns(rel.where) | dates
                raw |= {rel.covering[0]} if rel.covering else set()
                plan = TallyPlan(tuple(sorted(raw)), tuple(parts))
            scan = run.scan(
                job.files[rel.source],
                job.name(rel.source),
                side_source,
                plan,
                job.origin,
                (self.main, rel, count.source),
            )
            self.side[rel] = (scan, parts)

    def _sides(self) -> list[Side]:
        """The related sources, read from their tallies' kept rows."""
        found = []
        for rel, (scan, parts) in self.side.items():
            rows = exp.select("*").from_(scan.table).where("__p IS NULL").subquery("s")
            firsts = tuple(
                exp.column(f"__first{i}", table="s") for i in range(len(scan.plan.first_when))
            )
            found.append(Side(rel, rows, kept_column(scan, "s"), firsts, _flags(parts, "s")))
        return found

    def sql(self, dates: Sequence[dt.date], plan_start: dt.date) -> tuple[str, Params]:
        """One query for every date: per (date, group), the denominator, the numerator and
        the left-out counts."""
        params = Params()
        days = iso_spans(self.job.window, dates, plan_start)
        sides = self._sides()
        main = exp.select("*").from_(self.main.table).where("__p IS NULL").subquery("t")
        relation = with_related(main, kept_column(self.main, "t"), sides, days, params)
        made = count_sql(
            self.count,
            relation,
            days,
            kept_column(self.main, "c"),
            related_test(sides),
            params=params,
            weight=exp.column("__n", table="c"),
            # The flags of the tally, which other counts may share: one per static part.
            known=_flags(self.main.plan.statics, "c"),
        )
        # DuckDB wants exactly the parameters a statement uses: the dates of a count whose
        # conditions were all worked out in the tally are not.
        used = Params()
        used.values = params.used(made.query)
        return made.sql("duckdb"), used

    def warnings(self) -> list[DataWarning]:
        faults = self.run.faults
        scans = [self.main, *(scan for scan, _ in self.side.values())]
        warnings = []
        for scan in scans:
            warnings += faults.warnings(scan)
        for rel, (scan, _) in self.side.items():
            warnings += faults.unknown(self.main, scan, rel, self.count.source)
        return sort_warnings(warnings)

    def measure(self, dates: Sequence[dt.date], plan_start: dt.date) -> list[Outcome]:
        warnings = self.warnings()
        sql, params = self.sql(dates, plan_start)
        rows = self.run.execute(sql, params).fetchall()
        figures = ((i, g, den, num, left) for i, g, den, num, _, _, _, *left in rows)
        return list(measurements(self.count, figures, len(dates), warnings))
