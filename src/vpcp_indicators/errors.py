"""Typed errors of the library, and the problems of a plan or a source they carry.

Every error the library raises on purpose is a :class:`VpcpError`. Each knows the exit status
the command line gives it and renders itself as one line per problem, in the reader's
language (see ``messages``); only ``cli/`` prints them. The message names are listed here too,
so that ``from vpcp_indicators.errors import message`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from .messages import (
    LINE_WIDTH,
    VALUE_WIDTH,
    Message,
    Translate,
    as_message,
    message,
    one_line,
    os_reason,
    plural_message,
)

__all__ = [
    "LINE_WIDTH",
    "VALUE_WIDTH",
    "DataError",
    "Message",
    "OutputError",
    "PlanError",
    "PluginError",
    "Problem",
    "ResourceError",
    "Severity",
    "SourceError",
    "VpcpError",
    "message",
    "one_line",
    "os_reason",
    "plural_message",
]

#: How grave a problem is: an error stops an evaluation, a warning does not.
Severity = Literal["error", "warning"]


@attrs.frozen
class Problem:
    """One mistake found in a plan or a source, located as precisely as the input allows.

    ``file`` is the path as the user gave it, ``line`` and ``column`` are 1-based, ``key`` is
    the dotted path of the plan key concerned (``indicators[2].task``). A ``warning`` is not
    a mistake that stops an evaluation, but likely one (a plan turning a kind's direction).
    """

    text: Message = attrs.field(converter=as_message)
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    severity: Severity = "error"

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return str(self.text)

    def render(self, translate: Translate | None = None) -> str:
        """The problem as one line of at most :data:`LINE_WIDTH` characters:
        ``file:line:column: key: message``."""
        return one_line(self.location() + self.text.render(translate), LINE_WIDTH)

    def location(self) -> str:
        """Where the problem is, as the start of its line: ``file:line:column: key: `` (empty
        when nothing is known). The file name and the key are shown on one line and cut."""
        where = ""
        if self.file is not None:
            where = one_line(self.file, VALUE_WIDTH)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        key = f"{one_line(self.key, VALUE_WIDTH)}: " if self.key else ""
        return where + key

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
