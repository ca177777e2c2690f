"""The checks of a plan's keys, made from their declarations (``keys.py``): the shape of each
table, unknown and missing keys, and the type, allowed values and bounds of each value.

A :class:`Checker` collects every problem, located, instead of stopping at the first; what it
refuses it reports and replaces (by the key's default, or None), so that the reading goes on
and the plan's other problems are found in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..errors import Message, Problem, message
from ..i18n import N_, Text
from .keys import SCALARS, Key, Table
from .locations import KeyLocator
from .locations import Path as KeyPath
from .parsing import LARGEST, Unfit

__all__ = ["Checker", "Fields", "shown", "type_name"]

#: The types a value of a table may be of, as opposed to a table or an array of tables.


@attrs.frozen
class Fields:
    """The values of the declared scalar keys of one table, once checked.

    A key that is missing, or whose value was refused, holds its declared default (None if
    it has none); ``refused`` names the keys whose value was refused.
    """

    values: Mapping[str, Any]
    refused: frozenset[str]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


class _Refused:
    """Stands for a value that was refused (and reported)."""


_REFUSED = _Refused()


class Checker:
    """Checks the tables and values of a plan against their declarations; collects the
    problems, each located at its key."""

    def __init__(self, locator: KeyLocator):
        self.locator = locator
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, template: str, **args: Any) -> None:
        """Report a problem at a key of the plan."""
        self.problems.append(self.locator.problem(path, message(template, **args)))

    def table(self, path: KeyPath, value: Any, declared: Table) -> dict[str, Any] | None:
        """The value as a table (None if it is not one), its unknown and missing keys
        reported."""
        if not isinstance(value, dict):
            self.problem(path, "expected a table, found {found}", found=type_name(value))
            return None
        allowed = ", ".join(sorted(declared.names))
        for key in sorted(set(value) - declared.names):
            self.problem((*path, key), "unknown key (allowed: {allowed})", allowed=allowed)
        for key in declared.required:
            if key not in value:
                self.problem(path, "missing required key '{key}'", key=key)
        return value

    def fields(self, path: KeyPath, table: Mapping[str, Any], declared: Table) -> Fields:
        """The declared scalar keys of a table, each checked, in the order declared."""
        values: dict[str, Any] = {}
        refused = set()
        for key in declared:
            if key.type not in SCALARS:
                continue
            value = self.scalar(path, table, key)
            if value is _REFUSED:
                refused.add(key.name)
            values[key.name] = key.default if value is None or value is _REFUSED else value
        return Fields(values, frozenset(refused))

    def scalar(self, path: KeyPath, table: Mapping[str, Any], key: Key) -> Any:
        """The value of a key as declared; None if it is missing, ``_REFUSED`` if it is not
        what the key holds."""
        if key.name not in table:
            return None
        where, value = (*path, key.name), table[key.name]
        if key.type == "date":
            return self.date(where, value)
        if key.type == "number":
            return self.number(where, value, key)
        if key.type == "integer":
            if isinstance(value, float):
                found = shown(value)
                self.problem(where, "expected a whole number, found {found}", found=found)
                return _REFUSED
            return self.number(where, value, key)
        if key.type == "boolean":
            if not isinstance(value, bool):
                self.problem(where, "expected true or false, found {found}", found=type_name(value))
                return _REFUSED
            return value
        return self.text(where, value, key)

    def text(self, where: KeyPath, value: Any, key: Key) -> Any:
        """A non-empty string, one of the key's choices if it has any."""
        if not isinstance(value, str) or not value.strip():
            found = type_name(value)
            self.problem(where, "expected a non-empty string, found {found}", found=found)
            return _REFUSED
        if key.choices and value not in key.choices:
            known, choices = ", ".join(key.choices), _either(key.choices)
            self.problem(where, key.refusal, found=value, known=known, choices=choices)
            return _REFUSED
        return value

    def date(self, where: KeyPath, value: Any) -> Any:
        """A TOML date (not a date-time, and not a date written as a string)."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        found = type_name(value)
        if isinstance(value, str):
            hint = N_("expected a date, found {found} (write it unquoted, like 2012-12-31)")
            self.problem(where, hint, found=found)
        else:
            self.problem(where, "expected a date, found {found}", found=found)
        return _REFUSED

    def number(self, where: KeyPath, value: Any, key: Key) -> Any:
        """A number within the key's bounds."""
        if isinstance(value, Unfit) or (isinstance(value, int) and abs(value) > LARGEST):
            return _REFUSED  # reported when the file was read: not finite, or beyond a float
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, "expected a number, found {found}", found=type_name(value))
            return _REFUSED
        if key.above is not None and value <= key.above:
            template = N_("must be greater than {limit}, found {value}")
            self.problem(where, template, limit=key.above, value=shown(value))
            return _REFUSED
        low, high = key.minimum, key.maximum
        if low is not None and high is not None and not low <= value <= high:
            template = N_("must be between {low} and {high}, found {value}")
            self.problem(where, template, low=low, high=high, value=shown(value))
            return _REFUSED
        return value

    def array_of_tables(self, data: Mapping[str, Any], path: KeyPath, key: Key) -> list[Any]:
        """The items of an array of tables (none if the key is missing or not an array)."""
        value = data.get(key.name, [])
        if not isinstance(value, list):
            where, found = (*path, key.name), type_name(value)
            self.problem(where, "expected an array of tables, found {found}", found=found)
            return []
        return value

    def unique(self, path: KeyPath, items: Sequence[Any], repeated: str) -> set[int]:
        """Report each id used a second time in an array of tables; return the indexes of
        the repeats."""
        seen: set[str] = set()
        repeats = set()
        for index, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                self.problem((*path, index, "id"), repeated, id=item_id)
                repeats.add(index)
            seen.add(item_id)
        return repeats

    def any_table(self, path: KeyPath, raw: Any) -> dict[str, Any]:
        """A table of anything (checked by whatever reads it); an empty one if it is not a
        table."""
        if isinstance(raw, dict):
            return raw
        self.problem(path, "expected a table, found {found}", found=type_name(raw))
        return {}

    def labels(self, path: KeyPath, raw: Any, key: Key) -> dict[str, dict[str, Text]]:
        """Names for the codes of columns: a table per column, each code's label a non-empty
        string or a table of them by language (``key.table`` declares the languages). A
        label that cannot be read is left out."""
        found: dict[str, dict[str, Text]] = {}
        for column, codes in self.any_table(path, raw).items():
            if not isinstance(codes, dict):
                template = N_("expected a table of labels by code, found {found}")
                self.problem((*path, column), template, found=type_name(codes))
                continue
            read = {code: self.label((*path, column, code), v, key) for code, v in codes.items()}
            found[column] = {code: label for code, label in read.items() if label is not None}
        return found

    def label(self, where: KeyPath, value: Any, key: Key) -> Text | None:
        """A label: a non-empty string, or a table of them by language, at least one."""
        if not isinstance(value, dict):
            text = self.text(where, value, key)
            return None if text is _REFUSED else text
        assert key.table is not None
        table = self.table(where, value, key.table)
        fields = self.fields(where, table or {}, key.table)
        if not value:
            languages = ", ".join(k.name for k in key.table)
            template = N_("a label needs a text in at least one language ({languages})")
            self.problem(where, template, languages=languages)
        # In the order the plan wrote them: the first one given is the last fallback.
        words = {code: fields[code] for code in value if code in key.table.names}
        return {code: text for code, text in words.items() if text} or None


def _either(choices: Sequence[str]) -> Message:
    """The allowed values as a phrase: ``'up' or 'down'``."""
    quoted = [f"'{choice}'" for choice in choices]
    if len(quoted) == 1:
        return message("{name}", name=quoted[0])
    return message("{some} or {last}", some=", ".join(quoted[:-1]), last=quoted[-1])


def shown(number: float | int) -> str:
    """A number of the plan as a message shows it: a long integer in short form."""
    if isinstance(number, int) and abs(number) >= 10**15:
        return f"{float(number):g}"
    return str(number)


def type_name(value: Any) -> Message:
    """What a TOML value is, as a phrase of a message."""
    if isinstance(value, bool):
        return message("a boolean")
    if isinstance(value, str):
        if value.strip():
            return message("the string {text!r}", text=value)
        return message("an empty string")
    if isinstance(value, dt.datetime):
        return message("a date-time")
    if isinstance(value, int):
        return message("an integer")
    if isinstance(value, float | Unfit):
        return message("a number")
    if isinstance(value, dt.date):
        return message("a date")
    if isinstance(value, dt.time):
        return message("a time")
    if isinstance(value, list):
        return message("an array")
    if isinstance(value, dict):
        return message("a table")
    return message("{name}", name=type(value).__name__)
