"""A count as one SQL query for every evaluation date: a row per (date, group) comes back,
never the records.

The query reads a relation (a table, a query, or a tally) once, joined with a small relation
of the dates, and sums, per date and group, the records of the denominator, of the
numerator, and of each reason to leave records out. Sums of ``CASE`` are used rather than
``count(*) FILTER (WHERE ...)``, which not every engine has; the dates relation is a
``UNION ALL`` of one-row selects, which every engine reads alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
from sqlglot import exp

from ..kinds.counting import Count, HasRelated
from .conditions import Params, condition_sql

__all__ = ["CountSql", "count_sql"]

#: The names of the dates relation's columns: the date's position, the date, the window.
DATES = "d"
DATE_COLUMNS = ("i", "day", "wstart", "wend")


@attrs.frozen
class CountSql:
    """A count's query: its SQL tree, its parameters, and what its columns mean: the date's
    position, the group (when the count has one), the denominator, the numerator, and one
    column per reason to leave records out, in the count's order."""

    query: exp.Select
    params: Params
    grouped: bool
    reasons: tuple[str, ...]

    def sql(self, dialect: str) -> str:
        """The query in a dialect's SQL."""
        return self.query.sql(dialect=dialect)


def _dates(days: Sequence[tuple[Any, Any, Any]], params: Params) -> exp.Expr:
    """The dates as a relation: one select of bound parameters per date, joined by UNION ALL."""
    selects = [
        exp.select(
            *(
                exp.alias_(value, name)
                for value, name in zip(
                    (exp.Literal.number(i), *(params.add(v) for v in day)),
                    DATE_COLUMNS,
                    strict=True,
                )
            )
        )
        for i, day in enumerate(days)
    ]
    union: exp.Expr = selects[0]
    for select in selects[1:]:
        union = exp.union(union, select, distinct=False)
    return exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier(DATES)))


def _sum_of(test: exp.Expr) -> exp.Expr:
    one = exp.Case().when(test, exp.Literal.number(1)).else_(exp.Literal.number(0))
    return exp.Sum(this=one)


def count_sql(
    count: Count,
    relation: exp.Expr,
    days: Sequence[tuple[Any, Any, Any]],
    column: Callable[[str], exp.Expr],
    related: Callable[[HasRelated], exp.Expr] | None = None,
) -> CountSql:
    """The query that carries ``count`` out over ``relation`` (its rows the source's records,
    aliased ``r``) at each of ``days``: ``(day, window start, window end)`` values, bound as
    parameters. ``column(name)`` gives a column of the records as the conditions compare it
    (a date column as a date, or NULL when it cannot be read)."""
    params = Params()
    dates = _dates(days, params)

    def date(name: str) -> exp.Expr:
        return exp.column(name, table=DATES)

    def test(condition: Any) -> exp.Expr:
        return condition_sql(
            condition,
            column,
            params,
            day=date("day"),
            window=(date("wstart"), date("wend")),
            related=related,
        )

    population = test(count.population)
    kept: list[exp.Expr] = [population]
    reasons = []
    for _, condition in count.excluded:
        reason = test(condition)
        reasons.append(_sum_of(exp.and_(*kept, reason)))
        kept.append(exp.Not(this=exp.Paren(this=reason)))
    remaining = exp.and_(*kept)
    numerator = exp.and_(remaining, test(count.numerator))
    outputs: list[exp.Expr] = [exp.alias_(date("i"), "i")]
    keys: list[exp.Expr] = [date("i")]
    if count.group_by is not None:
        outputs.append(exp.alias_(column(count.group_by), "g"))
        keys.append(column(count.group_by))
    outputs += [exp.alias_(_sum_of(remaining), "den"), exp.alias_(_sum_of(numerator), "num")]
    outputs += [exp.alias_(s, f"x{n}") for n, s in enumerate(reasons)]
    query = exp.select(*outputs).from_(relation).join(dates, join_type="cross").group_by(*keys)
    names = tuple(name for name, _ in count.excluded)
    return CountSql(query, params, count.group_by is not None, names)
