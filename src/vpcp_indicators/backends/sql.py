"""Conditions compiled to SQL, for the DuckDB backend.

Every value that comes from a plan reaches SQL as a bound parameter; every column name is
quoted, and checked against the columns the SQL may read. Each compiled condition is a
two-valued boolean (never NULL), so that ``NOT`` means what it means in the Python backend:
a condition on an empty value is false, and its negation true.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from ..counting import (
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
    related: Callable[[HasRelated], str],
) -> str:
    """A SQL boolean expression for ``condition``.

    ``column(name)`` gives the SQL of a column of the counted rows; the evaluation date and
    window are the columns ``d.day``, ``d.wstart`` and ``d.wend``; ``related(rel)`` gives an
    expression true when the row's key is among the keys satisfying ``rel`` on that date.
    """

    def sql(node: Condition) -> str:
        if isinstance(node, Always):
            return "true"
        if isinstance(node, In):
            if not node.values:
                return "false"
            values = params.add(sorted(node.values))
            return f"coalesce(list_contains({values}, {column(node.column)}), false)"
        if isinstance(node, Empty):
            return f"({column(node.column)} IS NULL)"
        if isinstance(node, OnOrBefore):
            return f"coalesce({column(node.column)} <= d.day, false)"
        if isinstance(node, After):
            return f"coalesce({column(node.column)} > d.day, false)"
        if isinstance(node, InWindow):
            return f"coalesce({column(node.column)} BETWEEN d.wstart AND d.wend, false)"
        if isinstance(node, AllOf):
            return (
                "(" + " AND ".join(sql(c) for c in node.conditions) + ")"
                if node.conditions
                else "true"
            )
        if isinstance(node, AnyOf):
            return (
                "(" + " OR ".join(sql(c) for c in node.conditions) + ")"
                if node.conditions
                else "false"
            )
        if isinstance(node, Not):
            return f"(NOT {sql(node.condition)})"
        if isinstance(node, HasRelated):
            return related(node)
        raise TypeError(f"the DuckDB backend cannot run {type(node).__name__}")

    return sql(condition)
