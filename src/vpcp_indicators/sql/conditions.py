"""Conditions as SQL expressions, two-valued, with a plan's values as bound parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from ..kinds.counting import (
    After,
    AllOf,
    Always,
    AnyOf,
    Condition,
    Empty,
    HasRelated,
    In,
    InWindow,
    Not,
    OnOrBefore,
)

__all__ = ["Params", "condition_sql"]


class Params:
    """The bound parameters of one statement: each value a named placeholder (``p0``, ...),
    which SQLGlot writes in the dialect's style (``$p0``, ``:p0``, ``%(p0)s``). A value bound
    twice is one placeholder."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self._names: dict[tuple[type, Any], str] = {}

    def add(self, value: Any) -> exp.Placeholder:
        """A placeholder bound to ``value``."""
        try:
            key = (type(value), value)
            name = self._names.get(key)
        except TypeError:  # a value that cannot be a key (a dict of options) is bound anew
            key, name = None, None
        if name is None:
            name = f"p{len(self.values)}"
            self.values[name] = value
            if key is not None:
                self._names[key] = name
        return exp.Placeholder(this=name)

    def used(self, tree: exp.Expr) -> dict[str, Any]:
        """The values of the placeholders ``tree`` holds: for a driver that refuses values
        a statement does not use (DuckDB)."""
        return {p.name: self.values[p.name] for p in tree.find_all(exp.Placeholder)}


def _never_null(test: exp.Expr) -> exp.Expr:
    # NULL (an empty value) is false, so that NOT means what it means in Python.
    return exp.Coalesce(this=test, expressions=[exp.false()])


def condition_sql(
    condition: Condition,
    column: Callable[[str], exp.Expr],
    params: Params,
    *,
    day: exp.Expr | None = None,
    window: tuple[exp.Expr, exp.Expr] | None = None,
    related: Callable[[HasRelated], exp.Expr] | None = None,
    known: Callable[[Condition], exp.Expr | None] | None = None,
) -> exp.Expr:
    """A boolean SQL expression, never NULL, for ``condition``.

    ``column(name)`` gives the expression of a column of the counted rows: text, or a date
    (or NULL when the value is empty, or is a date that cannot be read). ``day`` and
    ``window`` (its first and last days) are the evaluation date's expressions, needed by the
    conditions on dates; ``related(node)`` gives the expression of a :class:`HasRelated`;
    ``known(node)`` may give the expression of a part worked out beforehand (a static part
    evaluated once per record, say), or None.
    """

    def sql(node: Condition) -> exp.Expr:
        done = known(node) if known is not None else None
        if done is not None:
            return done.copy()
        if isinstance(node, Always):
            return exp.true()
        if isinstance(node, In):
            if not node.values:
                return exp.false()
            values = [params.add(v) for v in sorted(node.values)]
            return _never_null(exp.In(this=column(node.column), expressions=values))
        if isinstance(node, Empty):
            return exp.Is(this=column(node.column), expression=exp.Null())
        if isinstance(node, AllOf):
            parts = [sql(c) for c in node.conditions]
            return exp.Paren(this=exp.and_(*parts)) if parts else exp.true()
        if isinstance(node, AnyOf):
            parts = [sql(c) for c in node.conditions]
            return exp.Paren(this=exp.or_(*parts)) if parts else exp.false()
        if isinstance(node, Not):
            return exp.Not(this=exp.Paren(this=sql(node.condition)))
        if isinstance(node, HasRelated):
            if related is None:
                raise ValueError("HasRelated needs the related source's keys")
            return related(node)
        return _dated(node, column(getattr(node, "column", "")), day, window)

    return sql(condition)


def _dated(
    node: Condition,
    value: exp.Expr,
    day: exp.Expr | None,
    window: tuple[exp.Expr, exp.Expr] | None,
) -> exp.Expr:
    """A condition on a date column: compared with the evaluation date or window."""
    if isinstance(node, OnOrBefore | After):
        if day is None:
            raise ValueError(f"{type(node).__name__} needs an evaluation date")
        compare = exp.LTE if isinstance(node, OnOrBefore) else exp.GT
        return _never_null(compare(this=value, expression=day))
    if isinstance(node, InWindow):
        if window is None:
            raise ValueError("InWindow needs the window's days")
        start, end = window
        inside = exp.Paren(
            this=exp.and_(
                exp.GTE(this=value, expression=start), exp.LTE(this=value, expression=end)
            )
        )
        return _never_null(inside)
    raise TypeError(f"SQL cannot run {type(node).__name__}")
