"""The engine: plugins in, plans evaluated, reports out.

An :class:`Engine` owns its plugin manager: two engines with different plugins can live in
one process. It never prints and never exits; it raises :class:`VpcpError` subclasses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..backends import Outcome, Progress
from ..cache import USER_CACHE, Cache, UserCache, cache_from
from ..errors import PlanError, PluginError, Problem
from ..evaluation import Report
from ..formats import Format, RenderOptions
from ..milestones import checked_dates
from ..plan.confine import plan_refusals
from ..plan.model import Plan
from ..plan.reading import load_plan, read_plan
from ..plugins.discovery import Loader, PluginInfo, new_plugin_manager
from ..plugins.lifecycle import notify
from ..plugins.manager import PluginManager
from ..plugins.registry import Registry
from ..plugins.sets import PluginSet, PluginSets
from ..provenance import Hasher
from ..sensitivity import Sensitivity
from ..trend import year_before
from ..windows import PERIODS
from . import assembly, jobs
from .jobs import BACKENDS
from .provenance import provenance_of
from .sensitivity import variants_of
from .units import seen_from
from .validation import ResolvedIndicator, as_evaluated, check_plan

__all__ = ["BACKENDS", "Engine", "default_as_of"]

#: What the DuckDB engine may take by default: enough for national-scale counts, little
#: enough to leave room on a shared office machine (DuckDB spills to disk beyond it).
DEFAULT_MEMORY_LIMIT = "256MB"

log = logging.getLogger("vpcp_indicators")
# A library leaves the handling of its log to the program that uses it.
log.addHandler(logging.NullHandler())


def default_as_of(plan: Plan, today: dt.date) -> dt.date:
    """The evaluation date when none is given: today, but not after the plan's end."""
    return min(today, plan.end)


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
    ``cache``: where the DuckDB engine keeps what it reduced each file to, so that evaluating
    unchanged files again does not read them: by default (``USER_CACHE``) the user's cache
    folder; a :class:`Cache` or a folder; None for no cache. The figures are the same with
    and without it.

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
        cache: Cache | str | Path | UserCache | None = USER_CACHE,
    ):
        self.memory_limit = memory_limit
        self.trusted = trusted
        #: Where the DuckDB engine keeps the tallies of files between evaluations (None:
        #: nowhere; every evaluation reads every file).
        self.cache = cache_from(cache)
        #: Where the engine's plugins are registered. Hooks are called on managers made from
        #: it, one per set of plugins an evaluation uses; a hook-call monitor added to it
        #: (``add_hookcall_monitoring``) sees those calls too.
        self.plugin_manager: PluginManager = new_plugin_manager()
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

    def validate(self, plan: Plan | str | Path, *, warnings: bool = False) -> list[Problem]:
        """Every problem of a plan (a file, or a plan already loaded), short of computing.

        With ``warnings``, what is likely a mistake but does not stop an evaluation (a plan
        turning a kind's direction) is among them too, with ``severity == "warning"``.
        """
        problems: list[Problem] = []
        if not isinstance(plan, Plan):
            loaded, problems = read_plan(plan)
            if loaded is None:
                return problems
            plan = loaded
        registry = self._plugins_of(plan).registry
        found = problems + check_plan(plan, registry, trusted=self.trusted)[1]
        return found if warnings else [p for p in found if p.severity == "error"]

    def evaluate(
        self,
        plan: Plan | str | Path,
        dates: Sequence[dt.date],
        *,
        strict: bool = False,
        backend: str = "auto",
        progress: Progress | None = None,
        verify_sources: bool = False,
        grid: str | None = None,
        unit: str | None = None,
    ) -> Report:
        """Evaluate a plan at each date (in date order); raise if the plan has a problem.

        With ``strict``, a data warning is an error (:class:`DataError`). ``backend`` is
        ``python``, ``duckdb`` or ``auto`` (DuckDB); both give the same figures.
        ``progress(file, share_done, records)`` is called now and then while files are read
        (either of the last two may be None). With ``verify_sources``, a file's tally is taken
        from the cache only if the file's content hashes to what it did when it was kept,
        whatever its times say.

        Each indicator is also measured, in the same pass, on each of its target dates up to
        the latest date, to tell which milestones were met, met late or missed; ``grid``
        (``month``, ``quarter`` or ``year``) adds every end of such a period from the plan's
        start: the dates a milestone met late may have been met on. And on the day a year
        before each date, from which the trend's observed rate is measured.

        With ``unit`` (the id of one of the plan's units), the plan is seen from that unit:
        its indicators whose breakdown rolls up the units count the records of the unit and
        of the units below it alone; the others are left out (``Report.left_out``).
        """
        if grid is not None and grid not in PERIODS:
            raise ValueError(f"unknown grid {grid!r} (grids: {', '.join(PERIODS)})")
        if not dates:
            raise ValueError("evaluate() needs at least one date")
        plan, plugins, resolved = self._checked(plan, backend)
        left_out: tuple[str, ...] = ()
        if unit is not None:
            plan, resolved, left_out = seen_from(plan, resolved, unit)
        days = sorted(set(dates))
        targets = (t.by for item in resolved for t in item.indicator.targets)
        checked = checked_dates(days, targets, plan.start, grid)
        # The trend's rate is measured from a year earlier: those dates are measured too,
        # but milestones are not looked for on them.
        bases = (year_before(day) for day in days)
        measured = sorted({*checked, *(day for day in bases if day >= plan.start)})
        # Observers that already failed in this evaluation, not to be reported again.
        watched = set[tuple[str, str]]()
        notify(plugins.calling, "evaluation_started", watched, plan=plan, dates=tuple(days))
        hasher = Hasher()
        outcomes = self._measure(
            plan, plugins, resolved, measured, backend, progress, verify_sources, hasher
        )
        jobs.warn_outside(plan, resolved, outcomes, measured, set(days))
        if strict:
            jobs.refuse_warnings(outcomes)
        evaluations = assembly.evaluations(
            plan, resolved, days, measured, checked, outcomes, plugins, watched
        )
        found = provenance_of(plan, resolved, plugins.registry, hasher, backend, days, grid, unit)
        report = Report(
            plan, tuple(evaluations), tuple(checked), grid, found, unit=unit, left_out=left_out
        )
        notify(plugins.calling, "evaluation_finished", watched, report=report)
        return report

    def sensitivity(
        self,
        plan: Plan | str | Path,
        as_of: dt.date,
        *,
        backend: str = "auto",
        verify_sources: bool = False,
    ) -> Sensitivity:
        """The plan's and each task's score and status on a date under each aggregation the
        engine has, with all weights equal, and with each task left out in turn; the plan's
        own method first. The records are read once."""
        plan, plugins, resolved = self._checked(plan, backend)
        outcomes = self._measure(plan, plugins, resolved, [as_of], backend, None, verify_sources)
        return variants_of(plan, resolved, as_of, outcomes, plugins.registry.aggregations)

    def _measure(
        self,
        plan: Plan,
        plugins: PluginSet,
        resolved: Sequence[ResolvedIndicator],
        days: Sequence[dt.date],
        backend: str,
        progress: Progress | None,
        verify: bool,
        hasher: Hasher | None = None,
    ) -> dict[str, list[Outcome]]:
        """Every indicator's outcome at every date, by the chosen backend; the ``hasher``
        is told the SHA-256 of the files whose every byte a pass reads."""
        return jobs.measure(
            resolved,
            days,
            plan.start,
            plugins.registry,
            backend=backend,
            memory_limit=self.memory_limit,
            progress=progress,
            cache=self.cache,
            verify=verify,
            hasher=hasher,
        )

    def _checked(
        self, plan: Plan | str | Path, backend: str
    ) -> tuple[Plan, PluginSet, list[ResolvedIndicator]]:
        """The plan as evaluated, the plugins its evaluation uses from start to end, and its
        indicators resolved; a PlanError for a plan with a problem."""
        if backend not in BACKENDS:
            raise PluginError(
                "unknown engine '{name}' (engines: {known})",
                name=backend,
                known=", ".join(BACKENDS),
            )
        plan = plan if isinstance(plan, Plan) else load_plan(plan)
        plugins = self._plugins_of(plan)
        resolved, problems = check_plan(plan, plugins.registry, trusted=self.trusted)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise PlanError(errors)
        return as_evaluated(plan, resolved), plugins, list(resolved)
