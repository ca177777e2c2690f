"""Conditions compiled to SQL, for the DuckDB backend.

Every value that comes from a plan reaches SQL as a bound parameter; every column name is
quoted, and checked against the columns the SQL may read. Each compiled condition is a
two-valued boolean (never NULL), so that ``NOT`` means what it means in the Python backend:
a condition on an empty value is false, and its negation true.

A condition splits in two: its *static* parts, which do not depend on the evaluation date
(``In``, ``Empty`` and what is made of them), are evaluated once per file row while the file
is read; the rest is evaluated once per tally row and date.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from ...kinds.counting import (
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

__all__ = ["Params", "compile_sql", "quote"]


def quote(name: str, allowed: Collection[str]) -> str:
    """A column name as a quoted SQL identifier; only names in ``allowed`` are accepted."""
    if name not in allowed:
        raise ValueError(f"column {name!r} is not one the query may read")
    return '"' + name.replace('"', '""') + '"'


class Params:
    """Named parameters of one SQL statement."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        """A placeholder bound to ``value``."""
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def compile_sql(
    condition: Condition,
    column: Callable[[str], str],
    params: Params,
    related: Callable[[HasRelated], str] | None = None,
    static: Callable[[Condition], str | None] | None = None,
) -> str:
    """A SQL boolean expression for ``condition``.

    ``column(name)`` gives the SQL of a column of the counted rows; the evaluation date and
    window are the columns ``d.day``, ``d.wstart`` and ``d.wend``; ``related(rel)`` gives an
    expression true when the row's key is among the keys satisfying ``rel`` on that date;
    ``static(node)`` may give the SQL of a static part computed beforehand.
    """

    def sql(node: Condition) -> str:
        done = static(node) if static is not None else None
        if done is not None:
            return done
        if isinstance(node, Always):
            return "true"
        if isinstance(node, In):
            if not node.values:
                return "false"
            values = ", ".join(params.add(v) for v in sorted(node.values))
            return f"coalesce({column(node.column)} IN ({values}), false)"
        if isinstance(node, Empty):
            return f"({column(node.column)} IS NULL)"
        if isinstance(node, OnOrBefore):
            return f"coalesce({column(node.column)} <= d.day, false)"
        if isinstance(node, After):
            return f"coalesce({column(node.column)} > d.day, false)"
        if isinstance(node, InWindow):
            return f"coalesce({column(node.column)} BETWEEN d.wstart AND d.wend, false)"
        if isinstance(node, AllOf):
            parts = [sql(c) for c in node.conditions]
            return "(" + " AND ".join(parts) + ")" if parts else "true"
        if isinstance(node, AnyOf):
            parts = [sql(c) for c in node.conditions]
            return "(" + " OR ".join(parts) + ")" if parts else "false"
        if isinstance(node, Not):
            return f"(NOT {sql(node.condition)})"
        if isinstance(node, HasRelated) and related is not None:
            return related(node)
        raise TypeError(f"the DuckDB backend cannot run {type(node).__name__} here")

    return sql(condition)
