"""A :class:`~vpcp_indicators.kinds.counting.HasRelated` test in SQL: the keys of a related
source that satisfy it, as a relation to join the counted rows to.

Two forms, as in the reference:

- *reduced*, when the related rows qualify from a date on ("on or before the evaluation
  date", with static conditions): each key's earliest qualifying date, once for every
  evaluation date (``__key``, ``__done``); a counted row is related on a date when its key's
  date is on or before it. A source's tally can then keep, per key, only its earliest
  date of each part of the test, and not the columns the test reads;
- *per date* otherwise: the keys whose rows satisfy the test on that date (``__key``).

With covering values (every one of them must be held), a key qualifies once it holds each:
in the reduced form, from the latest of the earliest dates of each value (each value is a
part of the test).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
from sqlglot import exp

from ..kinds.counting import AllOf, Always, Condition, HasRelated, In, OnOrBefore, is_static
from .conditions import Params, condition_sql

#: A date's expressions in a query: the day, and its window's first and last days.
DateSql = tuple[exp.Expr, exp.Expr, exp.Expr]

__all__ = ["Side", "earliest_of", "earliest_sql", "keys_sql", "related_test", "with_related"]


def earliest_of(rel: HasRelated) -> tuple[str, tuple[Condition, ...]] | None:
    """``(date column, static parts)`` when the related rows qualify from a date on: the test
    is "column on or before the date", alone or with static conditions, so only the earliest
    such date per key matters. One static part per date to find: with covering values, one
    per value (its rows only), for a key qualifies once it holds each; else the one test."""
    where = rel.where
    found: tuple[str, Condition] | None = None
    if isinstance(where, OnOrBefore):
        found = where.column, Always()
    elif isinstance(where, AllOf):
        dated = [c for c in where.conditions if isinstance(c, OnOrBefore)]
        rest = [c for c in where.conditions if not isinstance(c, OnOrBefore)]
        if len(dated) == 1 and all(is_static(c) for c in rest):
            found = dated[0].column, AllOf(tuple(rest))
    if found is None:
        return None
    column, when = found
    if rel.covering is None:
        return column, (when,)
    cover, values = rel.covering
    return column, tuple(AllOf((when, In(cover, frozenset({v})))) for v in sorted(values))


def _later(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """The later of two dates, neither NULL (``GREATEST`` treats NULL apart per engine)."""
    return exp.Case().when(exp.GTE(this=a, expression=b), a.copy()).else_(b.copy())


def earliest_sql(rows: exp.Expr, key: exp.Expr, firsts: Sequence[exp.Expr]) -> exp.Select:
    """Each key's earliest date at which it satisfies its test, as ``(__key, __done)``.

    ``rows`` are the related source's kept rows; each of ``firsts`` a row's date when the
    row qualifies from it for one part of the test (NULL when it never does). A key's date is
    the latest of the earliest dates of each part, for keys that hold every part.
    """
    if len(firsts) == 1:
        first = firsts[0]
        qualified = exp.Not(this=exp.Is(this=first.copy(), expression=exp.Null()))
        return (
            exp.select(
                exp.alias_(key.copy(), "__key"), exp.alias_(exp.Min(this=first.copy()), "__done")
            )
            .from_(rows)
            .where(qualified)
            .group_by(key.copy())
        )
    each = exp.select(exp.alias_(key.copy(), "__key")).from_(rows).group_by(key.copy())
    for n, first in enumerate(firsts):
        each = each.select(exp.alias_(exp.Min(this=first.copy()), f"__d{n}"))
    parts: list[exp.Expr] = [exp.column(f"__d{n}", table="e") for n in range(len(firsts))]
    done = parts[0]
    for part in parts[1:]:
        done = _later(done, part)
    held = exp.and_(*(exp.Not(this=exp.Is(this=p.copy(), expression=exp.Null())) for p in parts))
    return (
        exp.select(exp.column("__key", table="e"), exp.alias_(done, "__done"))
        .from_(each.subquery("e"))
        .where(held)
    )


def _wanted(rel: HasRelated, params: Params) -> list[exp.Expr]:
    assert rel.covering is not None
    return [params.add(v) for v in sorted(rel.covering[1])]


def keys_sql(
    rel: HasRelated,
    rows: exp.Expr,
    key: exp.Expr,
    where: exp.Expr,
    cover: exp.Expr | None,
    params: Params,
) -> exp.Select:
    """The keys whose rows satisfy ``rel`` on one date, as ``__key``: ``where`` is the test
    of a row on that date; with covering values, only keys whose rows hold them all."""
    test = where
    if rel.covering is not None:
        assert cover is not None
        held = exp.In(this=cover.copy(), expressions=_wanted(rel, params))
        test = exp.and_(where, exp.Coalesce(this=held, expressions=[exp.false()]))
    keys = exp.select(exp.alias_(key.copy(), "__key")).from_(rows).where(test)
    keys = keys.group_by(key.copy())
    if rel.covering is not None:
        assert cover is not None
        distinct = exp.Count(this=exp.Distinct(expressions=[cover.copy()]))
        keys = keys.having(exp.EQ(this=distinct, expression=params.add(len(rel.covering[1]))))
    return keys


@attrs.frozen
class Side:
    """A related source as a count's query reads it: ``rows`` its records that the count
    keeps (a relation aliased ``s``), ``column(name)`` a column of them, and in the reduced
    form ``firsts``, a row's date when it qualifies from that date on for each part of the
    test (:func:`earliest_of`; NULL when it never does). ``known(node)`` may give a static
    part worked out beforehand."""

    rel: HasRelated
    rows: exp.Expr
    column: Callable[[str], exp.Expr]
    firsts: tuple[exp.Expr, ...] = ()
    known: Callable[[Condition], exp.Expr | None] | None = None

    @property
    def reduced(self) -> bool:
        """Whether the keys qualify from a date on (one relation for every date)."""
        return bool(self.firsts)

    def joined(self, days: Sequence[tuple[str, str, str]], params: Params) -> list[exp.Select]:
        """The relations of the keys that qualify: one in the reduced form, else one per
        date."""
        rel = self.rel
        key = self.column(rel.key)
        if self.reduced:
            return [earliest_sql(self.rows.copy(), key, self.firsts)]
        cover = self.column(rel.covering[0]) if rel.covering is not None else None
        found = []
        for day, start, end in days:
            where = condition_sql(
                rel.where,
                self.column,
                params,
                day=params.add(day),
                window=(params.add(start), params.add(end)),
                known=self.known,
            )
            found.append(keys_sql(rel, self.rows.copy(), key, where, cover, params))
        return found


def with_related(
    relation: exp.Expr,
    key: Callable[[str], exp.Expr],
    sides: Sequence[Side],
    days: Sequence[tuple[str, str, str]],
    params: Params,
) -> exp.Expr:
    """``relation`` (aliased ``t``; ``key(name)`` its columns) with, for each side ``n``, the
    date its key qualifies from (``__r{n}``) or, per date ``i``, the key if it qualifies
    then (``__r{n}_{i}``): a left join per relation of keys, aliased ``c``."""
    query = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("t"))).from_(relation)
    for n, side in enumerate(sides):
        for i, keys in enumerate(side.joined(days, params)):
            alias = f"r{n}" if side.reduced else f"r{n}_{i}"
            found = exp.column("__done" if side.reduced else "__key", table=alias)
            query = query.select(exp.alias_(found, f"__{alias}"))
            query = query.join(
                keys.subquery(alias),
                on=exp.EQ(this=exp.column("__key", table=alias), expression=key(side.rel.key)),
                join_type="left",
            )
    return query.subquery("c")


def related_test(sides: Sequence[Side]) -> Callable[[HasRelated, int, DateSql], exp.Expr]:
    """The test of a :class:`HasRelated` on the ``i``-th date, on :func:`with_related`'s
    relation ``c``."""
    index = {side.rel: n for n, side in enumerate(sides)}

    def test(rel: HasRelated, i: int, when: DateSql) -> exp.Expr:
        n = index[rel]
        if sides[n].reduced:
            done = exp.LTE(this=exp.column(f"__r{n}", table="c"), expression=when[0].copy())
            return exp.Coalesce(this=done, expressions=[exp.false()])
        found = exp.column(f"__r{n}_{i}", table="c")
        return exp.Not(this=exp.Is(this=found, expression=exp.Null()))

    return test
