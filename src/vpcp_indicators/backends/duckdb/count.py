"""A count compiled to one SQL query over the tallies of its sources, for every date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ...kinds.counting import (
    AllOf,
    Always,
    Condition,
    Count,
    HasRelated,
    In,
    OnOrBefore,
    dated_columns,
    is_static,
    statics,
)
from ...measurement import DataWarning, sort_warnings
from ...windows import window_on
from .. import Job, Outcome, measurements
from .run import Run
from .scan import Scan, TallyPlan
from .sql import Params, compile_sql

__all__ = ["CountQuery"]


def _earliest(where: Condition) -> tuple[str, Condition] | None:
    """``(column, static part)`` when ``where`` is "column on or before the date", alone or
    with static conditions: then only the earliest such date per key matters."""
    if isinstance(where, OnOrBefore):
        return where.column, Always()
    if isinstance(where, AllOf):
        dated = [c for c in where.conditions if isinstance(c, OnOrBefore)]
        rest = [c for c in where.conditions if not isinstance(c, OnOrBefore)]
        if len(dated) == 1 and all(is_static(c) for c in rest):
            return dated[0].column, AllOf(rest)
    return None


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
        )
        self.side: dict[HasRelated, tuple[Scan, list[Condition], bool]] = {}
        for rel in self.related:
            side_source = job.kind.source(rel.source)
            earliest = _earliest(rel.where)
            dates = {c.name for c in side_source.columns if c.type == "date"}
            raw = {rel.key} | ({rel.covering[0]} if rel.covering else set())
            if earliest is not None:
                column, when = earliest
                if rel.covering is not None:
                    # Only the covering values can satisfy it: earlier dates of others are moot.
                    when = AllOf((when, In(rel.covering[0], rel.covering[1])))
                plan = TallyPlan(tuple(sorted(raw | dates - {column})), (), column, when)
                parts: list[Condition] = []
            else:
                parts = statics(rel.where)
                raw |= dated_columns(rel.where) | dates
                plan = TallyPlan(tuple(sorted(raw)), tuple(parts))
            scan = run.scan(job.files[rel.source], job.name(rel.source), side_source, plan)
            self.side[rel] = (scan, parts, earliest is not None)

    @staticmethod
    def _columns(scan: Scan) -> Any:
        def column(name: str) -> str:
            sql = f"t.{scan.kept(name)}"
            # try_cast: DuckDB may cast before it filters out the rows with bad dates.
            return f"try_cast({sql} AS DATE)" if scan.source.column(name).type == "date" else sql

        return column

    @staticmethod
    def _flags(parts: Sequence[Condition]) -> Any:
        def flag(node: Condition) -> str | None:
            return f"t.__s{parts.index(node)}" if node in parts else None

        return flag

    @staticmethod
    def _earliest_sql(rel: HasRelated, scan: Scan, params: Params) -> str:
        """SQL of each key's earliest date at which it satisfies ``rel`` (``__done``).

        Without covering values, the earliest date of any of its rows; with them, the latest
        of the earliest dates of each value, for keys that have them all.
        """
        key = scan.kept(rel.key)
        kept = f"FROM {scan.table} t WHERE t.__p IS NULL AND t.__first IS NOT NULL"
        if rel.covering is None:
            return f"SELECT t.{key} AS __key, min(t.__first) AS __done {kept} GROUP BY ALL"
        cover, needed = rel.covering
        wanted = ", ".join(params.add(v) for v in sorted(needed))
        each = (
            f"SELECT t.{key} AS __key, t.{scan.kept(cover)} AS __value, "
            f"min(t.__first) AS __done {kept} AND t.{scan.kept(cover)} IN ({wanted}) "
            "GROUP BY ALL"
        )
        return (
            f"SELECT __key, max(__done) AS __done FROM ({each}) GROUP BY __key "
            f"HAVING count(*) = {params.add(len(needed))}"
        )

    def sql(self, dates: Sequence[dt.date], plan_start: dt.date) -> tuple[str, Params]:
        """One query for every date: per (date, group), the left-out counts, the
        denominator and the numerator."""
        params = Params()
        ctes = [self._dates_sql(dates, plan_start, params)]
        joins: list[str] = []
        names: dict[HasRelated, str] = {}
        for n, rel in enumerate(self.side):
            cte, join, names[rel] = self._related_sql(n, rel, params)
            ctes.append(cte)
            joins.append(join)
        column = self._columns(self.main)
        flag = self._flags(self.statics)

        def cond(condition: Condition) -> str:
            return compile_sql(condition, column, params, names.__getitem__, flag)

        figures = self._figures_sql(cond)
        group = "''"
        if self.count.group_by:
            group = f"coalesce(CAST({column(self.count.group_by)} AS VARCHAR), '')"
        sql = (
            f"WITH {', '.join(ctes)} SELECT d.i, {group} AS __g, {', '.join(figures)} "
            f"FROM {self.main.table} t CROSS JOIN d {' '.join(joins)} "
            "WHERE t.__p IS NULL GROUP BY ALL"
        )
        return sql, params

    def _dates_sql(self, dates: Sequence[dt.date], plan_start: dt.date, params: Params) -> str:
        """The table ``d`` of the evaluation dates and their windows."""
        rows = []
        for i, day in enumerate(dates):
            window = window_on(self.job.window, day, plan_start)
            values = [params.add(v) for v in (i, day, window.start, window.end)]
            rows.append(
                f"({values[0]}::INTEGER, {values[1]}::DATE, {values[2]}::DATE, {values[3]}::DATE)"
            )
        return f"d(i, day, wstart, wend) AS (VALUES {', '.join(rows)})"

    def _related_sql(self, n: int, rel: HasRelated, params: Params) -> tuple[str, str, str]:
        """For a related source: its table of keys that satisfy it (per date, or once with
        the earliest date per key), the join to it, and the test of a counted row."""
        scan, parts, reduced = self.side[rel]
        main_key = f"t.{self.main.kept(rel.key)}"
        if reduced:
            # One date per key, the same at every evaluation date: no join on dates.
            return (
                f"r{n} AS ({self._earliest_sql(rel, scan, params)})",
                f"LEFT JOIN r{n} ON r{n}.__key = {main_key}",
                f"coalesce(try_cast(r{n}.__done AS DATE) <= d.day, false)",
            )
        where = compile_sql(rel.where, self._columns(scan), params, None, self._flags(parts))
        having = ""
        if rel.covering is not None:
            cover, needed = rel.covering
            cover_sql = f"t.{scan.kept(cover)}"
            wanted = ", ".join(params.add(v) for v in sorted(needed))
            where += f" AND coalesce({cover_sql} IN ({wanted}), false)"
            having = f" HAVING count(DISTINCT {cover_sql}) = {params.add(len(needed))}"
        return (
            f"r{n} AS (SELECT d.i AS __i, t.{scan.kept(rel.key)} AS __key FROM {scan.table} t, "
            f"d WHERE t.__p IS NULL AND {where} GROUP BY ALL{having})",
            f"LEFT JOIN r{n} ON r{n}.__i = d.i AND r{n}.__key = {main_key}",
            f"(r{n}.__key IS NOT NULL)",
        )

    def _figures_sql(self, cond: Callable[[Condition], str]) -> list[str]:
        """The sums: rows left out for each reason (the first reason that applies), then the
        denominator and the numerator."""
        population = cond(self.count.population)
        figures = []
        before = "false"
        for n, (_, condition) in enumerate(self.count.excluded):
            test = cond(condition)
            figures.append(
                f"sum(t.__n) FILTER (WHERE {population} AND NOT ({before}) AND {test}) AS __x{n}"
            )
            before = f"{before} OR {test}"
        kept = f"{population} AND NOT ({before})"
        numerator = cond(self.count.numerator)
        figures.append(f"sum(t.__n) FILTER (WHERE {kept}) AS __den")
        figures.append(f"sum(t.__n) FILTER (WHERE {kept} AND {numerator}) AS __num")
        return figures

    def warnings(self) -> list[DataWarning]:
        faults = self.run.faults
        scans = [self.main, *(scan for scan, _, _ in self.side.values())]
        warnings = []
        for scan in scans:
            warnings += faults.warnings(scan)
        for rel, (scan, _, _) in self.side.items():
            warnings += faults.unknown(self.main, scan, rel, self.count.source)
        return sort_warnings(warnings)

    def measure(self, dates: Sequence[dt.date], plan_start: dt.date) -> list[Outcome]:
        warnings = self.warnings()
        sql, params = self.sql(dates, plan_start)
        rows = self.run.execute(sql, params).fetchall()
        figures = ((i, key, den, num, left) for i, key, *left, den, num in rows)
        return list(measurements(self.count, figures, len(dates), warnings))
