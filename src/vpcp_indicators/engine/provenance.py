"""Gathering an evaluation's provenance (see :mod:`vpcp_indicators.provenance`).

A file's SHA-256 comes, in order of preference, from the pass that already reads each of its
bytes (the byte checks of a CSV file DuckDB reads), from the tally cache (a file the cache
serves is not read: its hash is the one kept with its tally), or else from a pass of its
own: in the cache's writer thread, beside the counts, for a file whose tally is kept, and at
the end of the evaluation for the rest.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..cache import file_state
from ..plan.model import Plan
from ..plan.sourceref import SourceRef
from ..plugins.registry import Registry
from ..provenance import Hasher, PluginFacts, Provenance, SourceFacts
from .jobs import origin
from .validation import ResolvedIndicator

__all__ = ["provenance_of"]


def _engine(backend: str) -> tuple[str, str]:
    if backend == "python":
        return "python", sys.version.split()[0]
    import duckdb

    return "duckdb", duckdb.__version__


def _source(ref: SourceRef, hasher: Hasher) -> SourceFacts:
    if ref.path is None or ref.url is not None:
        return SourceFacts(ref.name)
    state = file_state(ref.path)
    if state is None:
        return SourceFacts(ref.name)
    return SourceFacts(ref.name, state.size, state.mtime_ns, hasher.digest(ref.path))


def _plugins(resolved: Sequence[ResolvedIndicator], registry: Registry) -> tuple[PluginFacts, ...]:
    kinds: dict[str, set[str]] = {}
    for item in resolved:
        for name in registry.kind_plugins.get(item.kind.name, ()):
            kinds.setdefault(name, set()).add(item.kind.name)
    # A directory plugin's version is its file's SHA-256, as the tally cache knows it.
    versions = dict(origin(registry, sorted(kinds)))
    return tuple(
        PluginFacts(name, versions.get(name), tuple(sorted(found)))
        for name, found in sorted(kinds.items())
    )


def provenance_of(
    plan: Plan,
    resolved: Sequence[ResolvedIndicator],
    registry: Registry,
    hasher: Hasher,
    backend: str,
    dates: Sequence[dt.date],
    grid: str | None,
    unit: str | None = None,
) -> Provenance:
    """What an evaluation of ``plan`` on ``dates`` was made from."""
    refs: dict[str, SourceRef] = {}
    for item in resolved:
        for ref in item.indicator.sources.values():
            refs.setdefault(ref.name, ref)
    engine, version = _engine(backend)
    options: dict[str, Any] = {
        "as_of": [day.isoformat() for day in dates],
        "grid": grid,
        "engine": engine,
    }
    # Only when asked: the provenance of a whole plan's evaluation is what it always was.
    if unit is not None:
        options["unit"] = unit
    plan_path = plan.path.resolve() if plan.path is not None else None
    return Provenance(
        version=__version__,
        engine=engine,
        engine_version=version,
        plan_path=None if plan_path is None else str(plan_path),
        plan_sha256=None if plan_path is None else hasher.digest(plan_path),
        sources=tuple(_source(refs[name], hasher) for name in sorted(refs)),
        plugins=_plugins(resolved, registry),
        options=options,
    )
