"""Indicator kinds as plugins declare them: their sources, parameters and way of counting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .counting import After, Condition, Count, InWindow, OnOrBefore
from .errors import Message, message
from .i18n import N_
from .measurement import Measurement
from .windows import Window

__all__ = ["PARAM_TYPES", "Column", "Kind", "Param", "Record", "Source", "resolve_params"]

#: A validated record handed to a kind that computes in Python: text, date or None per column.
Record = Mapping[str, "str | dt.date | None"]

#: Parameter types, and the Python values each accepts.
PARAM_TYPES = ("text", "texts", "number", "integer", "boolean", "date")


@attrs.frozen
class Column:
    """A column a kind reads. ``type`` is ``text`` or ``date``; a ``required`` column needs a
    value in every row (a row without one is skipped with a data warning)."""

    name: str
    type: str = attrs.field(default="text", validator=attrs.validators.in_(("text", "date")))
    required: bool = True


def _columns(values: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(values)


def _sources(values: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(values)


def _params(values: Iterable[Param]) -> tuple[Param, ...]:
    return tuple(values)


@attrs.frozen
class Source:
    """A record set a kind needs, by the name the plan gives it in ``[indicators.sources]``."""

    name: str
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    description: str = ""

    def column(self, name: str) -> Column:
        """The column of this name (KeyError if the source has none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@attrs.frozen
class Param:
    """A parameter of a kind: its name, type, default and, if limited, its allowed values.

    For ``texts`` (a list of strings), ``choices`` limits each item and ``nonempty`` refuses
    an empty list.
    """

    name: str
    type: str = attrs.field(validator=attrs.validators.in_(PARAM_TYPES))
    default: Any = None
    choices: tuple[Any, ...] | None = None
    nonempty: bool = False
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if self.default is not None:
            problem = self.check(self.default)
            if problem:
                raise ValueError(f"parameter {self.name!r}: default {self.default!r}: {problem}")

    def check(self, value: Any) -> Message | None:
        """Why ``value`` is not acceptable for this parameter, or None if it is."""
        if self.type == "texts":
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                return message("expected an array of strings")
            if self.nonempty and not value:
                return message("expected at least one value")
            items = value
        else:
            if not _is_type(value, self.type):
                return message("expected {type}", type=message(_TYPE_NAMES[self.type]))
            items = [value]
        if self.choices is not None:
            wrong = [v for v in items if v not in self.choices]
            if wrong:
                allowed = ", ".join(repr(c) for c in self.choices)
                return message(
                    "{value} is not allowed (allowed: {allowed})",
                    value=repr(wrong[0]),
                    allowed=allowed,
                )
        return None


_TYPE_NAMES = {
    "text": N_("a string"),
    "number": N_("a number"),
    "integer": N_("an integer"),
    "boolean": N_("true or false"),
    "date": N_("a date"),
}


def _is_type(value: Any, type_: str) -> bool:
    if type_ == "text":
        return isinstance(value, str)
    if type_ == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if type_ == "number":
        return isinstance(value, int | float)
    if type_ == "integer":
        return isinstance(value, int)
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


CountFunction = Callable[[Mapping[str, Any]], Count]
ComputeFunction = Callable[[Mapping[str, Sequence[Record]], Window, Mapping[str, Any]], Measurement]


@attrs.frozen
class Kind:
    """An indicator kind: how a plugin turns records into a :class:`Measurement`.

    Give ``count``, a function of the resolved parameters returning a :class:`Count` (the
    engine then counts, in Python or in a database); or ``compute``, a function of the
    validated records of each source, the window and the parameters, returning a
    :class:`Measurement` (the records are read once and handed over for each date).

    ``windows`` lists the windows the kind supports; ``unit`` is ``ratio`` for shares
    shown as percentages, ``number`` otherwise.
    """

    name: str
    title: str
    sources: tuple[Source, ...] = attrs.field(converter=_sources)
    count: CountFunction | None = None
    compute: ComputeFunction | None = None
    params: tuple[Param, ...] = attrs.field(default=(), converter=_params)
    windows: tuple[str, ...] = ("year", "quarter", "month", "cumulative")
    default_window: str = "year"
    unit: str = "ratio"
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if (self.count is None) == (self.compute is None):
            raise ValueError(f"kind {self.name!r}: give exactly one of count= and compute=")
        if self.default_window not in self.windows:
            raise ValueError(f"kind {self.name!r}: default window not among its windows")

    def source(self, name: str) -> Source:
        """The source of this name (KeyError if the kind has none)."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def check_count(self, count: object) -> str | None:
        """Why a count this kind's ``count()`` returned cannot be carried out, or None.

        Every source and column it reads must be declared, and date tests must read date
        columns: a plugin's slip becomes the indicator's error, not a crash.
        """
        if not isinstance(count, Count):
            return f"count() returned {type(count).__name__}, not a Count"
        group = {count.group_by} if count.group_by else set()
        reads: list[tuple[str, tuple[Condition, ...], set[str]]] = [
            (count.source, count.conditions(), group)
        ]
        reads += [(r.source, (r.where,), r.related_columns()) for r in count.related()]
        names = [s.name for s in self.sources]
        for source_name, conditions, extra in reads:
            if source_name not in names:
                return f"count() reads source '{source_name}', which the kind does not declare"
            source = self.source(source_name)
            columns = {c.name: c for c in source.columns}
            tests = [t for c in conditions for t in c.walk()]
            used = set(extra) | {name for t in tests for name in t.columns()}
            for name in sorted(used - set(columns)):
                return (
                    f"count() reads column '{name}', which source '{source_name}' does not declare"
                )
            for test in tests:
                if isinstance(test, OnOrBefore | After | InWindow) and (
                    columns[test.column].type != "date"
                ):
                    return f"count() compares column '{test.column}' as a date, but it is text"
        return None


def resolve_params(
    params: Iterable[Param], given: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, Message]]]:
    """The parameters with defaults filled in, and ``(name, problem)`` for each bad one."""
    declared = {p.name: p for p in params}
    problems: list[tuple[str, Message]] = []
    for name in given:
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                (name, message("unknown parameter (parameters of this kind: {known})", known=known))
            )
    resolved = {}
    for name, param in declared.items():
        if name in given:
            problem = param.check(given[name])
            if problem:
                problems.append((name, problem))
            resolved[name] = given[name]
        else:
            resolved[name] = param.default
    return resolved, problems
