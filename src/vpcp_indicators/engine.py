"""The engine: plugins in, plans evaluated, reports out.

An :class:`Engine` owns its plugin manager: two engines with different plugins can live in
one process. It never prints and never exits; it raises :class:`VpcpError` subclasses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pluggy

from .aggregation import combine, guarded
from .backends import Failed, Job, Outcome, Progress
from .backends import python as python_backend
from .counting import Count
from .errors import DataError, PlanError, PluginError, Problem
from .evaluation import Evaluation, IndicatorResult, Report, TaskResult
from .filekinds import directory_problem
from .formats import Format, RenderOptions
from .lifecycle import notify
from .loader import load_plan, read_plan
from .measurement import Measurement
from .plan import Plan
from .plugins import Loader, PluginInfo, Registry, collect, new_plugin_manager
from .scoring import score_indicator
from .validation import ResolvedIndicator, check_plan, reader_for
from .windows import window_on

__all__ = ["BACKENDS", "Engine", "default_as_of"]

#: What the DuckDB engine may take by default: enough for national-scale counts, little
#: enough to leave room on a shared office machine (DuckDB spills to disk beyond it).
DEFAULT_MEMORY_LIMIT = "256MB"

#: The engines that carry out counts: ``auto`` takes DuckDB.
BACKENDS = ("auto", "python", "duckdb")

log = logging.getLogger("vpcp_indicators")
# A library leaves the handling of its log to the program that uses it.
log.addHandler(logging.NullHandler())


def default_as_of(plan: Plan, today: dt.date) -> dt.date:
    """The evaluation date when none is given: today, but not after the plan's end."""
    return min(today, plan.end)


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _unread_source(count: Count, files: Mapping[str, Path]) -> str | None:
    """Why a count cannot be made: it reads an optional source the plan does not give."""
    for source in [count.source, *(r.source for r in count.related())]:
        if source not in files:
            return f"count() reads source '{source}', which the plan does not give"
    return None


