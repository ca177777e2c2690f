"""Reading a plan file: TOML in, a :class:`~vpcp_indicators.plan.Plan` or located problems out.

The loader checks everything that can be checked without plugins: the shape of each table,
unknown keys, types, references between tasks and indicators, and the order and range of
target dates. Each key is checked as ``keys.py`` declares it (``checking.py``); this module
and ``indicators.py`` add the rules between keys. What depends on plugins (kinds, their
parameters and sources) is checked by the engine (``engine/validation.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from ..errors import PlanError, Problem
from .checking import Checker, Fields
from .indicators import IndicatorReader, Period
from .keys import PLAN, PROJECT, SCORING, TASK, TOP
from .locations import Path as KeyPath
from .model import Plan, Project, Scoring, Task
from .orgunits import read_units
from .parsing import read_toml

__all__ = ["load_plan", "read_plan"]


def load_plan(path: str | Path) -> Plan:
    """Read and check a plan file; raise :class:`PlanError` listing every problem found."""
    plan, problems = read_plan(path)
    if problems or plan is None:
        raise PlanError(problems)
    return plan


def read_plan(path: str | Path) -> tuple[Plan | None, list[Problem]]:
    """Read a plan file as far as it goes: the plan (None if it cannot be built) and problems.

    When there are problems the plan is a draft, only fit for further checks: a missing
    value has a stand-in, and an indicator is kept as long as its id and kind can be read,
    so that the engine can check its kind, parameters and sources too and every problem is
    reported in one go.
    """
    data, locator, problems = read_toml(path)
    if data is None:
        return None, problems
    check = Checker(locator)
    plan = _PlanReader(check, Path(path)).plan(data)
    return plan, problems + check.problems


class _PlanReader:
    """Turns the parsed TOML into a plan, its problems collected by a :class:`Checker`."""

    def __init__(self, check: Checker, path: Path):
        self.check = check
        self.path = path

    def plan(self, data: dict[str, Any]) -> Plan | None:
        """The plan, a draft if it has problems; None without a ``[plan]`` table."""
        self.check.table((), data, TOP)
        if "plan" not in data:
            return None
        head = self.check.table(("plan",), data["plan"], PLAN)
        if head is None:
            return None
        fields = self.check.fields(("plan",), head, PLAN)
        period = self.period(fields)
        scoring = self.scoring(data.get("scoring", {}))
        tasks = self.tasks(data)
        units = read_units(self.check, data)
        # Units that were written but could not be read are told of as such, not as none.
        declared = bool(units) or bool(data.get("units"))
        indicators = IndicatorReader(self.check, self.path.parent, period, tasks, declared)
        found = indicators.read(data)
        labels = self.check.labels(("labels",), data.get("labels", {}), TOP["labels"])
        return Plan(
            id=fields["id"] or "?",
            title=fields["title"] or "?",
            start=period.start or dt.date.min,
            end=period.end or dt.date.max,
            tasks=tuple(tasks),
            indicators=tuple(found),
            scoring=scoring,
            decision=fields["decision"],
            description=fields["description"],
            plugins_dir=self.path.parent / fields["plugins_dir"] if fields["plugins_dir"] else None,
            language=fields["language"],
            labels=labels,
            units=units,
            path=self.path,
            locator=attrs.evolve(self.check.locator, indicators=indicators.positions),
        )

    def period(self, fields: Fields) -> Period:
        """The plan's first and last day, as far as they are known: an end before the start
        is reported and left unknown."""
        start, end = fields["start"], fields["end"]
        if start and end and end < start:
            self.check.problem(
                ("plan", "end"),
                "the plan ends ({end}) before it starts ({start})",
                end=end,
                start=start,
            )
            end = None
        return Period(start, end)

    def scoring(self, value: Any) -> Scoring:
        """The ``[scoring]`` table; the defaults for what it does not say."""
        table = self.check.table(("scoring",), value, SCORING)
        if table is None:
            return Scoring()
        fields = self.check.fields(("scoring",), table, SCORING)
        return Scoring(at_risk=fields["at_risk"], aggregation=fields["aggregation"])

    def tasks(self, data: dict[str, Any]) -> list[Task]:
        """The tasks whose id and title can be read, each id once."""
        raw = self.check.array_of_tables(data, (), TOP["tasks"])
        if not raw:
            self.check.problem(
                ("tasks",), "a plan needs at least one task ([[tasks]] with id and title)"
            )
        repeats = self.check.unique(("tasks",), raw, TASK.repeated)
        tasks = [self.task(("tasks", index), value) for index, value in enumerate(raw)]
        return [task for index, task in enumerate(tasks) if task and index not in repeats]

    def task(self, path: KeyPath, value: Any) -> Task | None:
        """A task, its projects included (None if its id or title cannot be read)."""
        table = self.check.table(path, value, TASK)
        if table is None:
            return None
        fields = self.check.fields(path, table, TASK)
        projects = self.projects(path, table)
        if not (fields["id"] and fields["title"]):
            return None
        return Task(
            id=fields["id"],
            title=fields["title"],
            weight=fields["weight"],
            projects=tuple(projects),
            description=fields["description"],
        )

    def projects(self, task_path: KeyPath, task: dict[str, Any]) -> list[Project]:
        """The projects of a task whose id and title can be read, each id once."""
        raw = self.check.array_of_tables(task, task_path, TASK["projects"])
        path = (*task_path, "projects")
        repeats = self.check.unique(path, raw, PROJECT.repeated)
        projects = [self.project((*path, index), value) for index, value in enumerate(raw)]
        return [p for index, p in enumerate(projects) if p and index not in repeats]

    def project(self, path: KeyPath, value: Any) -> Project | None:
        """A project (None if its id or title cannot be read)."""
        table = self.check.table(path, value, PROJECT)
        if table is None:
            return None
        fields = self.check.fields(path, table, PROJECT)
        if not (fields["id"] and fields["title"]):
            return None
        return Project(fields["id"], fields["title"], fields["lead"])
