"""The plan in the JSON output: what a report needs to show it, without local file paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..units import Unit
from .model import Baseline, Breakdown, Indicator, OrgUnit, Plan, Project, Scoring, Target, Task
from .sourceref import SourceRef

__all__ = ["plan_from_dict", "plan_to_dict"]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _plain(value: Any) -> Any:
    """A parameter value as JSON holds it: dates become ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The ``plan`` object of the JSON output; ``labels``, ``units``, ``display_units`` and
    an indicator's ``breakdown`` only when the plan has them, so that the JSON of a plan
    without them is what it always was."""
    found: dict[str, Any] = {
        "id": plan.id,
        "title": plan.title,
        "decision": plan.decision,
        "description": plan.description,
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "language": plan.language,
        "scoring": {
            "at_risk": _number(plan.scoring.at_risk),
            "aggregation": plan.scoring.aggregation,
        },
        "tasks": [
            {
                "id": task.id,
                "title": task.title,
                "description": task.description,
                "weight": _number(task.weight),
                "projects": [{"id": p.id, "title": p.title, "lead": p.lead} for p in task.projects],
            }
            for task in plan.tasks
        ],
        "indicators": [
            {
                "id": ind.id,
                "task": ind.task,
                "kind": ind.kind,
                "title": ind.title,
                "description": ind.description,
                "weight": _number(ind.weight),
                "direction": ind.direction,
                "window": ind.window,
                "baseline": {
                    "on": ind.baseline.on.isoformat(),
                    "value": _number(ind.baseline.value),
                },
                "targets": [
                    {"by": t.by.isoformat(), "value": _number(t.value)} for t in ind.targets
                ],
                "sources": {name: ref.written for name, ref in ind.sources.items()},
                "params": _plain(dict(ind.params)),
                # Only where the plan writes it: other plans' JSON is what it always was.
                **(
                    {"min_denominator": ind.min_denominator}
                    if ind.min_denominator is not None
                    else {}
                ),
                **(
                    {"breakdown": {"column": ind.breakdown.column, "units": ind.breakdown.units}}
                    if ind.breakdown != Breakdown()
                    else {}
                ),
            }
            for ind in plan.indicators
        ],
    }
    if plan.labels:
        found["labels"] = _plain(plan.labels)
    if plan.units:
        found["units"] = [{"id": u.id, "title": u.title, "parent": u.parent} for u in plan.units]
    if plan.display_units:
        found["display_units"] = {
            name: {"label": _plain(unit.label), "decimals": unit.decimals}
            for name, unit in plan.display_units.items()
        }
    return found


def _sources(written: Mapping[str, Any]) -> dict[str, SourceRef]:
    # Paths stay as the plan wrote them: the plan file itself is unknown.
    return {name: SourceRef.written_as(spec, Path()) for name, spec in written.items()}


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """A :class:`Plan` from the ``plan`` object of the JSON output.

    Source paths are kept as the plan wrote them; the plan file itself is unknown.
    """

    def day(text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    return Plan(
        id=data["id"],
        title=data["title"],
        decision=data["decision"],
        description=data["description"],
        start=day(data["start"]),
        end=day(data["end"]),
        language=data.get("language"),
        labels=data.get("labels", {}),
        units=tuple(OrgUnit(u["id"], u["title"], u["parent"]) for u in data.get("units", ())),
        scoring=Scoring(data["scoring"]["at_risk"], data["scoring"]["aggregation"]),
        tasks=tuple(
            Task(
                id=t["id"],
                title=t["title"],
                description=t["description"],
                weight=t["weight"],
                projects=tuple(Project(p["id"], p["title"], p["lead"]) for p in t["projects"]),
            )
            for t in data["tasks"]
        ),
        indicators=tuple(
            Indicator(
                id=i["id"],
                task=i["task"],
                kind=i["kind"],
                title=i["title"],
                description=i["description"],
                weight=i["weight"],
                direction=i["direction"],
                window=i["window"],
                baseline=Baseline(day(i["baseline"]["on"]), i["baseline"]["value"]),
                targets=tuple(Target(day(t["by"]), t["value"]) for t in i["targets"]),
                sources=_sources(i["sources"]),
                source_names={n: ref.name for n, ref in _sources(i["sources"]).items()},
                params=i["params"],
                min_denominator=i.get("min_denominator"),
                breakdown=Breakdown(**i.get("breakdown", {})),
            )
            for i in data["indicators"]
        ),
        display_units={
            name: Unit(name, label=unit["label"], decimals=unit["decimals"])
            for name, unit in data.get("display_units", {}).items()
        },
    )
