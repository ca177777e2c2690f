"""The parameters of indicator kinds: declared once by the kind's plugin, checked by the core
against what a plan gives before anything is computed, defaults filled in."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import Message, message
from ..i18n import N_, Text, text
from ..plan.model import exact
from .columns import Column

__all__ = [
    "DEFAULT_FROM",
    "LIST_TYPES",
    "PARAM_TYPES",
    "Param",
    "as_records",
    "params_tuple",
    "resolve_params",
]

#: Parameter types. ``tables`` is an array of inline tables whose keys are ``fields``.
PARAM_TYPES = (
    "text", "texts", "number", "numbers", "integer", "integers", "boolean", "date", "tables",
)  # fmt: skip

#: The list types, and the type of their items.
LIST_TYPES = {"texts": "text", "integers": "integer", "numbers": "number"}

#: What a parameter's default may be taken from instead of a literal: the indicator's own id,
#: or the id of its task.
DEFAULT_FROM = ("indicator", "task")


def params_tuple(values: Iterable[Param]) -> tuple[Param, ...]:
    """Parameters as a tuple (the converter of ``Kind.params``)."""
    return tuple(values)


def _fields(values: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(values)


@attrs.frozen
class Param:
    """A parameter of a kind: its name, type, default and, if limited, its allowed values.

    The core checks a plan's parameters against these declarations before anything is
    computed, and the kind receives every parameter, defaults filled in.

    For ``texts`` (a list of strings), ``choices`` limits each item and ``nonempty`` refuses
    an empty list. ``required`` parameters have no default and must be given.
    ``default_from`` (``indicator`` or ``task``) makes the default the indicator's own id or
    its task's id. For ``tables`` (an array of inline tables, like values written in the
    plan), ``fields`` declares the keys of each table as columns; the kind receives each
    table as a record, with dates as dates and numbers as fractions.
    """

    name: str
    type: str = attrs.field(validator=attrs.validators.in_(PARAM_TYPES))
    default: Any = None
    choices: tuple[Any, ...] | None = None
    nonempty: bool = False
    description: Text = attrs.field(default="", converter=text)
    required: bool = False
    default_from: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(DEFAULT_FROM))
    )
    fields: tuple[Column, ...] = attrs.field(default=(), converter=_fields)

    def __attrs_post_init__(self) -> None:
        if self.required and (self.default is not None or self.default_from is not None):
            raise ValueError(f"parameter {self.name!r}: a required parameter has no default")
        if self.default_from is not None and self.type != "text":
            raise ValueError(f"parameter {self.name!r}: default_from needs type 'text'")
        if (self.type == "tables") != bool(self.fields):
            raise ValueError(f"parameter {self.name!r}: fields= goes with type 'tables' only")
        if self.default is not None:
            problem = self.check(self.default)
            if problem:
                raise ValueError(f"parameter {self.name!r}: default {self.default!r}: {problem}")

    @property
    def item_type(self) -> str | None:
        """The type of each item of a list parameter (``text`` for ``texts``), else None."""
        return LIST_TYPES.get(self.type)

    def check(self, value: Any) -> Message | None:
        """Why ``value`` is not acceptable for this parameter, or None if it is."""
        if self.type == "tables":
            return _check_tables(value, self.fields, self.nonempty)
        if self.type in LIST_TYPES:
            item = LIST_TYPES[self.type]
            if not isinstance(value, list | tuple) or not all(_is_type(v, item) for v in value):
                return message(_ARRAY_NAMES[self.type])
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


_ARRAY_NAMES = {
    "texts": N_("expected an array of strings"),
    "integers": N_("expected an array of integers"),
    "numbers": N_("expected an array of numbers"),
}

_TYPE_NAMES = {
    "text": N_("a string"),
    "number": N_("a number"),
    "integer": N_("an integer"),
    "boolean": N_("true or false"),
    "date": N_("a date"),
}


def _check_tables(value: Any, fields: Sequence[Column], nonempty: bool) -> Message | None:
    if not isinstance(value, list | tuple) or not all(isinstance(v, dict) for v in value):
        return message("expected an array of tables")
    if nonempty and not value:
        return message("expected at least one value")
    names = {f.name: f for f in fields}
    allowed = ", ".join(names)
    for number, table in enumerate(value, start=1):
        for key in table:
            if key not in names:
                return message(
                    "item {number}: unknown key '{key}' (allowed: {allowed})",
                    number=number,
                    key=key,
                    allowed=allowed,
                )
        for field in fields:
            if table.get(field.name) is None:
                if field.required:
                    return message(
                        "item {number}: '{key}' is missing", number=number, key=field.name
                    )
                continue
            if not _is_type(table[field.name], field.type):
                return message(
                    "item {number}: '{key}': expected {type}",
                    number=number,
                    key=field.name,
                    type=message(_TYPE_NAMES[field.type]),
                )
    return None


def as_records(
    tables: Sequence[Mapping[str, Any]], fields: Sequence[Column]
) -> list[dict[str, Any]]:
    """Inline tables as records, like rows read from a file: every field present (None
    when not given), numbers as exact fractions."""
    records: list[dict[str, Any]] = []
    for table in tables:
        record: dict[str, Any] = {}
        for field in fields:
            value = table.get(field.name)
            if field.type == "number" and value is not None:
                value = exact(value)
            record[field.name] = value
        records.append(record)
    return records


def _is_type(value: Any, type_: str) -> bool:
    if type_ == "text":
        return isinstance(value, str)
    if type_ == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if type_ == "number":
        # TOML has nan and inf; no count or share is either.
        return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    if type_ == "integer":
        return isinstance(value, int)
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def resolve_params(
    params: Iterable[Param], given: Mapping[str, Any], defaults: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], list[tuple[str, Message]]]:
    """The parameters with defaults filled in, and ``(name, problem)`` for each bad one.

    ``defaults`` gives what ``default_from`` refers to: ``{"indicator": id, "task": id}``.
    A ``tables`` parameter is resolved to records (see :func:`as_records`).
    """
    declared = {p.name: p for p in params}
    problems: list[tuple[str, Message]] = []
    for name in given:
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                (name, message("unknown parameter (parameters of this kind: {known})", known=known))
            )
    resolved: dict[str, Any] = {}
    for name, param in declared.items():
        if name in given:
            value = given[name]
            problem = param.check(value)
            if problem:
                problems.append((name, problem))
            elif param.type == "tables":
                value = as_records(value, param.fields)
            resolved[name] = value
        elif param.required:
            problems.append((name, message("this kind needs parameter '{name}'", name=name)))
        elif param.default_from is not None:
            resolved[name] = (defaults or {}).get(param.default_from)
        elif param.type == "tables":
            resolved[name] = as_records(param.default or [], param.fields)
        else:
            resolved[name] = param.default
    return resolved, problems
