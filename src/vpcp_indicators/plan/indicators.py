"""Reading the ``[[indicators]]`` of a plan file: each key checked as declared, and the rules
between keys: the task exists, targets lie in the plan period in date order, the baseline
comes before the first target, and a breakdown by units has units to roll up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from .checking import Checker, Fields
from .keys import BASELINE, BREAKDOWN, INDICATOR, TARGET, TOP
from .locations import Path as KeyPath
from .model import Baseline, Breakdown, Indicator, Target, Task
from .sourceref import SourceRef
from .sourcespecs import source_specs

__all__ = ["IndicatorReader", "Period"]


@attrs.frozen
class Period:
    """The plan's first and last day, each None when the plan file does not give it right."""

    start: dt.date | None
    end: dt.date | None


class IndicatorReader:
    """Reads the indicators of a plan, given its folder, its period, its tasks and whether
    it declares units.

    ``positions`` maps the id of each indicator read to its index in the file, so that
    problems found later can point at the right table.
    """

    def __init__(
        self,
        check: Checker,
        base: Path,
        period: Period,
        tasks: Iterable[Task],
        units: bool = False,
    ):
        self.check = check
        self.units = units
        self.base = base
        self.period = period
        self.task_ids = {task.id for task in tasks}
        self.positions: dict[str, int] = {}

    def read(self, data: dict[str, Any]) -> list[Indicator]:
        """The indicators whose id and kind can be read, each id once."""
        raw = self.check.array_of_tables(data, (), TOP["indicators"])
        repeats = self.check.unique(("indicators",), raw, INDICATOR.repeated)
        indicators = []
        for index, value in enumerate(raw):
            indicator = self.indicator(("indicators", index), value)
            if indicator is not None and index not in repeats:
                indicators.append(indicator)
                self.positions[indicator.id] = index
        return indicators

    def indicator(self, path: KeyPath, value: Any) -> Indicator | None:
        """An indicator (None if its id or kind cannot be read), every key checked."""
        table = self.check.table(path, value, INDICATOR)
        if table is None:
            return None
        fields = self.check.fields(path, table, INDICATOR)
        self.task_exists(path, fields["task"])
        targets = self.targets(path, table.get("targets"))
        baseline = self.baseline(path, table.get("baseline", {}), targets)
        sources = source_specs(
            self.check, (*path, "sources"), table.get("sources", {}), INDICATOR["sources"]
        )
        params = self.check.any_table((*path, "params"), table.get("params", {}))
        breakdown = self.breakdown((*path, "breakdown"), table.get("breakdown", {}))
        if not (fields["id"] and fields["kind"]):
            return None
        return attrs.evolve(
            self.built(fields, targets, baseline, sources, params), breakdown=breakdown
        )

    def built(
        self,
        fields: Fields,
        targets: list[Target],
        baseline: Baseline | None,
        sources: dict[str, Any],
        params: dict[str, Any],
    ) -> Indicator:
        """An indicator from its checked parts; a stand-in for what could not be read."""
        start = self.period.start or dt.date.min
        return Indicator(
            id=fields["id"],
            task=fields["task"] or "?",
            kind=fields["kind"],
            title=fields["title"] or fields["id"],
            targets=tuple(targets),
            baseline=baseline or Baseline(start, BASELINE["value"].default),
            weight=fields["weight"],
            direction=fields["direction"],
            window=fields["window"],
            sources={name: self.source_ref(spec) for name, spec in sources.items()},
            source_names={name: self.source_ref(spec).name for name, spec in sources.items()},
            params=params,
            description=fields["description"],
            unit=fields["unit"],
            min_denominator=fields["min_denominator"],
        )

    def source_ref(self, spec: str | dict[str, Any]) -> SourceRef:
        """A source as the plan gives it, its file resolved against the plan's folder."""
        return SourceRef.written_as(spec, self.base)

    def task_exists(self, path: KeyPath, task: str | None) -> None:
        """Report an indicator's task that the plan does not have."""
        if task is not None and task not in self.task_ids:
            self.check.problem(
                (*path, "task"),
                "task '{task}' does not exist (tasks: {known})",
                task=task,
                known=", ".join(sorted(self.task_ids)) or "none",
            )

    def targets(self, path: KeyPath, raw: Any) -> list[Target]:
        """The targets, all of them or none: one that is wrong leaves the indicator without
        targets to score against."""
        path = (*path, "targets")
        if raw is None:
            return []  # reported as a missing required key
        if not isinstance(raw, list) or not raw:
            self.check.problem(
                path, "expected an array of at least one { by = DATE, value = NUMBER }"
            )
            return []
        targets: list[Target] = []
        for index, value in enumerate(raw):
            target = self.target((*path, index), value)
            if target is not None and self.in_order((*path, index), target, targets):
                targets.append(target)
        return targets if len(targets) == len(raw) else []

    def target(self, path: KeyPath, value: Any) -> Target | None:
        """A target whose date and value can be read."""
        table = self.check.table(path, value, TARGET)
        if table is None:
            return None
        fields = self.check.fields(path, table, TARGET)
        if fields["by"] is None or fields["value"] is None:
            return None
        return Target(fields["by"], fields["value"])

    def in_order(self, path: KeyPath, target: Target, before: list[Target]) -> bool:
        """Whether a target lies in the plan period, after the targets before it."""
        start, end = self.period.start, self.period.end
        if start and end and not start <= target.by <= end:
            self.check.problem(
                (*path, "by"),
                "target date {date} is outside the plan ({start} to {end})",
                date=target.by,
                start=start,
                end=end,
            )
            return False
        if before and target.by <= before[-1].by:
            self.check.problem(
                (*path, "by"),
                "targets are not in date order: {date} comes after {before}",
                date=target.by,
                before=before[-1].by,
            )
            return False
        return True

    def breakdown(self, path: KeyPath, raw: Any) -> Breakdown:
        """How the plan breaks the figures down (nothing said: as the kind does)."""
        table = self.check.table(path, raw, BREAKDOWN)
        if table is None:
            return Breakdown()
        fields = self.check.fields(path, table, BREAKDOWN)
        if fields["units"] and not self.units:
            self.check.problem(
                (*path, "units"), "the plan declares no units to roll up ([[units]])"
            )
        return Breakdown(fields["column"], fields["units"])

    def baseline(self, path: KeyPath, raw: Any, targets: list[Target]) -> Baseline | None:
        """The baseline, by default on the plan's start (None if it cannot be read or does
        not come before the first target)."""
        path = (*path, "baseline")
        table = self.check.table(path, raw, BASELINE)
        if table is None:
            return None
        fields: Fields = self.check.fields(path, table, BASELINE)
        on = fields["on"] if "on" in table else self.period.start
        if fields.refused or on is None:
            return None
        if targets and on >= targets[0].by:
            self.check.problem(
                (*path, "on"),
                "the baseline ({date}) must come before the first target ({first})",
                date=on,
                first=targets[0].by,
            )
            return None
        return Baseline(on, fields["value"])
