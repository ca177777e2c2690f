"""Conditions compiled to Python functions of a projected row, for one evaluation date.

A condition is compiled once per date, with the date, window and related keys bound in: the
function then runs once per distinct row of the tally, so it is kept as lean as Python allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

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
from ...windows import Window

__all__ = ["Context", "Test", "compile_condition"]


@attrs.define
class Context:
    """What a condition may look at besides the row: the date, the window, related keys."""

    as_of: dt.date
    window: Window
    related: dict[HasRelated, frozenset[Any]]


Test = Callable[[tuple[Any, ...]], bool]


def _all(tests: list[Test]) -> Test:
    if not tests:
        return lambda row: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        a, b = tests
        return lambda row: a(row) and b(row)
    return lambda row: all(test(row) for test in tests)


def _any(tests: list[Test]) -> Test:
    if not tests:
        return lambda row: False
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        a, b = tests
        return lambda row: a(row) or b(row)
    return lambda row: any(test(row) for test in tests)


def compile_condition(
    condition: Condition,
    index: Mapping[str, int],
    context: Context | None,
    flags: Mapping[Condition, int] | None = None,
) -> Test:
    """A function telling whether a row (projected so that ``index`` gives each column's
    position) satisfies ``condition`` on the context's date. ``flags`` gives the positions of
    parts already evaluated (static parts, worked out once per row instead of once per date);
    a static condition may be compiled without a context."""

    def build(node: Condition) -> Test:
        if flags and node in flags:
            at = flags[node]
            return lambda row: row[at]
        if isinstance(node, Always):
            return lambda row: True
        if isinstance(node, In):
            at, values = index[node.column], node.values
            return lambda row: row[at] in values
        if isinstance(node, Empty):
            at = index[node.column]
            return lambda row: row[at] is None
        if isinstance(node, AllOf):
            return _all([build(c) for c in node.conditions])
        if isinstance(node, AnyOf):
            return _any([build(c) for c in node.conditions])
        if isinstance(node, Not):
            inner = build(node.condition)
            return lambda row: not inner(row)
        if context is None:
            raise ValueError(f"{type(node).__name__} needs an evaluation date")
        if isinstance(node, OnOrBefore):
            at, day = index[node.column], context.as_of
            return lambda row: row[at] is not None and row[at] <= day
        if isinstance(node, After):
            at, day = index[node.column], context.as_of
            return lambda row: row[at] is not None and row[at] > day
        if isinstance(node, InWindow):
            at, start, end = index[node.column], context.window.start, context.window.end
            return lambda row: row[at] is not None and start <= row[at] <= end
        if isinstance(node, HasRelated):
            at, keys = index[node.key], context.related[node]
            return lambda row: row[at] in keys
        raise TypeError(f"the Python backend cannot run {type(node).__name__}")

    return build(condition)
