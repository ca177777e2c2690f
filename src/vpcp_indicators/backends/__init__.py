"""Backends carry out what kinds describe, for every indicator at every evaluation date.

A backend receives :class:`Job` values (an indicator with its resolved kind, parameters,
window and files) and the dates, reads each file once, and returns, per job, one outcome per
date: a :class:`~vpcp_indicators.Measurement`, or a :class:`Failed` when the kind's own code
raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..counting import Count
from ..kinds import Kind
from ..measurement import Measurement
from ..sources import SourceReader

__all__ = ["Failed", "Job", "Outcome", "ReaderLookup"]


@attrs.frozen
class Failed:
    """A kind's code raised: the indicator gets status ``error`` with this message."""

    message: str


Outcome = Measurement | Failed

#: Finds the reader of a file (raises SourceError when none reads it).
ReaderLookup = Callable[[Path], SourceReader]


@attrs.frozen
class Job:
    """One indicator to measure: its kind, resolved parameters, window and source files.

    ``count`` is the kind's description of what it counts, None for a kind that computes
    in Python. ``files`` maps the kind's source names to paths.
    """

    indicator: str
    kind: Kind
    params: Mapping[str, Any]
    window: str
    files: Mapping[str, Path]
    count: Count | None = None
