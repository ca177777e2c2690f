"""The derivation of one figure, for the person who must defend it.

``explain()`` evaluates one indicator on one date with the engine, exactly as ``evaluate``
does, and then retraces how its figures came about: the window, each filter of the
population with how many records it kept and dropped, what was left out and why, the
numerator, the expected-value line around the date, the score and the status rule. The
retracing reads the records again with the reference (Python) engine, and must land on the
engine's figures: if it did not, that would be a bug, and it is raised as one. What it
finds is a value of ``derivation.py``, which the formats write out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from .backends import Failed, Job
from .backends import python as python_backend
from .backends.python.conditions import compile_condition
from .derivation import Explanation, Step
from .engine import Engine
from .engine.jobs import make_job
from .engine.validation import check_plan, reader_for
from .kinds.counting import AllOf, Condition, Count
from .plan.model import Indicator, Plan
from .scoring import ERROR, segment
from .windows import window_on

__all__ = ["Explanation", "Step", "explain"]


def _retrace(
    plan: Plan, indicator: Indicator, job: Job, count: Count, as_of: dt.date, readers: Any
) -> tuple[int, list[Step], list[tuple[str, Condition, int]], int, int]:
    retraced = python_backend.retrace(job, as_of, plan.start, readers)
    tally, index, context = retraced.tally, retraced.index, retraced.context

    def test(condition: Condition) -> Any:
        return compile_condition(condition, index, context)

    population = count.population
    filters: Sequence[Condition] = (
        population.conditions if isinstance(population, AllOf) else (population,)
    )
    rows = list(tally.items())
    read = sum(n for _, n in rows)
    steps = []
    for condition in filters:
        check = test(condition)
        before = sum(n for _, n in rows)
        rows = [(p, n) for p, n in rows if check(p)]
        kept = sum(n for _, n in rows)
        steps.append(Step(condition, kept, before - kept))
    excluded = []
    for reason, condition in count.excluded:
        check = test(condition)
        out = sum(n for p, n in rows if check(p))
        rows = [(p, n) for p, n in rows if not check(p)]
        excluded.append((reason, condition, out))
    denominator = sum(n for _, n in rows)
    check = test(count.numerator)
    numerator = sum(n for p, n in rows if check(p))
    return read, steps, excluded, denominator, numerator


def explain(
    engine: Engine,
    plan: Plan,
    indicator_id: str,
    as_of: dt.date,
    backend: str = "auto",
    verify_sources: bool = False,
    grid: str | None = None,
) -> Explanation:
    """The derivation of an indicator's figures on a date (KeyError for an unknown id);
    ``verify_sources`` and ``grid`` as for :meth:`Engine.evaluate`."""
    indicator = next((i for i in plan.indicators if i.id == indicator_id), None)
    if indicator is None:
        raise KeyError(indicator_id)
    report = engine.evaluate(
        plan, [as_of], backend=backend, verify_sources=verify_sources, grid=grid
    )
    result = report.latest.indicator(indicator_id)
    registry = engine.registry_for(plan)
    resolved, _ = check_plan(plan, registry, trusted=engine.trusted)
    item = next(r for r in resolved if r.indicator.id == indicator_id)
    indicator = item.indicator  # its direction filled in, as evaluate has it
    window = window_on(item.window, as_of, plan.start)
    line = segment(indicator.baseline, indicator.targets, as_of)
    found = Explanation(
        plan=report.plan,
        indicator=indicator,
        as_of=as_of,
        window=window,
        result=result,
        at_risk=float(plan.scoring.at_risk),
        line=line,
        method=item.kind.description,
        checked_on=report.checked_on,
    )
    if item.kind.count is None or result.status == ERROR:
        return found
    job = make_job(item)
    if isinstance(job, Failed) or job.count is None:
        return found
    count = job.count

    def readers(path: Any) -> Any:
        return reader_for(registry, path)

    read, steps, excluded, denominator, numerator = _retrace(
        plan, indicator, job, count, as_of, readers
    )
    if (numerator, denominator) != (result.numerator, result.denominator):
        raise AssertionError(
            f"explain retraced {numerator}/{denominator}, evaluate gave "
            f"{result.numerator}/{result.denominator}"
        )
    return attrs.evolve(
        found,
        read=read,
        steps=tuple(steps),
        excluded=tuple(excluded),
        numerator=count.numerator,
    )
