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

from ..aggregation import combine, guarded
from ..backends import Failed, Job, Outcome, Progress
from ..backends import python as python_backend
from ..errors import DataError, PlanError, PluginError, Problem
from ..evaluation import Evaluation, IndicatorResult, Report, TaskResult
from ..formats import Format, RenderOptions
from ..kinds.counting import Count
from ..measurement import Measurement
from ..plan.confine import plan_refusals
from ..plan.model import Plan
from ..plan.reading import load_plan, read_plan
from ..plugins.discovery import Loader, PluginInfo, Registry, new_plugin_manager
from ..plugins.lifecycle import notify
from ..plugins.sets import PluginSet, PluginSets
from ..scoring import score_indicator
from ..windows import window_on
from .validation import ResolvedIndicator, check_plan, reader_for

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
    These are the engine's own plugins, used for every plan; the plugins of a plan's
    ``plugins_dir`` are used for that plan's evaluations only.
    ``memory_limit``: what the DuckDB engine may take (DuckDB's syntax, like ``"1GB"``;
    None: DuckDB's default, most of the machine's memory).
    ``trusted``: False for plans from others. Such a plan runs no code (its ``plugins_dir``
    is a plan error, and nothing of it is imported) and reads only regular files inside its
    own folder (any other source is a plan error, and is not opened).

    An engine may be shared by threads: evaluations run side by side, and a plugin registered
    meanwhile is used from the next evaluation on.
    """

    def __init__(
        self,
        *,
        plugins_dirs: Iterable[str | Path] = (),
        entry_points: bool | Iterable[str] = True,
        plugins: Iterable[Any] = (),
        memory_limit: str | None = DEFAULT_MEMORY_LIMIT,
        trusted: bool = True,
    ):
        self.memory_limit = memory_limit
        self.trusted = trusted
        self.plugin_manager: pluggy.PluginManager = new_plugin_manager()
        loader = Loader(self.plugin_manager)
        loader.builtins()
        if entry_points is not False:
            loader.entry_points(None if entry_points is True else entry_points)
        self._plugins = PluginSets(loader)
        for directory in plugins_dirs:
            self.load_plugins_dir(directory)
        for plugin in plugins:
            self.register(plugin)

    # -- plugins -----------------------------------------------------------------------------

    def register(self, plugin: Any, name: str | None = None) -> str:
        """Register an object or module whose ``@hookimpl`` functions extend the engine, and
        return the name it is known by (default: the module's, or the class's, numbered if
        taken). Raise :class:`PluginError` if it cannot be registered (a misspelt hook, an
        interface not offered, a name already used). Safe while other threads evaluate:
        their evaluations go on with the plugins they started with."""
        name, error = self._plugins.register(plugin, name)
        if error is not None:
            raise PluginError(
                "plugin '{name}' cannot be registered: {error}", name=name, error=error
            )
        return name

    def load_plugins_dir(self, directory: str | Path) -> None:
        """Load the ``*.py`` files of a directory as plugins of the engine, used for every
        plan (once per directory)."""
        self._plugins.load_directory(Path(directory))

    @property
    def registry(self) -> Registry:
        """What the engine's own plugins registered: kinds, readers, aggregations, formats."""
        return self._plugins.own().registry

    def registry_for(self, plan: Plan | str | Path) -> Registry:
        """What the plugins used for a plan's evaluations registered: the engine's own, and
        (when the engine trusts plans) those of the plan's ``plugins_dir``. A plan that is not
        trusted and names a ``plugins_dir`` is a :class:`PlanError`."""
        plan = plan if isinstance(plan, Plan) else load_plan(plan)
        if not self.trusted and plan.plugins_dir is not None:
            key = ("plan", "plugins_dir")
            raise PlanError([plan.problem(key, plan_refusals(plan)[key])])
        return self._plugins_of(plan).registry

    def plugins(self, plan: Plan | str | Path | None = None) -> list[PluginInfo]:
        """Every plugin found, loaded or failed, with what it provides: the engine's own, or
        those used for a plan's evaluations (see :meth:`registry_for`)."""
        return list((self.registry if plan is None else self.registry_for(plan)).plugins)

    def format(self, name: str, plan: Plan | str | Path | None = None) -> Format:
        """The output format of this name (PluginError if no plugin provides it), among the
        engine's own plugins, or those that render a plan's reports."""
        if plan is not None and not isinstance(plan, Plan):
            plan = load_plan(plan)
        formats = (self.registry if plan is None else self._plugins_of(plan).registry).formats
        if name not in formats:
            known = ", ".join(sorted(formats))
            raise PluginError("unknown format '{name}' (formats: {known})", name=name, known=known)
        return formats[name]

    def render(
        self, report: Report, format: str, options: RenderOptions | None = None
    ) -> str | bytes:
        """The report in the named output format, as the plugins of its plan's evaluation
        provide it."""
        return self.format(format, report.plan).render(report, options or RenderOptions())

    def _plugins_of(self, plan: Plan) -> PluginSet:
        """The plugins for a plan's evaluations; a plan's plugins_dir only when trusted."""
        return self._plugins.with_directory(plan.plugins_dir if self.trusted else None)

    # -- plans -------------------------------------------------------------------------------

    def validate(self, plan: Plan | str | Path) -> list[Problem]:
        """Every problem of a plan (a file, or a plan already loaded), short of computing."""
        problems: list[Problem] = []
        if not isinstance(plan, Plan):
            loaded, problems = read_plan(plan)
            if loaded is None:
                return problems
            plan = loaded
        registry = self._plugins_of(plan).registry
        return problems + check_plan(plan, registry, trusted=self.trusted)[1]

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
        plan = plan if isinstance(plan, Plan) else load_plan(plan)
        if not dates:
            raise ValueError("evaluate() needs at least one date")
        # The plugins this evaluation uses, from start to end.
        plugins = self._plugins_of(plan)
        resolved, problems = check_plan(plan, plugins.registry, trusted=self.trusted)
        if problems:
            raise PlanError(problems)
        days = sorted(set(dates))
        # Observers that already failed in this evaluation, not to be reported again.
        watched = set[tuple[str, str]]()
        started = plugins.observers["evaluation_started"]
        notify(started, "evaluation_started", watched, plan=plan, dates=tuple(days))
        outcomes = self._measure(plan, resolved, days, backend, progress, plugins.registry)
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
            self._evaluation(
                plan, resolved, day, {k: v[i] for k, v in outcomes.items()}, watched, plugins
            )
            for i, day in enumerate(days)
        )
        report = Report(plan, evaluations)
        finished = plugins.observers["evaluation_finished"]
        notify(finished, "evaluation_finished", watched, report=report)
        return report

    def _measure(
        self,
        plan: Plan,
        resolved: list[ResolvedIndicator],
        days: list[dt.date],
        backend: str,
        progress: Progress | None,
        registry: Registry,
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
            plugin = ", ".join(registry.kind_plugins[item.kind.name])
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
            return reader_for(registry, path)

        if backend == "python":
            outcomes.update(python_backend.measure(jobs, days, plan.start, readers, progress))
        else:
            from ..backends import duckdb as duckdb_backend

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
        plugins: PluginSet,
    ) -> Evaluation:
        at_risk = plan.scoring.at_risk
        aggregation = guarded(plan.scoring.aggregation, plugins.registry.aggregations)
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
        computed = plugins.observers["indicator_computed"]
        for result in results:
            notify(computed, "indicator_computed", watched, plan=plan, as_of=day, result=result)
        tasks, task_parts = [], []
        for task in plan.tasks:
            members = [r.id for r in results if r.task == task.id]
            score, status = combine([parts[m] for m in members], aggregation, at_risk)
            tasks.append(TaskResult(task.id, task.title, _as_float(score), status, tuple(members)))
            task_parts.append((score, task.weight, status))
        score, status = combine(task_parts, aggregation, at_risk)
        return Evaluation(day, _as_float(score), status, tuple(tasks), tuple(results))