class Engine:
    """Loads plugins and evaluates plans with them.

    ``plugins_dirs``: directories whose ``*.py`` files are loaded as plugins.
    ``entry_points``: load the plugins of the ``vpcp_indicators`` entry-point group (True),
    none of them (False), or only those named. ``plugins``: objects to register directly.
    ``memory_limit``: what the DuckDB engine may take (DuckDB's syntax, like ``"1GB"``;
    None: DuckDB's default, most of the machine's memory).
    """

    def __init__(
        self,
        *,
        plugins_dirs: Iterable[str | Path] = (),
        entry_points: bool | Iterable[str] = True,
        plugins: Iterable[Any] = (),
        memory_limit: str | None = DEFAULT_MEMORY_LIMIT,
    ):
        self.memory_limit = memory_limit
        self.plugin_manager: pluggy.PluginManager = new_plugin_manager()
        self._loader = Loader(self.plugin_manager)
        self._loader.builtins()
        if entry_points is not False:
            self._loader.entry_points(None if entry_points is True else entry_points)
        self._dirs: set[Path] = set()
        self._registry: Registry | None = None
        self._registered: frozenset[int] = frozenset()
        for directory in plugins_dirs:
            self.load_plugins_dir(directory)
        for plugin in plugins:
            self.register(plugin)

    # -- plugins -----------------------------------------------------------------------------

    def register(self, plugin: Any, name: str | None = None) -> str:
        """Register an object or module whose ``@hookimpl`` functions extend the engine, and
        return the name it is known by (default: the module's, or the class's, numbered if
        taken). Raise :class:`PluginError` if it cannot be registered (a misspelt hook, an
        interface not offered, a name already used)."""
        if name is None:
            base = getattr(plugin, "__name__", None) or type(plugin).__name__
            name, number = base, 1
            while self.plugin_manager.has_plugin(name) or name in self._loader.origins:
                number += 1
                name = f"{base}-{number}"
        self._registry = None
        error = self._loader.add(plugin, PluginInfo(name, "host"))
        if error is not None:
            raise PluginError(
                "plugin '{name}' cannot be registered: {error}", name=name, error=error
            )
        return name

    def load_plugins_dir(self, directory: str | Path) -> None:
        """Load the ``*.py`` files of a directory as plugins (once per directory)."""
        resolved = Path(directory).resolve()
        if resolved not in self._dirs:
            self._dirs.add(resolved)
            self._loader.directory(Path(directory))
            self._registry = None

    @property
    def registry(self) -> Registry:
        """What the plugins registered: kinds, readers, aggregations, formats."""
        # A host may register plugins on the manager directly: notice, and collect again.
        registered = frozenset(id(p) for p in self.plugin_manager.get_plugins())
        if self._registry is None or registered != self._registered:
            self._registry = collect(self.plugin_manager, self._loader)
            self._registered = registered
        return self._registry

    def plugins(self) -> list[PluginInfo]:
        """Every plugin found, loaded or failed, with what it provides."""
        return list(self.registry.plugins)

    def format(self, name: str) -> Format:
        """The output format of this name (PluginError if no plugin provides it)."""
        formats = self.registry.formats
        if name not in formats:
            known = ", ".join(sorted(formats))
            raise PluginError("unknown format '{name}' (formats: {known})", name=name, known=known)
        return formats[name]

    def render(
        self, report: Report, format: str, options: RenderOptions | None = None
    ) -> str | bytes:
        """The report in the named output format."""
        return self.format(format).render(report, options or RenderOptions())

    # -- plans -------------------------------------------------------------------------------

    def _plan(self, plan: Plan | str | Path) -> Plan:
        plan = plan if isinstance(plan, Plan) else load_plan(plan)
        if plan.plugins_dir is not None and directory_problem(plan.plugins_dir) is None:
            self.load_plugins_dir(plan.plugins_dir)
        return plan

    def validate(self, plan: Plan | str | Path) -> list[Problem]:
        """Every problem of a plan (a file, or a plan already loaded), short of computing."""
        problems: list[Problem] = []
        if not isinstance(plan, Plan):
            loaded, problems = read_plan(plan)
            if loaded is None:
                return problems
            plan = loaded
        plan = self._plan(plan)
        return problems + check_plan(plan, self.registry)[1]

    def evaluate(
        self,
        plan: Plan | str | Path,
        dates: Sequence[dt.date],
        *,
        strict: bool = False,
        backend: str = "auto",
        progress: Progress | None = None,
    ) -> Report:
        """Evaluate a plan at each date (in date order); raise if the plan has a problem.

        With ``strict``, a data warning is an error (:class:`DataError`). ``backend`` is
        ``python``, ``duckdb`` or ``auto`` (DuckDB); both give the same figures.
        ``progress(file, share_done, records)`` is called now and then while files are read
        (either of the last two may be None).
        """
        if backend not in BACKENDS:
            raise PluginError(
                "unknown engine '{name}' (engines: {known})",
                name=backend,
                known=", ".join(BACKENDS),
            )
        plan = self._plan(plan)
        if not dates:
            raise ValueError("evaluate() needs at least one date")
        resolved, problems = check_plan(plan, self.registry)
        if problems:
            raise PlanError(problems)
        days = sorted(set(dates))
        # Observers that already failed in this evaluation, not to be reported again.
        manager, watched = self.plugin_manager, set[tuple[str, str]]()
        notify(manager, "evaluation_started", watched, plan=plan, dates=tuple(days))
        outcomes = self._measure(plan, resolved, days, backend, progress)
        if strict:
            warnings = [
                w
                for results in outcomes.values()
                for outcome in results
                if isinstance(outcome, Measurement)
                for w in outcome.warnings
            ]
            if warnings:
                count = sum(w.count for w in warnings)
                raise DataError(
                    "{first} ({count} rows with data warnings; strict)",
                    first=warnings[0].first_text(),
                    count=count,
                )
        evaluations = tuple(
            self._evaluation(plan, resolved, day, {k: v[i] for k, v in outcomes.items()}, watched)
            for i, day in enumerate(days)
        )
        report = Report(plan, evaluations)
        notify(manager, "evaluation_finished", watched, report=report)
        return report

    def _measure(
        self,
        plan: Plan,
        resolved: list[ResolvedIndicator],
        days: list[dt.date],
        backend: str,
        progress: Progress | None,
    ) -> dict[str, list[Outcome]]:
        jobs: list[Job] = []
        outcomes: dict[str, list[Outcome]] = {}
        for item in resolved:
            job = Job(
                indicator=item.indicator.id,
                kind=item.kind,
                params=item.params,
                window=item.window,
                files=item.indicator.sources,
                names=item.indicator.source_names,
            )
            plugin = ", ".join(self.registry.kind_plugins[item.kind.name])
            log.debug("indicator %s: kind %s from plugin %s", job.indicator, item.kind.name, plugin)
            if item.kind.count is not None:
                try:
                    count = item.kind.count(item.params)
                except Exception as error:  # a plugin's failure is reported, never fatal
                    failed = Failed.from_exception(error)
                    outcomes[job.indicator] = [failed] * len(days)
                    continue
                wrong = item.kind.check_count(count)
                if wrong is None:
                    wrong = _unread_source(count, job.files)
                if wrong:
                    outcomes[job.indicator] = [Failed(wrong)] * len(days)
                    continue
                job = attrs.evolve(job, count=count)
            jobs.append(job)

        def readers(path: Path) -> Any:
            return reader_for(self.registry, path)

        if backend == "python":
            outcomes.update(python_backend.measure(jobs, days, plan.start, readers, progress))
        else:
            from .backends import duckdb as duckdb_backend

            outcomes.update(
                duckdb_backend.measure(jobs, days, plan.start, readers, self.memory_limit, progress)
            )
        for indicator, results in outcomes.items():
            traces = set()
            for day, outcome in zip(days, results, strict=True):
                if isinstance(outcome, Failed):
                    log.debug("indicator %s on %s: failed: %s", indicator, day, outcome.message)
                    if outcome.trace and outcome.trace not in traces:
                        traces.add(outcome.trace)
                        log.debug("%s", outcome.trace.rstrip())
        return outcomes

    def _evaluation(
        self,
        plan: Plan,
        resolved: list[ResolvedIndicator],
        day: dt.date,
        outcomes: dict[str, Outcome],
        watched: set[tuple[str, str]],
    ) -> Evaluation:
        at_risk = plan.scoring.at_risk
        aggregation = guarded(plan.scoring.aggregation, self.registry.aggregations)
        results, parts = [], {}
        for item in resolved:
            ind = item.indicator
            outcome = outcomes[ind.id]
            failed = isinstance(outcome, Failed)
            measured = Measurement() if isinstance(outcome, Failed) else outcome
            scored = score_indicator(
                measured.value,
                baseline=ind.baseline,
                targets=ind.targets,
                direction=ind.direction,
                on=day,
                at_risk=at_risk,
                failed=failed,
            )
            parts[ind.id] = (scored.score, ind.weight, scored.status)
            results.append(
                IndicatorResult(
                    id=ind.id,
                    task=ind.task,
                    kind=ind.kind,
                    title=ind.title,
                    unit=item.unit,
                    value=_as_float(measured.value),
                    numerator=measured.numerator,
                    denominator=measured.denominator,
                    expected=float(scored.expected),
                    target=float(scored.target.value),
                    target_by=scored.target.by,
                    score=_as_float(scored.score),
                    status=scored.status,
                    window=window_on(item.window, day, plan.start),
                    breakdown=measured.breakdown,
                    excluded=measured.excluded,
                    warnings=measured.warnings,
                    error=outcome.message if isinstance(outcome, Failed) else None,
                )
            )
        manager = self.plugin_manager
        for result in results:
            notify(manager, "indicator_computed", watched, plan=plan, as_of=day, result=result)
        tasks, task_parts = [], []
        for task in plan.tasks:
            members = [r.id for r in results if r.task == task.id]
            score, status = combine([parts[m] for m in members], aggregation, at_risk)
            tasks.append(TaskResult(task.id, task.title, _as_float(score), status, tuple(members)))
            task_parts.append((score, task.weight, status))
        score, status = combine(task_parts, aggregation, at_risk)
        return Evaluation(day, _as_float(score), status, tuple(tasks), tuple(results))
