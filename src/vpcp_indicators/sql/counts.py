"""A count as one SQL query for every evaluation date: a row per (date, group) comes back,
never the records.

The query reads its relation once. Per group, it sums for each date the records of the
denominator, of the numerator and of each reason to leave records out (sums of ``CASE``,
since ``count(*) FILTER (WHERE ...)`` is not everywhere); the dates are bound parameters
inside those sums. The few aggregated rows are then turned into one row per (date, group) by
a join with the dates' positions (a ``UNION ALL`` of one-row selects, which every engine
reads alike), so that the records are read once, not once per date.

Rows that break the reading contract (a ``problem`` code, see :mod:`.faults`) are counted,
by problem, in the same pass, and left out of every figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
from sqlglot import exp

from ..kinds.counting import Condition, Count, HasRelated
from .conditions import Params, condition_sql
from .related import DateSql

__all__ = ["COLUMNS", "CountSql", "DateSql", "count_sql", "union_all"]

#: The columns of a count's query, then one per reason to leave records out (``x0``...):
#: the date's position, the group (NULL without a breakdown), the denominator, the
#: numerator, and for rows with a problem, its code, its detail and how many rows have it.
COLUMNS = ("i", "g", "den", "num", "p", "b", "n")


@attrs.frozen
class CountSql:
    """A count's query: its SQL tree, its parameters, whether it breaks the figures down,
    and the reasons of its ``x`` columns, in the count's order."""

    query: exp.Select
    params: Params
    grouped: bool
    reasons: tuple[str, ...]

    def sql(self, dialect: str) -> str:
        """The query in a dialect's SQL."""
        return self.query.sql(dialect=dialect)


def _sum_of(test: exp.Expr, weight: exp.Expr | None = None) -> exp.Expr:
    one = weight.copy() if weight is not None else exp.Literal.number(1)
    # copy=False: the builders would copy the tree they build on at every step.
    case = exp.Case().when(test, one, copy=False).else_(exp.Literal.number(0), copy=False)
    return exp.Sum(this=case)


def union_all(parts: Sequence[exp.Expr]) -> exp.Expr:
    """The parts' rows, one after the other (``UNION ALL``)."""
    union = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    return union


def _positions(count: int) -> exp.Expr:
    """The dates' positions as a relation ``u(i)``."""
    selects = [exp.select(exp.alias_(exp.Literal.number(i), "i")) for i in range(count)]
    union = union_all(selects)
    return exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier("u")))


def _figures(
    count: Count,
    test: Callable[[Condition], exp.Expr],
    clean: exp.Expr | None,
    weight: exp.Expr | None,
) -> list[exp.Expr]:
    """One date's sums: the denominator, the numerator, then each reason's left-out rows
    (the first reason that applies)."""
    kept: list[exp.Expr] = [test(count.population)]
    if clean is not None:
        kept.insert(0, clean.copy())
    reasons = []
    for _, condition in count.excluded:
        reason = test(condition)
        reasons.append(_sum_of(exp.and_(*kept, reason), weight))
        kept.append(exp.Not(this=exp.Paren(this=reason.copy())))
    remaining = exp.and_(*kept)
    numerator = exp.and_(remaining.copy(), test(count.numerator))
    return [_sum_of(remaining, weight), _sum_of(numerator, weight), *reasons]


