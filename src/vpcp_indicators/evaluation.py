"""Results as values: what an evaluation found, and their JSON form.

A :class:`Report` holds the plan and one :class:`Evaluation` per date. ``Report.to_dict()``
is the JSON contract of ``evaluate --format json``; :func:`report_from_dict` reads it back.
Figures are floats here: the engine computed them exactly and rounded each once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .measurement import DataWarning, Group, frozen_counts
from .milestones import Milestone, milestone_counts
from .organisation import UnitBreakdown
from .plan.jsonform import plan_from_dict, plan_to_dict
from .plan.model import Plan
from .provenance import Provenance
from .scoring import StatusCode, too_few
from .trend import Trend
from .windows import Window

__all__ = ["Evaluation", "IndicatorResult", "Report", "TaskResult", "report_from_dict"]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@attrs.frozen
class IndicatorResult:
    """One indicator on one date: its figures, score and status.

    ``target`` and ``target_by`` are the milestone in force (the first not yet past, else the
    last). ``error`` holds the plugin's message when the status is ``error``.
    ``labelled_by`` is the column the breakdown's groups are values of when the plan labels
    that column (``[labels.<column>]``), else None; the groups keep their codes.
    ``min_denominator`` is the fewest records a share may rest on: the indicator's status is
    ``insufficient_data`` below it (its value then None, its counts kept), and so is a
    breakdown group (:meth:`insufficient`). ``milestones`` are its targets seen from the
    date: met, met late, missed or not yet due; ``trend`` where its trend leads. ``units``
    is the breakdown rolled up the plan's units, when the plan ties it to them.
    """

    id: str
    task: str
    kind: str
    title: str
    unit: str
    value: float | None
    numerator: int | None
    denominator: int | None
    expected: float
    target: float
    target_by: dt.date
    score: float | None
    status: StatusCode
    window: Window
    breakdown: tuple[Group, ...] = ()
    excluded: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_counts)
    warnings: tuple[DataWarning, ...] = ()
    error: str | None = None
    labelled_by: str | None = None
    records: int | None = None
    min_denominator: int = 1
    milestones: tuple[Milestone, ...] = ()
    trend: Trend = attrs.field(factory=Trend)
    units: UnitBreakdown | None = None

    def insufficient(self, group: Group) -> bool:
        """Whether a breakdown group rests on too few records to show its value."""
        return too_few(group.denominator, self.min_denominator)

    def to_dict(self) -> dict[str, Any]:
        """The indicator as it appears in the JSON output; ``labelled_by`` only when the
        plan labels the breakdown's column, ``records`` only when the kind says it,
        ``min_denominator`` (and each group's ``insufficient``) only when it is above 1, and
        ``units`` only when the breakdown rolls up the plan's units."""
        labelled: dict[str, Any] = {}
        if self.labelled_by is not None:
            labelled["labelled_by"] = self.labelled_by
        if self.records is not None:
            labelled["records"] = self.records
        judged = self.min_denominator > 1
        if judged:
            labelled["min_denominator"] = self.min_denominator
        if self.units is not None:
            labelled["units"] = self.units.to_dict(judged)
        return {
            "id": self.id,
            "task": self.task,
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "expected": self.expected,
            "target": self.target,
            "target_by": self.target_by.isoformat(),
            "score": self.score,
            "status": self.status,
            "window": self.window.to_dict(),
            "breakdown": [
                {
                    "group": g.key,
                    "numerator": g.numerator,
                    "denominator": g.denominator,
                    "value": None if self.insufficient(g) else _float(g.value),
                    **({"insufficient": self.insufficient(g)} if judged else {}),
                }
                for g in self.breakdown
            ],
            **labelled,
            "excluded": dict(self.excluded),
            "warnings": [w.to_dict() for w in self.warnings],
            "error": self.error,
            "milestones": [m.to_dict() for m in self.milestones],
            "trend": self.trend.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndicatorResult:
        """The inverse of :meth:`to_dict`."""
        return cls(
            id=data["id"],
            task=data["task"],
            kind=data["kind"],
            title=data["title"],
            unit=data["unit"],
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            expected=data["expected"],
            target=data["target"],
            target_by=dt.date.fromisoformat(data["target_by"]),
            score=data["score"],
            status=data["status"],
            window=Window.from_dict(data["window"]),
            breakdown=tuple(
                Group(g["group"], g["numerator"], g["denominator"])
                if g["numerator"] is not None
                else Group(g["group"], value=g["value"])
                for g in data["breakdown"]
            ),
            records=data.get("records"),
            excluded=data["excluded"],
            warnings=tuple(DataWarning.from_dict(w) for w in data["warnings"]),
            error=data["error"],
            labelled_by=data.get("labelled_by"),
            min_denominator=data.get("min_denominator", 1),
            milestones=tuple(Milestone.from_dict(m) for m in data.get("milestones", ())),
            trend=Trend.from_dict(data.get("trend")),
            units=UnitBreakdown.from_dict(data.get("units")),
        )


def _counts(value: Mapping[str, int] | None) -> Mapping[str, int]:
    """Milestone counts by state, every state given (a report read back from JSON written
    before milestones has none: all 0)."""
    return frozen_counts(milestone_counts(()) | dict(value or {}))


@attrs.frozen
class TaskResult:
    """One task on one date: the aggregate of its indicators, how many of their milestones
    are in each state, and the indicator that holds its score back most (``held_back_by``,
    None when none does), with the points its score would gain were that indicator's score
    100 (``lift``)."""

    id: str
    title: str
    score: float | None
    status: StatusCode
    indicators: tuple[str, ...]
    milestones: Mapping[str, int] = attrs.field(default=None, converter=_counts)
    held_back_by: str | None = None
    lift: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The task as it appears in the JSON output."""
        return {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "status": self.status,
            "indicators": list(self.indicators),
            "milestones": dict(self.milestones),
            "held_back_by": None
            if self.held_back_by is None
            else {"indicator": self.held_back_by, "lift": self.lift},
        }


@attrs.frozen
class Evaluation:
    """The whole plan on one date: its score and status, its tasks and indicators, and how
    many milestones of the plan are in each state."""

    as_of: dt.date
    score: float | None
    status: StatusCode
    tasks: tuple[TaskResult, ...]
    indicators: tuple[IndicatorResult, ...]
    milestones: Mapping[str, int] = attrs.field(default=None, converter=_counts)

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """The result of the indicator with this id (KeyError if there is none)."""
        for result in self.indicators:
            if result.id == indicator_id:
                return result
        raise KeyError(indicator_id)

    def task(self, task_id: str) -> TaskResult:
        """The result of the task with this id (KeyError if there is none)."""
        for result in self.tasks:
            if result.id == task_id:
                return result
        raise KeyError(task_id)

    def to_dict(self) -> dict[str, Any]:
        """The evaluation as it appears in the JSON output."""
        return {
            "as_of": self.as_of.isoformat(),
            "score": self.score,
            "status": self.status,
            "tasks": [t.to_dict() for t in self.tasks],
            "indicators": [i.to_dict() for i in self.indicators],
            "milestones": dict(self.milestones),
        }


@attrs.frozen
class Report:
    """A plan evaluated on one or more dates, in date order: what every format renders.

    ``checked_on`` are the dates the indicators were measured on, the evaluated ones and
    those milestones were judged on (the target dates, and with a ``grid`` every end of a
    month, quarter or year); empty for a report read from JSON written before them.
    ``provenance`` is what the evaluation was made from (None for a report made otherwise).
    ``unit`` is the unit the plan is seen from (``evaluate --unit``; None for the whole
    plan), and ``left_out`` the indicators that no unit's records make, left out then.
    """

    plan: Plan
    evaluations: tuple[Evaluation, ...]
    checked_on: tuple[dt.date, ...] = ()
    grid: str | None = None
    provenance: Provenance | None = None
    unit: str | None = None
    left_out: tuple[str, ...] = ()

    @property
    def latest(self) -> Evaluation:
        """The evaluation at the latest date."""
        return self.evaluations[-1]

    def figures(self) -> dict[str, Any]:
        """The JSON contract without the provenance: what every engine and every kind of
        source gives alike for the same records."""
        found = self.to_dict()
        del found["provenance"]
        return found

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``evaluate --format json``; ``unit`` only when the plan is
        seen from one (the JSON of the whole plan is what it always was)."""
        seen = (
            {}
            if self.unit is None
            else {"unit": {"id": self.unit, "left_out": list(self.left_out)}}
        )
        return {
            "plan": plan_to_dict(self.plan),
            "evaluations": [e.to_dict() for e in self.evaluations],
            "milestone_dates": [day.isoformat() for day in self.checked_on],
            "grid": self.grid,
            **seen,
            "provenance": None if self.provenance is None else self.provenance.to_dict(),
        }


def _held_back(found: Mapping[str, Any] | None) -> tuple[str | None, float | None]:
    return (None, None) if found is None else (found["indicator"], found["lift"])


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """A :class:`Report` from its JSON form (as :meth:`Report.to_dict` made it)."""
    evaluations = []
    for item in data["evaluations"]:
        evaluations.append(
            Evaluation(
                as_of=dt.date.fromisoformat(item["as_of"]),
                score=item["score"],
                status=item["status"],
                tasks=tuple(
                    TaskResult(
                        t["id"],
                        t["title"],
                        t["score"],
                        t["status"],
                        tuple(t["indicators"]),
                        t.get("milestones"),
                        *_held_back(t.get("held_back_by")),
                    )
                    for t in item["tasks"]
                ),
                indicators=tuple(IndicatorResult.from_dict(i) for i in item["indicators"]),
                milestones=item.get("milestones"),
            )
        )
    checked = tuple(dt.date.fromisoformat(day) for day in data.get("milestone_dates", ()))
    found = data.get("provenance")
    provenance = None if found is None else Provenance.from_dict(found)
    seen = data.get("unit") or {}
    return Report(
        plan_from_dict(data["plan"]),
        tuple(evaluations),
        checked,
        data.get("grid"),
        provenance,
        seen.get("id"),
        tuple(seen.get("left_out", ())),
    )
