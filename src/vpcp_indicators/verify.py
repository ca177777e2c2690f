"""``verify``: a report recomputed from the plan and the sources its provenance names, and
told apart from the one given: which figures differ, and which sources (by their SHA-256),
which plan and which versions changed since."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import VpcpError
from .evaluation import Report, report_from_dict

__all__ = ["Changed", "Difference", "Verification", "verify_report"]

#: The figures of an indicator that are compared, in the order they are told.
_FIGURES = ("value", "numerator", "denominator", "expected", "score", "status")


@attrs.frozen
class Difference:
    """A figure that differs: on which date, of what (an indicator's id, a task's id, or
    None for the plan), which figure, and its value in the report and now."""

    as_of: dt.date
    of: str | None
    figure: str
    then: Any
    now: Any


@attrs.frozen
class Changed:
    """A source (or the plan file) whose content is not what the report was made from:
    its SHA-256 then and now (None: it cannot be read now)."""

    source: str
    then: str | None
    now: str | None


@attrs.frozen
class Verification:
    """What ``verify`` found: ``differences`` in the figures (none: every figure is the
    same), the sources and plan that ``changed`` since, and the versions that differ
    (``versions``: what, then and now)."""

    report: Report
    again: Report
    differences: tuple[Difference, ...]
    changed: tuple[Changed, ...]
    versions: tuple[tuple[str, str | None, str | None], ...]

    @property
    def same(self) -> bool:
        """Whether every figure is the same."""
        return not self.differences


def _differences(report: Report, again: Report) -> Iterator[Difference]:
    for old, new in zip(report.evaluations, again.evaluations, strict=True):
        if (old.score, old.status) != (new.score, new.status):
            yield Difference(old.as_of, None, "score", old.score, new.score)
        for task in old.tasks:
            fresh = new.task(task.id)
            if (task.score, task.status) != (fresh.score, fresh.status):
                yield Difference(old.as_of, task.id, "score", task.score, fresh.score)
        for result in old.indicators:
            now = new.indicator(result.id)
            for figure in _FIGURES:
                if getattr(result, figure) != getattr(now, figure):
                    yield Difference(
                        old.as_of, result.id, figure, getattr(result, figure), getattr(now, figure)
                    )
            rest = ("breakdown", "excluded", "warnings", "milestones", "trend", "units")
            if any(getattr(result, f) != getattr(now, f) for f in rest):
                yield Difference(old.as_of, result.id, "details", None, None)


def verify_report(engine: Any, data: Mapping[str, Any], backend: str | None = None) -> Verification:
    """Recompute the report ``data`` (its JSON form) with ``engine`` from the plan and
    sources its provenance names, on its dates, with its grid, unit and engine (or
    ``backend``)."""
    report = report_from_dict(data)
    found = report.provenance
    if found is None or found.plan_path is None:
        raise VpcpError("the report says nothing of where its figures came from: no provenance")
    plan = Path(found.plan_path)
    dates = [dt.date.fromisoformat(day) for day in found.options["as_of"]]
    again = engine.evaluate(
        plan,
        dates,
        backend=backend or found.engine,
        grid=found.options.get("grid"),
        unit=found.options.get("unit"),
    )
    assert again.provenance is not None
    now = {s.source: s.sha256 for s in again.provenance.sources}
    changed = [
        Changed(s.source, s.sha256, now.get(s.source))
        for s in found.sources
        if s.sha256 is not None and now.get(s.source) != s.sha256
    ]
    if found.plan_sha256 != again.provenance.plan_sha256:
        was = Changed(str(plan), found.plan_sha256, again.provenance.plan_sha256)
        changed.insert(0, was)
    versions: list[tuple[str, str | None, str | None]] = [
        ("vpcp-indicators", found.version, again.provenance.version),
        (found.engine, found.engine_version, again.provenance.engine_version),
    ]
    plugins = {p.name: p.version for p in again.provenance.plugins}
    versions += [(p.name, p.version, plugins.get(p.name)) for p in found.plugins]
    return Verification(
        report=report,
        again=again,
        differences=tuple(_differences(report, again)),
        changed=tuple(changed),
        versions=tuple(v for v in versions if v[1] != v[2]),
    )
