"""From outcomes to an evaluation: each indicator scored and its milestones judged, each task
and the plan aggregated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

from ..aggregation import AggregationFunction, combine, guarded, held_back
from ..backends import Failed, Outcome
from ..evaluation import Evaluation, IndicatorResult, TaskResult
from ..measurement import Measurement
from ..milestones import milestone_counts, milestones_on
from ..organisation import Tree, UnitBreakdown, rolled_up
from ..plan.model import Plan
from ..plugins.lifecycle import notify
from ..plugins.sets import PluginSet
from ..scoring import score_indicator, too_few
from ..trend import base_date, trend_on
from ..windows import window_on
from .validation import ResolvedIndicator

__all__ = ["evaluation_on", "evaluations", "indicator_result", "values_by_date"]

#: An indicator's exact value on each date it was measured on (None: no value to judge).
Values = Mapping[dt.date, Fraction | None]


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def values_by_date(
    item: ResolvedIndicator, days: Sequence[dt.date], outcomes: Sequence[Outcome]
) -> dict[dt.date, Fraction | None]:
    """An indicator's values on the dates it was measured on, as milestones judge them: none
    where its plugin failed or its share rests on too few records."""
    found: dict[dt.date, Fraction | None] = {}
    for day, outcome in zip(days, outcomes, strict=True):
        if isinstance(outcome, Measurement) and not too_few(
            outcome.denominator, item.min_denominator
        ):
            found[day] = outcome.value
        else:
            found[day] = None
    return found


def indicator_result(
    plan: Plan,
    item: ResolvedIndicator,
    day: dt.date,
    outcome: Outcome,
    values: Values,
    checked: Collection[dt.date] = (),
) -> tuple[IndicatorResult, Fraction | None]:
    """An indicator's result on a date, with its milestones judged from its ``values`` on
    the ``checked`` dates and its trend from all its ``values``, and its exact score (for the
    aggregations)."""
    ind = item.indicator
    failed = isinstance(outcome, Failed)
    measured = Measurement() if isinstance(outcome, Failed) else outcome
    insufficient = too_few(measured.denominator, item.min_denominator)
    scored = score_indicator(
        measured.value,
        baseline=ind.baseline,
        targets=ind.targets,
        direction=item.direction,
        on=day,
        at_risk=plan.scoring.at_risk,
        failed=failed,
        insufficient=insufficient,
    )
    result = IndicatorResult(
        id=ind.id,
        task=ind.task,
        kind=ind.kind,
        title=ind.title,
        unit=item.unit.name,
        # A share of too few records is not a figure to show: its counts are.
        value=None if insufficient else _as_float(measured.value),
        numerator=measured.numerator,
        denominator=measured.denominator,
        expected=float(scored.expected),
        target=float(scored.target.value),
        target_by=scored.target.by,
        score=_as_float(scored.score),
        status=scored.status,
        window=window_on(item.window, day, plan.start),
        breakdown=measured.breakdown,
        # Only a column the plan labels is told: a plan without labels gives the results,
        # and the JSON, it always gave.
        labelled_by=measured.breakdown_by if measured.breakdown_by in plan.labels else None,
        records=measured.records,
        excluded=measured.excluded,
        warnings=measured.warnings,
        error=outcome.message if isinstance(outcome, Failed) else None,
        min_denominator=item.min_denominator,
        milestones=milestones_on(
            ind.targets, item.direction, {d: values[d] for d in checked if d in values}, day
        ),
        trend=trend_on(ind.targets, item.direction, values, day, base_date(day, values)),
        units=_units(plan, item, measured) if not failed else None,
    )
    return result, scored.score


def _units(plan: Plan, item: ResolvedIndicator, measured: Measurement) -> UnitBreakdown | None:
    """The breakdown rolled up the plan's units, when the plan ties it to them."""
    if item.by_units is None:
        return None
    tree = Tree(plan.units)
    return rolled_up(
        tree, item.by_units[1], measured.breakdown, item.direction, item.min_denominator
    )


def evaluation_on(
    plan: Plan,
    resolved: Sequence[ResolvedIndicator],
    day: dt.date,
    outcomes: Mapping[str, Outcome],
    aggregation: AggregationFunction,
    values: Mapping[str, Values],
    checked: Collection[dt.date],
) -> Evaluation:
    """The plan's evaluation on a date, from each indicator's outcome on it and its values
    on the dates it was measured on (milestones are judged on the ``checked`` ones)."""
    at_risk = plan.scoring.at_risk
    results, parts = [], {}
    for item in resolved:
        found = item.indicator.id
        result, score = indicator_result(plan, item, day, outcomes[found], values[found], checked)
        results.append(result)
        parts[result.id] = (score, item.indicator.weight, result.status)
    tasks, task_parts = [], []
    for task in plan.tasks:
        members = [r.id for r in results if r.task == task.id]
        score, status = combine([parts[m] for m in members], aggregation, at_risk)
        counts = milestone_counts(m for r in results if r.task == task.id for m in r.milestones)
        back = held_back([(m, parts[m][0], parts[m][1]) for m in members], aggregation)
        tasks.append(
            TaskResult(
                task.id,
                task.title,
                _as_float(score),
                status,
                tuple(members),
                counts,
                None if back is None else back[0],
                None if back is None else float(back[1]),
            )
        )
        task_parts.append((score, task.weight, status))
    score, status = combine(task_parts, aggregation, at_risk)
    counts = milestone_counts(m for r in results for m in r.milestones)
    return Evaluation(day, _as_float(score), status, tuple(tasks), tuple(results), counts)


def evaluations(
    plan: Plan,
    resolved: Sequence[ResolvedIndicator],
    days: Sequence[dt.date],
    measured: Sequence[dt.date],
    checked: Sequence[dt.date],
    outcomes: Mapping[str, Sequence[Outcome]],
    plugins: PluginSet,
    watched: set[tuple[str, str]],
) -> list[Evaluation]:
    """The evaluation at each asked date (``days``, among the ``measured`` dates the
    outcomes are of; milestones are judged on the ``checked`` ones), each indicator's result
    told to the observers."""
    aggregation = guarded(plan.scoring.aggregation, plugins.registry.aggregations)
    values = {
        item.indicator.id: values_by_date(item, measured, outcomes[item.indicator.id])
        for item in resolved
    }
    evaluations = []
    for day in days:
        i = measured.index(day)
        on_day = {k: v[i] for k, v in outcomes.items()}
        evaluation = evaluation_on(plan, resolved, day, on_day, aggregation, values, checked)
        for result in evaluation.indicators:
            notify(
                plugins.calling, "indicator_computed", watched, plan=plan, as_of=day, result=result
            )
        evaluations.append(evaluation)
    return evaluations
