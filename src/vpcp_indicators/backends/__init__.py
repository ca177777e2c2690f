"""Backends carry out what kinds describe, for every indicator at every evaluation date.

A backend receives :class:`Job` values (an indicator with its resolved kind, parameters,
window and files) and the dates, reads each file once, and returns, per job, one outcome per
date: a :class:`~vpcp_indicators.Measurement`, or a :class:`Failed` when the kind's own code
raised.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..kinds.counting import Count
from ..kinds.kind import Kind
from ..measurement import DataWarning, Group, Measurement
from ..plan.sourceref import SourceRef
from ..sources import RowValues, SourceReader

__all__ = ["Failed", "Job", "Outcome", "Progress", "ReaderLookup", "measurements", "watched"]


@attrs.frozen
class Failed:
    """A kind's code raised: the indicator gets status ``error`` with this message.

    ``trace`` is the traceback, shown with ``--debug`` to the plugin's developer.
    """

    message: str
    trace: str = attrs.field(default="", eq=False, repr=False)

    @classmethod
    def from_exception(cls, error: BaseException, prefix: str = "") -> Failed:
        """The failure of a plugin that raised ``error``."""
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return cls(f"{prefix}{type(error).__name__}: {error}", trace)


Outcome = Measurement | Failed

#: Finds the reader of a source (raises SourceError when none reads it).
ReaderLookup = Callable[[SourceRef], SourceReader]

#: Told now and then while a file is read: its name, the share done, the records read.
Progress = Callable[[str, "float | None", "int | None"], None]


@attrs.frozen
class Job:
    """One indicator to measure: its kind, resolved parameters, window and source files.

    ``count`` is the kind's description of what it counts, None for a kind that computes
    in Python. ``files`` maps the kind's source names to where their records are; ``names``
    to the names that warnings give them (the plan's own spelling, so that outputs do not
    depend on where the command ran).
    """

    indicator: str
    kind: Kind
    params: Mapping[str, Any]
    window: str
    files: Mapping[str, SourceRef]
    names: Mapping[str, str] = attrs.field(factory=dict)
    count: Count | None = None
    #: The plugin that provides the kind, for the messages that blame it.
    plugin: str = ""
    #: The plugins that provide the kind and their versions (a directory plugin's: the
    #: SHA-256 of its file), for what is kept of its counts in the cache.
    origin: tuple[tuple[str, str | None], ...] = ()

    def name(self, source: str) -> str:
        """How warnings name a source's file."""
        return self.names.get(source) or str(self.files[source])


#: A count's figures for one date and group, as a query gives them: the date's position, the
#: group, the denominator, the numerator, and the rows left out for each reason (None: 0).
Figures = tuple[int, "str | None", "int | None", "int | None", "Sequence[int | None]"]


def measurements(
    count: Count, figures: Iterable[Figures], dates: int, warnings: Sequence[DataWarning]
) -> list[Measurement]:
    """One measurement per date of a count, summing its figures by date."""
    reasons = [r for r, _ in count.excluded]
    numerators, denominators = [0] * dates, [0] * dates
    excluded = [[0] * len(reasons) for _ in range(dates)]
    groups: list[list[Group]] = [[] for _ in range(dates)]
    for i, key, den, num, left in figures:
        den, num = int(den or 0), int(num or 0)
        numerators[i] += num
        denominators[i] += den
        for n in range(len(reasons)):
            excluded[i][n] += int(left[n] or 0)
        if den and count.group_by:
            groups[i].append(Group("" if key is None else str(key), num, den))
    return [
        Measurement(
            numerator=numerators[i],
            denominator=denominators[i],
            breakdown=sorted(groups[i], key=lambda g: g.key),
            excluded=dict(zip(reasons, excluded[i], strict=True)),
            warnings=warnings,
            breakdown_by=count.group_by,
        )
        for i in range(dates)
    ]


def _estimate(path: Path | str) -> float:
    """About how many lines a file has, from the length of its first ones (none known for a
    database)."""
    if not isinstance(path, Path):
        return 0.0
    try:
        size = path.stat().st_size
        with open(path, "rb") as stream:
            head = stream.read(1 << 20)
    except OSError:
        return 0.0
    return size / max(len(head) / max(head.count(b"\n"), 1), 1.0)


def watched(
    rows: Iterator[RowValues], name: str, path: Path | str, progress: Progress
) -> Iterator[RowValues]:
    """The rows of a file, telling ``progress`` every so many."""
    total = _estimate(path)
    count = 0
    progress(name, 0.0, 0)
    for count, row in enumerate(rows, start=1):
        if not count & 0xFFFF:
            progress(name, min(count / total, 0.99) if total else None, count)
        yield row
    progress(name, 1.0, count)
