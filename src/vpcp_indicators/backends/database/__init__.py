"""Counts sent to the database that holds the records: only the figures come back.

A source whose reader counts (:class:`~vpcp_indicators.sources.CountingReader`: SQLite,
PostgreSQL, Spark, a plugin's) gets one statement for every indicator and date that counts
its records with the same kind's source (:mod:`.statement`): per indicator, a query of
:mod:`~vpcp_indicators.sql` returning a row per (date, group), joined by ``UNION ALL``. A
count that looks into another source of the same database (a
:class:`~vpcp_indicators.HasRelated`) reads it in the same statement. The same statement
counts the rows that break the reading contract, by problem, and the related rows of unknown
keys; only when there are some does a second one number them, for the first rows that a
warning names (:mod:`.faults`). Figures and warnings are those of the Python backend, which
reads the same rows through the reader: a differential test holds the two to it.

Sources with number columns, and counts that look into a source elsewhere, are read as rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from sqlglot import exp

from ...kinds.kind import Source
from ...plan.sourceref import SourceRef
from ...sources import CountingReader, counts_itself
from ...sql.counts import count_sql
from .. import Failed, Job, Outcome, ReaderLookup
from .reading import column_of
from .statement import Statement

__all__ = ["measure", "sendable"]


def sendable(job: Job, readers: ReaderLookup) -> CountingReader | None:
    """The reader that can count ``job`` in its database, if there is one: every source the
    count reads is in that database, and none has number columns."""
    count = job.count
    if count is None:
        return None
    names = [count.source, *(rel.source for rel in count.related())]
    if any(c.type == "number" for name in names for c in job.kind.source(name).columns):
        return None
    ref = job.files[count.source]
    reader = readers(ref)
    if not counts_itself(reader):
        return None
    for name in names[1:]:
        other = job.files[name]
        if readers(other) is not reader or other.target != ref.target:
            return None
    return reader  # type: ignore[return-value]


def measure(
    jobs: Sequence[Job], dates: Sequence[dt.date], plan_start: dt.date, readers: ReaderLookup
) -> tuple[dict[str, list[Outcome]], list[Job]]:
    """Count in their databases the jobs that can be; the outcomes, and the jobs left."""
    outcomes: dict[str, list[Outcome]] = {}
    statements: dict[tuple[SourceRef, Source], Statement] = {}
    rest = []
    for job in jobs:
        reader = sendable(job, readers)
        if reader is None:
            rest.append(job)
            continue
        assert job.count is not None
        ref, source = job.files[job.count.source], job.kind.source(job.count.source)
        try:
            # A count its kind describes wrongly fails its indicator, not the statement.
            count_sql(
                job.count,
                exp.to_table("r"),
                [("", "", "")],
                partial(column_of, source),
                lambda *_: exp.false(),
            )
        except Exception as error:
            failed = Failed.from_exception(error, "counting failed: ")
            outcomes[job.indicator] = [failed] * len(dates)
            continue
        key = (ref, source)
        if key not in statements:
            statements[key] = Statement(ref, source, job.name(job.count.source), reader)
        statements[key].add(job)
    for statement in statements.values():
        outcomes.update(statement.measure(dates, plan_start))
    return outcomes, rest
