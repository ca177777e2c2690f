"""How much the method decides, computed: the plan's and each task's score and status under
each aggregation the engine has, with all weights equal, and with each task left out in turn
(the sensitivity analysis of composite indicators, as COINr does it).

The records are read once; each variant aggregates the same exact indicator scores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..aggregation import AggregationFunction, combine, guarded
from ..plan.model import Plan
from ..scoring import StatusCode
from ..sensitivity import Sensitivity, TaskFigure, Variant, VariantKind
from .assembly import indicator_result, values_by_date
from .validation import ResolvedIndicator

__all__ = ["variants_of"]


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


#: An indicator's exact score and status on the date, by id.
Scored = Mapping[str, tuple[Fraction | None, StatusCode]]


def _variant(
    plan: Plan,
    scored: Scored,
    aggregate: AggregationFunction,
    kind: VariantKind,
    name: str,
    equal: bool = False,
    left_out: str | None = None,
) -> Variant:
    at_risk = plan.scoring.at_risk
    tasks, parts = [], []
    for task in plan.tasks:
        if task.id == left_out:
            continue
        members = [
            (score, Fraction(1) if equal else ind.weight, status)
            for ind in plan.indicators
            if ind.task == task.id
            for score, status in [scored[ind.id]]
        ]
        score, status = combine(members, aggregate, at_risk)
        tasks.append(TaskFigure(task.id, _float(score), status))
        parts.append((score, Fraction(1) if equal else task.weight, status))
    score, status = combine(parts, aggregate, at_risk)
    return Variant(kind, name, equal, left_out, _float(score), status, tuple(tasks))


def variants_of(
    plan: Plan,
    resolved: Sequence[ResolvedIndicator],
    day: dt.date,
    outcomes: Mapping[str, Sequence[Any]],
    aggregations: Mapping[str, Any],
) -> Sensitivity:
    """Every variant of the method on ``day``, from each indicator's outcome on it."""
    scored: dict[str, tuple[Fraction | None, StatusCode]] = {}
    for item in resolved:
        (outcome,) = outcomes[item.indicator.id]
        values = values_by_date(item, [day], [outcome])
        result, score = indicator_result(plan, item, day, outcome, values)
        scored[item.indicator.id] = (score, result.status)
    own = plan.scoring.aggregation
    method = guarded(own, aggregations)
    found = [_variant(plan, scored, method, "plan", own)]
    for name in sorted(aggregations):
        if name != own:
            found.append(_variant(plan, scored, guarded(name, aggregations), "aggregation", name))
    found.append(_variant(plan, scored, method, "equal_weights", own, equal=True))
    for task in plan.tasks:
        found.append(_variant(plan, scored, method, "without_task", own, left_out=task.id))
    return Sensitivity(plan, day, tuple(found))
