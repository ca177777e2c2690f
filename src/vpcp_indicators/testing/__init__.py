"""Helpers and pytest fixtures for testing indicator plugins.

Installed with vpcp-indicators and registered with pytest through the ``pytest11`` entry
point, so a plugin's tests can use the fixtures without importing anything:

``run_kind``
    Run one kind on records written inline, at chosen dates::

        def test_online_services(run_kind):
            results = run_kind(
                "online_service_level",
                {"services": [{"service_id": "S1", "launched_on": "2012-03-01", "level": "3"}]},
                ["2012-12-31"],
                params={"levels": ["3", "4"]},
            )
            assert_figures(results[0], numerator=1, denominator=1, value=1.0)

``evaluate_plan``
    Evaluate a small plan, written as Python values, with its source files, in a temporary
    directory; returns the :class:`~vpcp_indicators.Report`.

The plain functions (:func:`plan_text`, :func:`indicator`, :func:`write_csv`,
:func:`write_jsonl`, :func:`assert_figures`) work without the fixtures too (pytest must be
installed: this module defines the fixtures when it is imported). A kind's
plugin is found through its entry point once the plugin package is installed; a plugin not
installed (a module under development) is passed as ``plugins=[module]``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .files import PLAN, Day, Rows, indicator, plan_text, toml_value, write_csv, write_jsonl

if TYPE_CHECKING:
    # pytest loads this module in every session where the package is installed: the engine
    # is imported only when a fixture or runner is used.
    from ..engine import Engine
    from ..evaluation import IndicatorResult, Report

__all__ = [
    "PLAN",
    "KindRunner",
    "PlanRunner",
    "assert_figures",
    "evaluate_plan",
    "indicator",
    "plan_text",
    "run_kind",
    "toml_value",
    "write_csv",
    "write_jsonl",
]


def _days(dates: Sequence[Day]) -> list[dt.date]:
    if isinstance(dates, str | dt.date):
        raise TypeError(f"give a list of dates, not one date: [{dates!r}]")
    days = []
    for value in dates:
        if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
            raise TypeError(f"a date is a datetime.date or ISO text, not {value!r}")
        days.append(value if isinstance(value, dt.date) else dt.date.fromisoformat(value))
    return days


def _write(directory: Path, files: Mapping[str, Rows]) -> None:
    for name, rows in files.items():
        path = directory / name
        if path.suffix == ".jsonl":
            assert not isinstance(rows, str), f"{name}: give JSON Lines records as dicts"
            write_jsonl(path, rows)
        else:
            write_csv(path, rows)


class PlanRunner:
    """Evaluates small plans written as Python values, in a directory of its own."""

    def __init__(self, directory: Path, plugins: Iterable[Any] = ()):
        self.directory = directory
        self.plugins = list(plugins)

    def write(
        self,
        indicators: Sequence[Mapping[str, Any]],
        files: Mapping[str, Rows] | None = None,
        **plan_keys: Any,
    ) -> Path:
        """Write the source ``files`` (name relative to the plan: rows) and the plan; return
        the plan file. ``plan_keys`` are those of :func:`plan_text` (tasks, plan, scoring)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        _write(self.directory, files or {})
        path = self.directory / "plan.toml"
        path.write_text(plan_text(indicators, **plan_keys), encoding="utf-8")
        return path

    def engine(self, plugins: Iterable[Any] | None = None) -> Engine:
        """An engine with the installed plugins, or with only ``plugins`` if given. It keeps
        no tally cache: a test leaves nothing in the developer's cache folder."""
        from ..engine import Engine

        chosen = self.plugins if plugins is None else list(plugins)
        if plugins is not None or chosen:
            return Engine(entry_points=False, plugins=chosen, cache=None)
        return Engine(cache=None)

    def __call__(
        self,
        indicators: Sequence[Mapping[str, Any]],
        files: Mapping[str, Rows] | None = None,
        dates: Sequence[Day] = ("2015-12-31",),
        *,
        plugins: Iterable[Any] | None = None,
        strict: bool = False,
        backend: str = "auto",
        **plan_keys: Any,
    ) -> Report:
        """Write the plan and its files, evaluate it at ``dates``, return the report."""
        path = self.write(indicators, files, **plan_keys)
        return self.engine(plugins).evaluate(path, _days(dates), strict=strict, backend=backend)


