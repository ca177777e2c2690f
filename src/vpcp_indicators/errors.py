"""Typed errors of the library.

Every error the library raises on purpose is a :class:`VpcpError`. Each knows the exit status
the command line gives it and renders itself as one line per problem; only ``cli.py`` prints
them.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "DataError",
    "OutputError",
    "PlanError",
    "PluginError",
    "Problem",
    "SourceError",
    "VpcpError",
]


@attrs.frozen
class Problem:
    """One mistake found in a plan or a source, located as precisely as the input allows.

    ``file`` is the path as the user gave it, ``line`` and ``column`` are 1-based, ``key`` is
    the dotted path of the plan key concerned (``indicators[2].task``).
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class VpcpError(Exception):
    """Base of every error vpcp-indicators raises on purpose."""

    exit_code = 2

    def lines(self) -> list[str]:
        """The error as lines a person reads, one per problem."""
        return [str(self)]


class PlanError(VpcpError):
    """A plan is wrong: it cannot be read, or it breaks a rule of the plan format."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class SourceError(PlanError):
    """A record source cannot be used: missing, unreadable, or lacking a column."""

    @classmethod
    def at(cls, file: object, message: str, line: int | None = None) -> SourceError:
        """An error about one source file, optionally at a line."""
        return cls([Problem(message, file=str(file), line=line)])


class DataError(VpcpError):
    """Records had data warnings and the run was asked to be strict about them."""


class OutputError(VpcpError):
    """An output file cannot be written."""


class PluginError(VpcpError):
    """A plugin cannot be used as asked (a format or engine that no plugin provides)."""
