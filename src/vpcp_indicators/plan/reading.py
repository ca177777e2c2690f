"""Reading a plan file: TOML in, a :class:`~vpcp_indicators.plan.Plan` or located problems out.

The loader checks everything that can be checked without plugins: the shape of each table,
unknown keys, types, references between tasks and indicators, and the order and range of
target dates. What depends on plugins (kinds, their parameters and sources) is checked by the
engine (``validation.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from ..errors import Message, PlanError, Problem, message
from ..i18n import LANGUAGES, N_
from ..units import UNITS
from ..windows import WINDOWS
from .locations import KeyLocator
from .locations import Path as KeyPath
from .model import DIRECTIONS, Baseline, Indicator, Plan, Project, Scoring, Target, Task
from .parsing import LARGEST, Unfit, read_toml

__all__ = ["load_plan", "read_plan"]

_PLAN_KEYS = {
    "id", "title", "decision", "description", "start", "end", "plugins_dir", "language",
}  # fmt: skip
_TOP_KEYS = {"plan", "scoring", "tasks", "indicators"}
_SCORING_KEYS = {"at_risk", "aggregation"}
_TASK_KEYS = {"id", "title", "weight", "description", "projects"}
_PROJECT_KEYS = {"id", "title", "lead", "description"}
_INDICATOR_KEYS = {
    "id", "task", "kind", "title", "description", "weight", "direction", "baseline",
    "targets", "window", "sources", "params", "unit",
}  # fmt: skip
_REPEATED = {
    "task": N_("task id '{id}' is already used"),
    "project": N_("project id '{id}' is already used"),
    "indicator": N_("indicator id '{id}' is already used"),
}


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
    reader = _Reader(locator, Path(path))
    plan = reader.plan(data)
    return plan, problems + reader.problems


class _Reader:
    """Turns the parsed TOML into plan values, collecting located problems on the way."""

    def __init__(self, locator: KeyLocator, path: Path):
        self.locator = locator
        self.base = path.parent
        self.path = path
        self.problems: list[Problem] = []
        self.indicator_index: dict[str, int] = {}

    def problem(self, path: KeyPath, template: str, **args: Any) -> None:
        self.problems.append(self.locator.problem(path, message(template, **args)))

    # -- typed access ------------------------------------------------------------------------

    def table(
        self, path: KeyPath, value: Any, allowed: set[str], required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, "expected a table, found {found}", found=_type_name(value))
            return None
        for key in sorted(set(value) - allowed):
            self.problem(
                (*path, key), "unknown key (allowed: {allowed})", allowed=", ".join(sorted(allowed))
            )
        for key in required:
            if key not in value:
                self.problem(path, "missing required key '{key}'", key=key)
        return value

    def text(self, table: dict[str, Any], path: KeyPath, key: str) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.problem(
                (*path, key), "expected a non-empty string, found {found}", found=_type_name(value)
            )
            return None
        return value

    def date(self, table: dict[str, Any], path: KeyPath, key: str) -> dt.date | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            self.problem(
                (*path, key),
                "expected a date, found {found} (write it unquoted, like 2012-12-31)",
                found=_type_name(value),
            )
        else:
            self.problem((*path, key), "expected a date, found {found}", found=_type_name(value))
        return None

    def number(
        self, table: dict[str, Any], path: KeyPath, key: str, *, positive: bool = False
    ) -> float | int | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, Unfit) or (isinstance(value, int) and abs(value) > LARGEST):
            return None  # reported when the file was read: not finite, or beyond a float
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem((*path, key), "expected a number, found {found}", found=_type_name(value))
            return None
        if positive and value <= 0:
            self.problem((*path, key), "must be greater than 0, found {value}", value=_shown(value))
            return None
        return value

    def array_of_tables(self, data: dict[str, Any], path: KeyPath, key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(
                (*path, key), "expected an array of tables, found {found}", found=_type_name(value)
            )
            return []
        return value

    def unique(self, path: KeyPath, items: list[tuple[int, Any]], what: str) -> set[int]:
        """Report repeated ids; return the indexes of the repeats."""
        seen: dict[str, int] = {}
        repeats = set()
        for index, item_id in items:
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                self.problem((*path, index, "id"), _REPEATED[what], id=item_id)
                repeats.add(index)
            else:
                seen[item_id] = index
        return repeats

    # -- the plan ----------------------------------------------------------------------------

    def plan(self, data: dict[str, Any]) -> Plan | None:
        self.table((), data, _TOP_KEYS, ("plan",))
        if "plan" not in data:
            return None
        head = self.table(("plan",), data["plan"], _PLAN_KEYS, ("id", "title", "start", "end"))
        if head is None:
            return None
        plan_id = self.text(head, ("plan",), "id")
        title = self.text(head, ("plan",), "title")
        start = self.date(head, ("plan",), "start")
        end = self.date(head, ("plan",), "end")
        if start and end and end < start:
            self.problem(
                ("plan", "end"),
                "the plan ends ({end}) before it starts ({start})",
                end=end,
                start=start,
            )
            end = None
        plugins_dir = self.text(head, ("plan",), "plugins_dir")
        language = self.text(head, ("plan",), "language")
        if language is not None and language not in LANGUAGES:
            self.problem(
                ("plan", "language"),
                "unknown language '{code}' (languages: {known})",
                code=language,
                known=", ".join(LANGUAGES),
            )
            language = None
        scoring = self.scoring(data.get("scoring", {}))
        tasks = self.tasks(data)
        indicators = self.indicators(data, {t.id for t in tasks}, start, end)
        return Plan(
            id=plan_id or "?",
            title=title or "?",
            start=start or dt.date.min,
            end=end or dt.date.max,
            tasks=tuple(tasks),
            indicators=tuple(indicators),
            scoring=scoring or Scoring(),
            decision=self.text(head, ("plan",), "decision"),
            description=self.text(head, ("plan",), "description"),
            plugins_dir=self.base / plugins_dir if plugins_dir else None,
            language=language,
            path=self.path,
            locator=attrs.evolve(self.locator, indicators=self.indicator_index),
        )

    def scoring(self, value: Any) -> Scoring | None:
        table = self.table(("scoring",), value, _SCORING_KEYS)
        if table is None:
            return None
        at_risk = self.number(table, ("scoring",), "at_risk")
        if at_risk is not None and not 0 <= at_risk <= 100:
            self.problem(
                ("scoring", "at_risk"),
                "must be between 0 and 100, found {value}",
                value=_shown(at_risk),
            )
            return None
        aggregation = self.text(table, ("scoring",), "aggregation")
        return Scoring(
            at_risk=80 if at_risk is None else at_risk,
            aggregation=aggregation or "weighted_mean",
        )

    def tasks(self, data: dict[str, Any]) -> list[Task]:
        raw = self.array_of_tables(data, (), "tasks")
        if not raw:
            self.problem(("tasks",), "a plan needs at least one task ([[tasks]] with id and title)")
        tasks = []
        ids = [(i, t.get("id") if isinstance(t, dict) else None) for i, t in enumerate(raw)]
        repeats = self.unique(("tasks",), ids, "task")
        for index, value in enumerate(raw):
            path: KeyPath = ("tasks", index)
            table = self.table(path, value, _TASK_KEYS, ("id", "title"))
            if table is None:
                continue
            task_id, title = self.text(table, path, "id"), self.text(table, path, "title")
            weight = self.number(table, path, "weight", positive=True)
            projects = self.projects(path, table)
            if task_id and title and index not in repeats:
                tasks.append(
                    Task(
                        id=task_id,
                        title=title,
                        weight=1 if weight is None else weight,
                        projects=tuple(projects),
                        description=self.text(table, path, "description"),
                    )
                )
        return tasks

    def projects(self, task_path: KeyPath, task: dict[str, Any]) -> list[Project]:
        raw = self.array_of_tables(task, task_path, "projects")
        ids = [(i, p.get("id") if isinstance(p, dict) else None) for i, p in enumerate(raw)]
        repeats = self.unique((*task_path, "projects"), ids, "project")
        projects = []
        for index, value in enumerate(raw):
            path = (*task_path, "projects", index)
            table = self.table(path, value, _PROJECT_KEYS, ("id", "title"))
            if table is None:
                continue
            project_id, title = self.text(table, path, "id"), self.text(table, path, "title")
            lead = self.text(table, path, "lead")
            if project_id and title and index not in repeats:
                projects.append(Project(project_id, title, lead))
        return projects

    def indicators(
        self, data: dict[str, Any], task_ids: set[str], start: dt.date | None, end: dt.date | None
    ) -> list[Indicator]:
        raw = self.array_of_tables(data, (), "indicators")
        ids = [(i, t.get("id") if isinstance(t, dict) else None) for i, t in enumerate(raw)]
        repeats = self.unique(("indicators",), ids, "indicator")
        indicators = []
        for index, value in enumerate(raw):
            indicator = self.indicator(("indicators", index), value, task_ids, start, end)
            if indicator is not None and index not in repeats:
                indicators.append(indicator)
                self.indicator_index[indicator.id] = index
        return indicators

    def indicator(
        self,
        path: KeyPath,
        value: Any,
        task_ids: set[str],
        start: dt.date | None,
        end: dt.date | None,
    ) -> Indicator | None:
        table = self.table(path, value, _INDICATOR_KEYS, ("id", "task", "kind", "title", "targets"))
        if table is None:
            return None
        ind_id, task = self.text(table, path, "id"), self.text(table, path, "task")
        kind, title = self.text(table, path, "kind"), self.text(table, path, "title")
        if task is not None and task not in task_ids:
            known = ", ".join(sorted(task_ids)) or "none"
            self.problem(
                (*path, "task"),
                "task '{task}' does not exist (tasks: {known})",
                task=task,
                known=known,
            )
        weight = self.number(table, path, "weight", positive=True)
        direction = self.text(table, path, "direction") or "up"
        if direction not in DIRECTIONS:
            self.problem(
                (*path, "direction"), "must be 'up' or 'down', found '{found}'", found=direction
            )
            direction = DIRECTIONS[0]
        window = self.text(table, path, "window")
        if window is not None and window not in WINDOWS:
            self.problem(
                (*path, "window"),
                "unknown window '{window}' ({windows})",
                window=window,
                windows=", ".join(WINDOWS),
            )
            window = None
        unit = self.text(table, path, "unit")
        if unit is not None and unit not in UNITS:
            self.problem(
                (*path, "unit"), "must be 'ratio' or 'number', found '{found}'", found=unit
            )
            unit = None
        targets = self.targets(path, table.get("targets"), start, end)
        baseline = self.baseline(path, table.get("baseline", {}), start, targets)
        sources = self.sources(path, table.get("sources", {}))
        params = table.get("params", {})
        if not isinstance(params, dict):
            self.problem(
                (*path, "params"), "expected a table, found {found}", found=_type_name(params)
            )
        if not (ind_id and kind):
            return None
        return Indicator(
            id=ind_id,
            task=task or "?",
            kind=kind,
            title=title or ind_id,
            targets=tuple(targets),
            baseline=baseline or Baseline(start or dt.date.min, 0),
            weight=1 if weight is None else weight,
            direction=direction,
            window=window,
            sources={name: self.base / file for name, file in sources.items()},
            source_names=sources,
            params=params if isinstance(params, dict) else {},
            description=self.text(table, path, "description"),
            unit=unit,
        )

    def targets(
        self, path: KeyPath, raw: Any, start: dt.date | None, end: dt.date | None
    ) -> list[Target]:
        path = (*path, "targets")
        if raw is None:
            return []
        if not isinstance(raw, list) or not raw:
            self.problem(path, "expected an array of at least one { by = DATE, value = NUMBER }")
            return []
        targets: list[Target] = []
        for index, value in enumerate(raw):
            item = (*path, index)
            table = self.table(item, value, {"by", "value"}, ("by", "value"))
            if table is None:
                continue
            by, number = self.date(table, item, "by"), self.number(table, item, "value")
            if by is None or number is None:
                continue
            if start and end and not start <= by <= end:
                self.problem(
                    (*item, "by"),
                    "target date {date} is outside the plan ({start} to {end})",
                    date=by,
                    start=start,
                    end=end,
                )
            elif targets and by <= targets[-1].by:
                self.problem(
                    (*item, "by"),
                    "targets are not in date order: {date} comes after {before}",
                    date=by,
                    before=targets[-1].by,
                )
            else:
                targets.append(Target(by, number))
        return targets if len(targets) == len(raw) else []

    def baseline(
        self, path: KeyPath, raw: Any, start: dt.date | None, targets: list[Target]
    ) -> Baseline | None:
        path = (*path, "baseline")
        table = self.table(path, raw, {"on", "value"})
        if table is None:
            return None
        on = self.date(table, path, "on") if "on" in table else start
        value = self.number(table, path, "value") if "value" in table else 0
        if on is None or value is None:
            return None
        if targets and on >= targets[0].by:
            self.problem(
                (*path, "on"),
                "the baseline ({date}) must come before the first target ({first})",
                date=on,
                first=targets[0].by,
            )
            return None
        return Baseline(on, value)

    def sources(self, path: KeyPath, raw: Any) -> dict[str, str]:
        path = (*path, "sources")
        if not isinstance(raw, dict):
            self.problem(
                path, "expected a table of file names, found {found}", found=_type_name(raw)
            )
            return {}
        sources = {}
        for name, value in raw.items():
            if isinstance(value, str) and value.strip():
                sources[name] = value
            else:
                self.problem(
                    (*path, name), "expected a file name, found {found}", found=_type_name(value)
                )
        return sources


def _shown(number: float | int) -> str:
    """A number of the plan as a message shows it: a long integer in short form."""
    if isinstance(number, int) and abs(number) >= 10**15:
        return f"{float(number):g}"
    return str(number)


def _type_name(value: Any) -> Message:
    """What a TOML value is, as a phrase of a message."""
    if isinstance(value, bool):
        return message("a boolean")
    if isinstance(value, str):
        if value.strip():
            return message("the string {text!r}", text=value)
        return message("an empty string")
    if isinstance(value, dt.datetime):
        return message("a date-time")
    if isinstance(value, int):
        return message("an integer")
    if isinstance(value, float | Unfit):
        return message("a number")
    if isinstance(value, dt.date):
        return message("a date")
    if isinstance(value, dt.time):
        return message("a time")
    if isinstance(value, list):
        return message("an array")
    if isinstance(value, dict):
        return message("a table")
    return message("{name}", name=type(value).__name__)