class KindRunner:
    """Runs one kind on inline records at chosen dates, in a directory of its own."""

    def __init__(self, directory: Path, plugins: Iterable[Any] = ()):
        self.plans = PlanRunner(directory, plugins)

    def __call__(
        self,
        kind: str,
        sources: Mapping[str, Rows],
        dates: Sequence[Day],
        *,
        jsonl: Iterable[str] = (),
        plugins: Iterable[Any] | None = None,
        backend: str = "auto",
        plan: Mapping[str, Any] | None = None,
        **indicator_keys: Any,
    ) -> list[IndicatorResult]:
        """The indicator's result at each date, in date order (dates sorted, repeats once).

        The kind is evaluated as the one indicator ``ind`` of task ``T1`` in :data:`PLAN`,
        a plan from 2011-01-01 to 2015-12-31 (``plan`` overrides its keys: ``start``,
        ``end``, ``language``...), with one target of 1.0 at the end of 2015. ``sources``
        maps each source of the kind to its rows, written as CSV (or as JSON Lines for the
        names in ``jsonl``). Other keyword arguments are keys of the indicator: ``params``,
        ``window``, ``targets``, ``baseline``, ``unit``...
        """
        as_jsonl = {jsonl} if isinstance(jsonl, str) else set(jsonl)
        names = {name: f"{name}.jsonl" if name in as_jsonl else f"{name}.csv" for name in sources}
        files = {names[name]: rows for name, rows in sources.items()}
        item = indicator(kind, names, **indicator_keys)
        report = self.plans([item], files, dates, plugins=plugins, backend=backend, plan=plan)
        return [evaluation.indicator(item["id"]) for evaluation in report.evaluations]


def _close(found: float | None, wanted: float | None) -> bool:
    if found is None or wanted is None:
        return found is wanted
    return math.isclose(found, wanted, rel_tol=1e-12, abs_tol=1e-12)


def _comparable(name: str, wanted: Any) -> Any:
    if name == "breakdown" and isinstance(wanted, Mapping):
        return {
            key: tuple(pair) if isinstance(pair, list | tuple) else pair
            for key, pair in wanted.items()
        }
    return dict(wanted) if isinstance(wanted, Mapping) else wanted


def assert_figures(result: IndicatorResult, **expected: Any) -> None:
    """Assert an indicator's figures, naming every one that differs.

    Give any of ``numerator``, ``denominator``, ``value``, ``expected``, ``score``
    (numbers; None for none), ``status``, ``excluded`` (``{reason: count}``), ``breakdown``
    (``{group: (numerator, denominator)}``, or ``{group: value}`` for groups with a value
    alone), ``warnings`` (the number of rows skipped or
    ignored) and ``error``.
    """
    found: dict[str, Any] = {
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": result.value,
        "expected": result.expected,
        "score": result.score,
        "status": result.status,
        "excluded": dict(result.excluded),
        "breakdown": {
            g.key: g.value if g.numerator is None else (g.numerator, g.denominator)
            for g in result.breakdown
        },
        "warnings": sum(w.count for w in result.warnings),
        "error": result.error,
    }
    unknown = sorted(set(expected) - set(found))
    if unknown:
        raise TypeError(f"assert_figures() has no figure {', '.join(unknown)}")
    wrong = []
    for name, wanted in expected.items():
        have = found[name]
        same = (
            _close(have, wanted)
            if name in ("value", "expected", "score")
            else have == _comparable(name, wanted)
        )
        if not same:
            wrong.append(f"{name}: expected {wanted!r}, found {have!r}")
    if wrong:
        raise AssertionError(f"indicator {result.id!r}: " + "; ".join(wrong))


@pytest.fixture
def run_kind(tmp_path: Path) -> KindRunner:
    """Run a kind on inline records: ``run_kind(kind, {source: rows}, dates, params=...)``
    returns the indicator's result at each date."""
    return KindRunner(tmp_path / "run_kind")


@pytest.fixture
def evaluate_plan(tmp_path: Path) -> PlanRunner:
    """Evaluate a small plan: ``evaluate_plan([indicator(...)], {"data.csv": rows}, dates)``
    returns the report; ``evaluate_plan.write(...)`` only writes the plan and its files."""
    return PlanRunner(tmp_path / "evaluate_plan")
