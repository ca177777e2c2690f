"""From checked indicators to measured outcomes: the one place that makes jobs, for
``evaluate`` and ``explain`` alike, and hands them to a backend."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..backends import Failed, Job, Outcome, Progress
from ..backends import python as python_backend
from ..cache import Cache, sha256_of
from ..errors import DataError
from ..kinds.counting import Count, In
from ..measurement import DataWarning, Measurement, sort_warnings
from ..organisation import NOT_IN_TREE, Tree
from ..plan.model import Plan
from ..plan.sourceref import SourceRef
from ..plugins.registry import Registry
from ..provenance import Hasher
from .validation import ResolvedIndicator, reader_for

__all__ = ["BACKENDS", "make_job", "measure", "origin", "refuse_warnings", "warn_outside"]

#: The engines that carry out counts: ``auto`` takes DuckDB.
BACKENDS = ("auto", "python", "duckdb")

log = logging.getLogger("vpcp_indicators")


def _unread_source(count: Count, files: Mapping[str, SourceRef]) -> str | None:
    """Why a count cannot be made: it reads an optional source the plan does not give."""
    for source in [count.source, *(r.source for r in count.related())]:
        if source not in files:
            return f"count() reads source '{source}', which the plan does not give"
    return None


def origin(registry: Registry, names: Sequence[str]) -> tuple[tuple[str, str | None], ...]:
    """The named plugins and their versions; a directory plugin's version is the SHA-256
    of its file, which changes when it does."""
    found = []
    for name in names:
        info = next((p for p in registry.plugins if p.name == name), None)
        version = info.version if info is not None else None
        if version is None and info is not None and info.origin == "directory" and info.location:
            try:
                version = "sha256:" + sha256_of(Path(info.location))
            except OSError:
                version = None
        found.append((name, version))
    return tuple(found)


def make_job(
    item: ResolvedIndicator, plugin: str = "", versions: tuple[tuple[str, str | None], ...] = ()
) -> Job | Failed:
    """The job that measures a checked indicator, or why its kind's count cannot be made
    (the kind's code raised, or described something it does not declare). ``plugin`` is
    the plugin that provides the kind, ``versions`` its version (see :func:`origin`)."""
    job = Job(
        indicator=item.indicator.id,
        kind=item.kind,
        params=item.params,
        window=item.window,
        files=item.indicator.sources,
        names=item.indicator.source_names,
        plugin=plugin,
        origin=versions,
    )
    if item.kind.count is None:
        return job
    try:
        count = item.kind.count(item.params)
    except Exception as error:  # a plugin's failure is reported, never fatal
        return Failed.from_exception(error)
    wrong = item.kind.check_count(count) or _unread_source(count, job.files)
    if wrong:
        return Failed(wrong)
    return attrs.evolve(job, count=_as_planned(item, count))


def _as_planned(item: ResolvedIndicator, count: Count) -> Count:
    """The kind's count broken down by the plan's column, and confined to one unit's records
    when the plan is seen from that unit."""
    column = item.indicator.breakdown.column
    if column is not None:
        count = attrs.evolve(count, group_by=column)
    if item.confine is not None and item.by_units is not None:
        count = attrs.evolve(
            count, population=count.population & In(item.by_units[1], item.confine)
        )
    return count


def warn_outside(
    plan: Plan,
    resolved: Sequence[ResolvedIndicator],
    outcomes: dict[str, list[Outcome]],
    measured: Sequence[dt.date],
    asked: Collection[dt.date],
) -> None:
    """Add to each measurement of a breakdown tied to the units, on the ``asked`` dates
    (among the ``measured`` ones the outcomes are of), the data warning for its records of
    units the plan's tree does not hold. The dates measured only for milestones and the
    trend show no breakdown, so they warn of nothing."""
    inside = Tree(plan.units).ids()
    for item in resolved:
        if item.by_units is None:
            continue
        source, column = item.by_units
        file = item.indicator.source_names.get(source, source)
        found = outcomes[item.indicator.id]
        for index, outcome in enumerate(found):
            if measured[index] not in asked or not isinstance(outcome, Measurement):
                continue
            records = sum(g.denominator or 0 for g in outcome.breakdown if g.key not in inside)
            if records:
                warning = DataWarning(source, file, NOT_IN_TREE, records, (), column)
                warnings = sort_warnings([*outcome.warnings, warning])
                found[index] = attrs.evolve(outcome, warnings=warnings)


def measure(
    resolved: Sequence[ResolvedIndicator],
    days: Sequence[dt.date],
    plan_start: dt.date,
    registry: Registry,
    *,
    backend: str,
    memory_limit: str | None,
    progress: Progress | None,
    cache: Cache | None = None,
    verify: bool = False,
    hasher: Hasher | None = None,
) -> dict[str, list[Outcome]]:
    """Every indicator's outcome at every date, by the backend chosen. The DuckDB engine
    keeps the files' tallies in ``cache``; the Python engine, the reference, reads every
    file every time."""
    jobs: list[Job] = []
    outcomes: dict[str, list[Outcome]] = {}
    # Per kind, once: a plan of a thousand indicators of one kind hashes its plugin once.
    versions: dict[str, tuple[tuple[str, str | None], ...]] = {}
    for item in resolved:
        names = registry.kind_plugins[item.kind.name]
        plugin = ", ".join(names)
        log.debug("indicator %s: kind %s from plugin %s", item.indicator.id, item.kind.name, plugin)
        if cache is not None and item.kind.name not in versions:
            versions[item.kind.name] = origin(registry, names)
        made = make_job(item, plugin, versions.get(item.kind.name, ()))
        if isinstance(made, Failed):
            outcomes[item.indicator.id] = [made] * len(days)
        else:
            jobs.append(made)

    def readers(ref: SourceRef) -> Any:
        return reader_for(registry, ref)

    if backend == "python":
        outcomes.update(python_backend.measure(jobs, days, plan_start, readers, progress))
    else:
        from ..backends import duckdb as duckdb_backend

        found = duckdb_backend.measure(
            jobs, days, plan_start, readers, memory_limit, progress, cache, verify, hasher
        )
        outcomes.update(found)
    _log_failures(outcomes, days)
    return outcomes


def _log_failures(outcomes: Mapping[str, Sequence[Outcome]], days: Sequence[dt.date]) -> None:
    for indicator, results in outcomes.items():
        traces = set()
        for day, outcome in zip(days, results, strict=True):
            if isinstance(outcome, Failed):
                log.debug("indicator %s on %s: failed: %s", indicator, day, outcome.message)
                if outcome.trace and outcome.trace not in traces:
                    traces.add(outcome.trace)
                    log.debug("%s", outcome.trace.rstrip())


def refuse_warnings(outcomes: Mapping[str, Sequence[Outcome]]) -> None:
    """Under ``strict``, the first data warning is an error. A file's warning is counted
    once, however many dates it was measured on and however many indicators read it."""
    warnings = {
        (w.file, w.problem, w.column, w.detail, w.rows, w.count): w
        for results in outcomes.values()
        for outcome in results
        if isinstance(outcome, Measurement)
        for w in outcome.warnings
    }
    if warnings:
        count = sum(w.count for w in warnings.values())
        first = next(iter(warnings.values()))
        raise DataError(
            "{first} ({count} rows with data warnings; strict)",
            first=first.first_text(),
            count=count,
        )
