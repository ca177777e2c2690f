"""Typed errors of the library, and their messages in every language.

Every error the library raises on purpose is a :class:`VpcpError`. Each knows the exit status
the command line gives it and renders itself as one line per problem; only ``cli.py`` prints
them. Messages are written as English templates with named fields (:class:`Message`), so
that they are shown in the user's language, and read in English by ``str()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = [
    "DataError",
    "Message",
    "OutputError",
    "PlanError",
    "PluginError",
    "Problem",
    "ResourceError",
    "SourceError",
    "VpcpError",
]

#: Translates a message id (the English template) into a language.
Translate = Callable[[str], str]


def _frozen(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@attrs.frozen
class Message:
    """A message to show: an English template with ``{name}`` fields, and their values.

    A value may itself be a :class:`Message` (a phrase translated on its own).
    """

    template: str
    args: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen)

    def render(self, translate: Translate | None = None) -> str:
        """The message in a language (English when ``translate`` is None)."""
        text = translate(self.template) if translate else self.template
        values = {
            k: v.render(translate) if isinstance(v, Message) else v for k, v in self.args.items()
        }
        return text.format(**values) if values else text

    def __str__(self) -> str:
        return self.render()


def _as_message(text: Message | str) -> Message:
    return text if isinstance(text, Message) else Message(text)


def message(template: str, **args: Any) -> Message:
    """A :class:`Message` (the template is marked for translation where this is called)."""
    return Message(template, args)


@attrs.frozen
class Problem:
    """One mistake found in a plan or a source, located as precisely as the input allows.

    ``file`` is the path as the user gave it, ``line`` and ``column`` are 1-based, ``key`` is
    the dotted path of the plan key concerned (``indicators[2].task``).
    """

    text: Message = attrs.field(converter=_as_message)
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return str(self.text)

    def render(self, translate: Translate | None = None) -> str:
        """The problem as one line: ``file:line:column: key: message``."""
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.text.render(translate)}"

    def __str__(self) -> str:
        return self.render()


def _translator(translate: Translate | str | None) -> Translate | None:
    if isinstance(translate, str):
        from .i18n import language

        return language(translate).translator()
    return translate


class VpcpError(Exception):
    """Base of every error vpcp-indicators raises on purpose."""

    exit_code = 2

    def __init__(self, text: str | Message = "", **args: Any):
        self.text = text if isinstance(text, Message) else Message(text, args)
        super().__init__(str(self.text))

    def lines(self, translate: Translate | str | None = None) -> list[str]:
        """The error as lines a person reads, one per problem: in English, or in the
        language of a code (``"vi"``, ``"en"``) or of a translating function."""
        return [self.text.render(_translator(translate))]


class PlanError(VpcpError):
    """A plan is wrong: it cannot be read, or it breaks a rule of the plan format."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def lines(self, translate: Translate | str | None = None) -> list[str]:
        translate = _translator(translate)
        return [p.render(translate) for p in self.problems]


class SourceError(PlanError):
    """A record source cannot be used: missing, unreadable, or lacking a column."""

    @classmethod
    def at(cls, file: object, text: str, line: int | None = None, **args: Any) -> SourceError:
        """An error about one source file, optionally at a line."""
        return cls([Problem(Message(text, args), file=str(file), line=line)])


class DataError(VpcpError):
    """Records had data warnings and the run was asked to be strict about them."""


class OutputError(VpcpError):
    """An output file cannot be written."""


class PluginError(VpcpError):
    """A plugin cannot be used as asked (a format or engine that no plugin provides)."""


class ResourceError(VpcpError):
    """The run needs more than it is allowed: DuckDB's memory limit is too small for a file.
    Not the file's fault: the same file reads with more memory."""
