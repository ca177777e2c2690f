"""Counts that differ only in the values of their plans, run as one query: a batch.

A province plan holds many indicators of one kind over one file, each with its own
parameters (issuers, channels...). Their counts read the same tally and have the same shape:
the same conditions, but for which static parts they test, and each static part is a flag of
the tally (``__s{k}``, see ``scan.py``). A batch reduces the tally once more, to what that
shape reads (the group, each test on a date at each evaluation date, the flags its counts
use), and runs the shape once over that relation crossed with a row per count (the places
of its flags): one query for the batch, not one per count, and a relation of a few hundred
rows whatever the size of the file.

Counts that look into another source are not batched: each is a query of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import Any, cast

import attrs
from sqlglot import exp

from ...kinds.counting import After, Condition, InWindow, OnOrBefore
from ...sql.conditions import Params, condition_sql
from ...sql.counts import count_sql
from ...windows import iso_spans
from .. import Outcome, measurements
from .count import CountQuery, kept_column

__all__ = ["Batch", "batches", "shape_of"]

#: The tests on a date: worked out in the batch's relation for each evaluation date.
_DATED = (InWindow, OnOrBefore, After)


def shape_of(query: CountQuery) -> Hashable | None:
    """What a query has in common with those it may share a batch with: its tally, its
    window, and its count with each static part replaced by its place among the count's
    static parts. None when it is not batched (it looks into another source)."""
    if query.related:
        return None
    slots = {part: n for n, part in enumerate(query.statics)}

    def key(node: Condition) -> Hashable:
        if node in slots:
            return ("slot", slots[node])
        values: list[Hashable] = []
        # Every condition is an attrs class: its fields are what tells two apart.
        for field in attrs.fields(cast(Any, type(node))):
            value = getattr(node, field.name)
            if isinstance(value, Condition):
                value = key(value)
            elif isinstance(value, tuple) and all(isinstance(v, Condition) for v in value):
                value = tuple(key(v) for v in value)
            values.append(value)
        return type(node), tuple(values)

    count = query.count
    excluded = tuple((name, key(condition)) for name, condition in count.excluded)
    return (
        query.main,
        query.job.window,
        count.source,
        count.group_by,
        key(count.population),
        key(count.numerator),
        excluded,
    )


def batches(queries: Sequence[CountQuery]) -> list[list[CountQuery]]:
    """The queries in batches of one shape, in the order of their first query."""
    found: dict[Hashable, list[CountQuery]] = {}
    for n, query in enumerate(queries):
        shape = shape_of(query)
        found.setdefault(("alone", n) if shape is None else shape, []).append(query)
    return list(found.values())


class Batch:
    """Queries of one shape (:func:`shape_of`), run as one."""

    def __init__(self, queries: Sequence[CountQuery]):
        self.queries = list(queries)
        template = self.queries[0]
        self.template = template
        self.scan = template.main
        tallied = self.scan.plan.statics
        #: Each count's flags of the tally, one per static part, in the count's order.
        self.flags = [[tallied.index(part) for part in q.statics] for q in self.queries]
        #: The tally's flags the batch reads, each with its place (from 1) in ``__flags``.
        used = sorted({flag for flags in self.flags for flag in flags})
        self.places = {flag: n + 1 for n, flag in enumerate(used)}
        conditions = template.count.conditions()
        self.dated = list(
            dict.fromkeys(node for c in conditions for node in c.walk() if isinstance(node, _DATED))
        )

    def _reduced(self, days: Sequence[tuple[str, str, str]], params: Params) -> exp.Select:
        """The kept rows of the tally summed by what the shape reads: the group, each dated
        test at each date (``__d{j}_{i}``), the flags (``__flags``)."""
        column = kept_column(self.scan, "t")
        keys: list[tuple[exp.Expr, str]] = []
        group_by = self.template.count.group_by
        if group_by is not None:
            keys.append((column(group_by), self.scan.kept(group_by)))
        for j, node in enumerate(self.dated):
            for i, (day, start, end) in enumerate(days):
                test = condition_sql(
                    node,
                    column,
                    params,
                    day=params.add(day),
                    window=(params.add(start), params.add(end)),
                )
                keys.append((test, f"__d{j}_{i}"))
        flags = [exp.column(f"__s{flag}", table="t") for flag in self.places]
        select = exp.select(*(exp.alias_(k, name) for k, name in keys))
        if flags:
            listed = exp.Anonymous(this="list_value", expressions=[f.copy() for f in flags])
            select = select.select(exp.alias_(listed, "__flags"))
        weight = exp.Sum(this=exp.column("__n", table="t"))
        select = select.select(exp.alias_(weight, "__n"))
        rows = exp.select("*").from_(self.scan.table).where("__p IS NULL").subquery("t")
        select = select.from_(rows)
        grouped = [k.copy() for k, _ in keys] + flags
        return select.group_by(*grouped) if grouped else select

    def _counts(self) -> exp.Expr:
        """A row per count: its position in the batch (``__id``) and the place in
        ``__flags`` of each of its static parts (``__slot{n}``)."""
        rows = [(n, *(self.places[flag] for flag in flags)) for n, flags in enumerate(self.flags)]
        names = ["__id", *(f"__slot{n}" for n in range(len(self.template.statics)))]
        return exp.values(rows, alias="k", columns=names)

    def sql(self, dates: Sequence[dt.date], plan_start: dt.date) -> tuple[str, Params]:
        """One query for every count of the batch and every date, its rows led by the
        count's position in the batch."""
        params = Params()
        days = iso_spans(self.template.job.window, dates, plan_start)
        relation = (
            exp.select("*")
            .from_(self._reduced(days, params).subquery("p"))
            .join(self._counts(), join_type="cross")
            .subquery("c")
        )
        slots = {part: n for n, part in enumerate(self.template.statics)}
        flags = exp.column("__flags", table="c")

        def known(node: Condition) -> exp.Expr | None:
            if node not in slots:
                return None
            place = exp.column(f"__slot{slots[node]}", table="c")
            return exp.Anonymous(this="list_extract", expressions=[flags.copy(), place])

        def dated(node: Condition, i: int) -> exp.Expr | None:
            if node not in self.dated:
                return None
            return exp.column(f"__d{self.dated.index(node)}_{i}", table="c")

        made = count_sql(
            self.template.count,
            relation,
            days,
            kept_column(self.scan, "c"),
            params=params,
            weight=exp.column("__n", table="c"),
            known=known,
            dated=dated,
            by=exp.column("__id", table="c"),
        )
        used = Params()
        used.values = params.used(made.query)
        return made.sql("duckdb"), used

    def measure(self, dates: Sequence[dt.date], plan_start: dt.date) -> dict[str, list[Outcome]]:
        """Each count's outcomes at each date."""
        sql, params = self.sql(dates, plan_start)
        rows = self.template.run.execute(sql, params).fetchall()
        figures: list[list[tuple[Any, ...]]] = [[] for _ in self.queries]
        for k, i, g, den, num, _, _, _, *left in rows:
            figures[int(k)].append((i, g, den, num, left))
        return {
            query.job.indicator: list(
                measurements(query.count, figures[n], len(dates), query.warnings())
            )
            for n, query in enumerate(self.queries)
        }
