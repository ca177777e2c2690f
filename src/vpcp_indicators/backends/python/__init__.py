"""The pure-Python backend: the reference for what every count means.

Each file is read once, whatever the number of indicators and dates. A counted source is
reduced, row by row, to a tally of distinct projections (the values of the columns its count
reads); conditions are then evaluated once per distinct projection and date. Memory grows
with the number of distinct projections, not with the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import partial
from typing import Any

import attrs

from ...errors import SourceError
from ...measurement import DataWarning, Measurement, SourceRecord
from ...plan.sourceref import SourceRef
from ...sources import read_rows
from ...sources.checks import WarningTally
from ...windows import Window, window_on
from .. import Failed, Job, Outcome, Progress, ReaderLookup, watched
from .conditions import Context
from .consumers import Consumer, Records, getter
from .counts import CountPlan, Shared

__all__ = ["Retraced", "measure", "retrace"]


def _read(
    files: dict[SourceRef, list[Consumer]], readers: ReaderLookup, progress: Progress | None = None
) -> None:
    """Read each file once, handing every row to each consumer of that file."""
    for path, consumers in files.items():
        wanted: list[str] = []
        for consumer in consumers:
            wanted += [c for c in consumer.columns if c not in wanted]
        rows = read_rows(readers(path), path, wanted)
        if progress is not None:
            rows = watched(rows, consumers[0].name, path.target, progress)
        if len(consumers) == 1 and list(consumers[0].columns) == wanted:
            consumers[0].consume(rows)
            continue
        feeds = [
            (consumer.feeder(), getter([wanted.index(c) for c in consumer.columns]))
            for consumer in consumers
        ]
        for line, values in rows:
            for feed, pick in feeds:
                feed(line, values if isinstance(values, str) else pick(values))


def measure(
    jobs: Sequence[Job],
    dates: Sequence[dt.date],
    plan_start: dt.date,
    readers: ReaderLookup,
    progress: Progress | None = None,
) -> dict[str, list[Outcome]]:
    """Measure every job at every date, reading each file once."""
    shared = Shared()
    counted: list[CountPlan] = []
    computed: list[tuple[Job, dict[str, Records]]] = []
    for job in jobs:
        if job.count is not None:
            counted.append(CountPlan(job, job.count, shared))
            continue
        # An optional source the plan leaves out gives the kind no records.
        records = {}
        for s in job.kind.sources:
            if s.name in job.files:
                file, name = job.files[s.name], job.name(s.name)
                records[s.name] = shared.get(
                    ("records", file, name, s), partial(Records, s, file, name)
                )
        computed.append((job, records))
    _read(shared.files, readers, progress)

    outcomes: dict[str, list[Outcome]] = {}
    for plan in counted:
        try:
            plan.finish(readers)
            outcomes[plan.job.indicator] = [
                plan.measure(day, window_on(plan.job.window, day, plan_start)) for day in dates
            ]
        except SourceError:
            raise
        except Exception as error:  # a faulty description fails its indicator, not the run
            failed = Failed.from_exception(error, "counting failed: ")
            outcomes[plan.job.indicator] = [failed] * len(dates)
        finally:
            # Measured: its folded tally goes, so that memory holds one at a time however
            # many indicators count the file.
            plan.release()
    for job, records in computed:
        outcomes[job.indicator] = [
            _compute(job, records, window_on(job.window, day, plan_start)) for day in dates
        ]
    return outcomes


def _compute(job: Job, records: dict[str, Records], window: Window) -> Outcome:
    assert job.kind.compute is not None
    rows: dict[str, list[dict[str, Any]]] = {s.name: [] for s in job.kind.sources} | {
        # A copy each: the records are shared with other indicators reading the file.
        name: list(consumer.records)
        for name, consumer in records.items()
    }
    warnings = [w for consumer in records.values() for w in consumer.checker.tally.warnings()]
    try:
        result = job.kind.compute(rows, window, job.params)
    except Exception as error:  # a plugin's failure is reported, never fatal
        return Failed.from_exception(error)
    if not isinstance(result, Measurement):
        return Failed(f"compute() returned {type(result).__name__}, not a Measurement")
    wrong = _disagreement(result) or _foreign_flag(result, records)
    if wrong:
        # The plugin's arithmetic, not the plan's: the figure would be defended wrongly.
        return Failed(f"plugin '{job.plugin}', kind '{job.kind.name}': {wrong}")
    # Every other figure of the kind's, as it gave it; its flags become warnings.
    told = [*warnings, *result.warnings, *_flagged(result, records)]
    return attrs.evolve(result, warnings=told, flags=())


def _foreign_flag(result: Measurement, records: Mapping[str, Records]) -> str | None:
    """Why a flag cannot be told: it flags something no source of the job gave."""
    for flag in result.flags:
        source = getattr(flag.record, "source", None)
        if not isinstance(flag.record, SourceRecord) or source not in records:
            return "compute() flagged a record that none of its sources gave"
    return None


def _flagged(result: Measurement, records: Mapping[str, Records]) -> list[DataWarning]:
    """The kind's flags as data warnings, counted and located as the engine's own."""
    tallies: dict[str, WarningTally] = {}
    for flag in result.flags:
        source = flag.record.source
        if source not in tallies:
            tallies[source] = WarningTally(source, records[source].name)
        tallies[source].add(flag.problem, flag.record.row, flag.column, flag.detail)
    return [w for tally in tallies.values() for w in tally.warnings()]


def _disagreement(result: Measurement) -> str | None:
    """Why a measurement's value is not its numerator over its denominator, if it is not."""
    num, den, value = result.numerator, result.denominator, result.value
    if num is None or den is None:
        return None
    expected = Fraction(num, den) if den else None
    if value == expected:
        return None
    shown = "no value" if value is None else f"{float(value):g}"
    return f"compute() gave the value {shown} with numerator {num} and denominator {den}"


@attrs.frozen
class Retraced:
    """A count's tally on a date, for ``explain`` to retrace its figures: each distinct
    projection of the counted rows with how many rows it stands for, the position of each
    column in a projection, and what conditions look at besides the row on that date."""

    tally: Counter[tuple[Any, ...]]
    index: Mapping[str, int]
    context: Context


def retrace(job: Job, as_of: dt.date, plan_start: dt.date, readers: ReaderLookup) -> Retraced:
    """Read a count job's files as :func:`measure` does and return its tally on ``as_of``."""
    assert job.count is not None
    shared = Shared()
    counted = CountPlan(job, job.count, shared)
    _read(shared.files, readers)
    counted.finish(readers)
    context = Context(as_of, window_on(job.window, as_of, plan_start), {})
    context.related.update(counted.related_on(context))
    return Retraced(counted.main.tally(), counted.main.index, context)
