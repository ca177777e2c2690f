"""The DuckDB backend: each kind's count compiled to SQL and run by DuckDB over the files.

Each source of a count is read once (``scan.py``) into a tally table; the count is then
one query over its tallies for all evaluation dates at once: a table of dates and windows is
joined to the tally, and every condition is evaluated per tally row and date. A file reaches
DuckDB through its own reader or, where that reader cannot follow the reading contract, through
the reference reader (``run.py``). Kinds that compute in Python go to the Python
backend. The figures, data warnings included, are those of the Python backend: a differential
test holds the two to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ...cache import Cache
from ...errors import ResourceError, SourceError
from ...provenance import Hasher
from ...spill import spill_folder
from .. import Failed, Job, Outcome, Progress, ReaderLookup, database
from .. import python as python_backend
from .batch import Batch, batches
from .count import CountQuery
from .run import Run

__all__ = ["measure"]


def measure(
    jobs: Sequence[Job],
    dates: Sequence[dt.date],
    plan_start: dt.date,
    readers: ReaderLookup,
    memory_limit: str | None = None,
    progress: Progress | None = None,
    cache: Cache | None = None,
    verify: bool = False,
    hasher: Hasher | None = None,
) -> dict[str, list[Outcome]]:
    """Measure every job at every date: counts in DuckDB, the rest in Python.

    ``memory_limit`` (DuckDB's, like ``"256MB"``) bounds the memory DuckDB takes; None leaves
    DuckDB's default (most of the machine's memory). ``cache`` keeps the files' tallies
    between evaluations (None: every file is read); with ``verify``, a file is known
    unchanged by its content's hash rather than its times. ``hasher`` (``record(path,
    digest)``, ``known(path)``, ``digest(path)``) is told each file's SHA-256 where a pass
    reads every byte of it, or the cache kept it.
    """
    # A database that counts is sent its counts; DuckDB counts the files.
    outcomes, left = database.measure(jobs, dates, plan_start, readers)
    counted = [job for job in left if job.count is not None]
    rest = [job for job in left if job.count is None]
    if rest:
        outcomes.update(python_backend.measure(rest, dates, plan_start, readers, progress))
    if not counted:
        return outcomes
    with spill_folder() as spill:
        run = Run(readers, memory_limit, Path(spill), cache, verify, hasher)
        try:
            queries = []
            for job in counted:
                assert job.count is not None
                queries.append(CountQuery(run, job, job.count))
            run.read_all(progress)
            for batch in batches(queries):
                outcomes.update(_measured(batch, dates, plan_start))
        finally:
            run.close()
    return outcomes


def _measured(
    queries: Sequence[CountQuery], dates: Sequence[dt.date], plan_start: dt.date
) -> dict[str, list[Outcome]]:
    """The outcomes of queries of one shape: as one batch, or each alone when there is one
    or the batch fails (then a faulty description fails its own indicator only, and a batch
    too large for the memory limit is counted a count at a time)."""
    if len(queries) > 1:
        try:
            return Batch(queries).measure(dates, plan_start)
        except SourceError:
            raise
        except Exception:  # each alone, below, says which fails and why
            pass
    found = {}
    for query in queries:
        try:
            found[query.job.indicator] = query.measure(dates, plan_start)
        except (SourceError, ResourceError):
            raise
        except Exception as error:  # a faulty description fails its indicator only
            failed = Failed.from_exception(error, "counting failed: ")
            found[query.job.indicator] = [failed] * len(dates)
    return found
