"""Conditions compiled to Python functions of a projected row and an evaluation context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

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
from ..windows import Window

__all__ = ["Context", "Test", "compile_condition"]


@attrs.define
class Context:
    """What a condition may look at besides the row: the date, the window, related keys."""

    as_of: dt.date
    window: Window
    related: dict[HasRelated, frozenset[Any]]


Test = Callable[[tuple[Any, ...], Context], bool]


def compile_condition(condition: Condition, index: Mapping[str, int]) -> Test:
    """A function telling whether a row (projected so that ``index`` gives each column's
    position) satisfies ``condition`` in a context."""
    if isinstance(condition, Always):
        return lambda row, ctx: True
    if isinstance(condition, In):
        at, values = index[condition.column], condition.values
        return lambda row, ctx: row[at] in values
    if isinstance(condition, Empty):
        at = index[condition.column]
        return lambda row, ctx: row[at] is None
    if isinstance(condition, OnOrBefore):
        at = index[condition.column]
        return lambda row, ctx: row[at] is not None and row[at] <= ctx.as_of
    if isinstance(condition, After):
        at = index[condition.column]
        return lambda row, ctx: row[at] is not None and row[at] > ctx.as_of
    if isinstance(condition, InWindow):
        at = index[condition.column]
        return lambda row, ctx: (
            row[at] is not None and ctx.window.start <= row[at] <= ctx.window.end
        )
    if isinstance(condition, AllOf):
        tests = [compile_condition(c, index) for c in condition.conditions]
        return lambda row, ctx: all(test(row, ctx) for test in tests)
    if isinstance(condition, AnyOf):
        tests = [compile_condition(c, index) for c in condition.conditions]
        return lambda row, ctx: any(test(row, ctx) for test in tests)
    if isinstance(condition, Not):
        inner = compile_condition(condition.condition, index)
        return lambda row, ctx: not inner(row, ctx)
    if isinstance(condition, HasRelated):
        at, rel = index[condition.key], condition
        return lambda row, ctx: row[at] in ctx.related[rel]
    raise TypeError(f"the Python backend cannot run {type(condition).__name__}")