def count_sql(
    count: Count,
    relation: exp.Expr,
    days: Sequence[tuple[Any, Any, Any]],
    column: Callable[[str], exp.Expr],
    related: Callable[[HasRelated, int, DateSql], exp.Expr] | None = None,
    *,
    problem: exp.Expr | None = None,
    bad: exp.Expr | None = None,
    params: Params | None = None,
    weight: exp.Expr | None = None,
    known: Callable[[Condition], exp.Expr | None] | None = None,
    dated: Callable[[Condition, int], exp.Expr | None] | None = None,
    by: exp.Expr | None = None,
) -> CountSql:
    """The query that carries ``count`` out over ``relation`` (its rows the source's records)
    at each of ``days``: ``(day, window start, window end)`` values, bound as parameters.

    ``column(name)`` gives a column of the records as the conditions compare it (a date
    column as a date, or ISO text, and NULL when it cannot be read); ``related(node, i, date)``
    the test of a :class:`HasRelated` on the ``i``-th date; ``known(node)`` the expression of
    a part of a condition worked out beforehand, if it is one. ``problem``, when given, is
    the code of a row's first fault (NULL for a row the count keeps) and ``bad`` its detail.
    ``params`` shares one set of parameters between several queries of one statement.
    ``weight``, when given, is how many records a row of the relation stands for (a tally's
    count). ``dated(node, i)`` may give the expression of a part on the ``i``-th date worked
    out beforehand. ``by``, when given, is one more key the figures are grouped by (the
    count of a batch of counts a row of the relation stands for), given back first, as
    column ``k``.
    """
    params = params if params is not None else Params()
    clean = exp.Is(this=problem.copy(), expression=exp.Null()) if problem is not None else None
    per_date: list[list[exp.Expr]] = []
    for i, day in enumerate(days):
        when: DateSql = (params.add(day[0]), params.add(day[1]), params.add(day[2]))

        def worked_out(node: Condition, i: int = i) -> exp.Expr | None:
            found = known(node) if known is not None else None
            return found if found is not None or dated is None else dated(node, i)

        def test(condition: Condition, i: int = i, when: DateSql = when) -> exp.Expr:
            return condition_sql(
                condition,
                column,
                params,
                day=when[0],
                window=(when[1], when[2]),
                related=(lambda node: related(node, i, when)) if related is not None else None,
                known=worked_out,
            )

        per_date.append(_figures(count, test, clean, weight))
    inner: list[exp.Expr] = []
    keys: list[exp.Expr] = []
    if by is not None:
        inner.append(exp.alias_(by.copy(), "k"))
        keys.append(by.copy())
    if count.group_by is not None:
        group = column(count.group_by)
        if clean is not None:
            group = exp.Case().when(clean.copy(), group, copy=False)
        inner.append(exp.alias_(group, "g"))
        keys.append(group.copy())
    if problem is not None:
        assert bad is not None
        inner += [exp.alias_(problem.copy(), "p"), exp.alias_(bad.copy(), "b")]
        rows = exp.Sum(this=weight.copy()) if weight is not None else exp.Count(this=exp.Star())
        inner.append(exp.alias_(rows, "n"))
        keys += [problem.copy(), bad.copy()]
    for i, sums in enumerate(per_date):
        inner += [
            exp.alias_(s, f"{name}{i}", copy=False)
            for s, name in zip(sums, _names(count), strict=True)
        ]
    wide = exp.select(*inner).from_(relation, copy=False)
    if keys:
        wide = wide.group_by(*keys, copy=False)

    def pick(name: str) -> exp.Expr:
        # Each aggregated row carries every date's figures; the row of date i takes its own.
        case = exp.Case(this=exp.column("i", table="u"))
        for i in range(len(days)):
            case = case.when(exp.Literal.number(i), exp.column(f"{name}{i}", table="w"), copy=False)
        return case

    def w(name: str, present: bool) -> exp.Expr:
        return exp.column(name, table="w") if present else exp.Null()

    grouped, faulty = count.group_by is not None, problem is not None
    outputs = [
        exp.alias_(exp.column("i", table="u"), "i"),
        exp.alias_(w("g", grouped), "g"),
        exp.alias_(pick("den"), "den"),
        exp.alias_(pick("num"), "num"),
        exp.alias_(w("p", faulty), "p"),
        exp.alias_(w("b", faulty), "b"),
        exp.alias_(w("n", faulty) if faulty else exp.Literal.number(0), "n"),
    ]
    outputs += [exp.alias_(pick(f"x{n}_"), f"x{n}") for n in range(len(count.excluded))]
    if by is not None:
        outputs.insert(0, exp.alias_(exp.column("k", table="w"), "k"))
    query = (
        exp.select(*outputs)
        .from_(
            exp.Subquery(this=wide, alias=exp.TableAlias(this=exp.to_identifier("w"))), copy=False
        )
        .join(_positions(len(days)), join_type="cross", copy=False)
    )
    if faulty:
        # A row of faults is the same at every date: it comes back once.
        query = query.where(
            exp.or_(
                exp.Is(this=exp.column("p", table="w"), expression=exp.Null()),
                exp.EQ(this=exp.column("i", table="u"), expression=exp.Literal.number(0)),
            )
        )
    names = tuple(name for name, _ in count.excluded)
    return CountSql(query, params, grouped, names)


def _names(count: Count) -> list[str]:
    return ["den", "num", *(f"x{n}_" for n in range(len(count.excluded)))]
