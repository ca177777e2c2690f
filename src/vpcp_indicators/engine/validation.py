"""Checking a plan against the loaded plugins and its sources, before anything is computed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from ..errors import Message, Problem, SourceError, message
from ..filekinds import directory_problem, file_problem
from ..i18n import N_
from ..kinds.kind import Kind, resolve_params
from ..plan.confine import plan_refusals
from ..plan.locations import Path as KeyPath
from ..plan.model import Indicator, Plan
from ..plugins.registry import Registry
from ..sources import SourceReader
from ..units import DEFAULT_UNIT, UnitName, is_share
from ..windows import WindowName

__all__ = ["ResolvedIndicator", "check_plan", "reader_for"]


@attrs.frozen
class ResolvedIndicator:
    """An indicator whose kind, parameters (defaults filled in) and window are known."""

    indicator: Indicator
    kind: Kind
    params: dict[str, Any]
    window: WindowName
    unit: UnitName = DEFAULT_UNIT


def reader_for(registry: Registry, path: Path) -> SourceReader:
    """The reader registered for the file's name ending (SourceError if there is none)."""
    name = path.name.lower()
    for extension in sorted(registry.readers, key=len, reverse=True):
        if name.endswith(extension):
            return registry.readers[extension]
    known = ", ".join(sorted(registry.readers)) or "none"
    raise SourceError.at(path, "no reader for this kind of file (readers: {known})", known=known)


def _unknown_kind(registry: Registry, name: str) -> Message:
    known = ", ".join(sorted(registry.kinds)) or "none"
    failed = registry.failed()
    if failed:
        names = "; ".join(f"{p.name}: {p.error}" for p in failed)
        return message(
            "kind '{kind}' is not provided by any plugin (kinds: {known}); plugins that "
            "failed to load: {failed}",
            kind=name,
            known=known,
            failed=names,
        )
    return message(
        "kind '{kind}' is not provided by any plugin (kinds: {known})", kind=name, known=known
    )


def _kind_check(kind: Kind, params: dict[str, Any], sources: frozenset[str]) -> Message | None:
    """What the kind's own ``check`` says; a check that raises is the plugin's fault."""
    assert kind.check is not None
    try:
        found = kind.check(params, sources)
    except Exception as error:  # a plugin's failure is reported, never fatal
        return message(
            "kind '{kind}' failed to check its parameters: {reason}",
            kind=kind.name,
            reason=f"{type(error).__name__}: {error}",
        )
    if found is None or isinstance(found, Message):
        return found
    return Message(str(found))


def check_plan(
    plan: Plan, registry: Registry, *, trusted: bool = True
) -> tuple[list[ResolvedIndicator], list[Problem]]:
    """Check what depends on plugins and sources; return the resolved indicators and problems.

    Every problem is reported, not only the first. A plan that is not ``trusted`` may have no
    ``plugins_dir`` and read only regular files inside its folder: a source it may not read
    is a problem, and is not opened.
    """
    problems: list[Problem] = []
    refused: Mapping[KeyPath, Message] = {} if trusted else plan_refusals(plan)
    problems += [plan.problem(key, text) for key, text in refused.items()]
    if trusted and plan.plugins_dir is not None:
        what = directory_problem(plan.plugins_dir)
        if what is not None:
            text = message("{path}: {what}", path=plan.plugins_dir, what=what)
            problems.append(plan.problem(("plan", "plugins_dir"), text))
    if plan.scoring.aggregation not in registry.aggregations:
        known = ", ".join(sorted(registry.aggregations))
        text = message(
            "unknown aggregation '{name}' (aggregations: {known})",
            name=plan.scoring.aggregation,
            known=known,
        )
        problems.append(plan.problem(("scoring", "aggregation"), text))
    resolved = []
    columns: dict[Path, list[str] | SourceError] = {}
    # What was reported already, as a set: a plan of thousands of faulty indicators must not
    # compare each new problem with every earlier one.
    seen = {_identity(p) for p in problems}
    for indicator in plan.indicators:
        for found in _check_indicator(plan, registry, indicator, columns, refused):
            if isinstance(found, ResolvedIndicator):
                resolved.append(found)
            elif _identity(found) not in seen:
                seen.add(_identity(found))
                problems.append(found)
    return resolved, problems


def _identity(problem: Problem) -> tuple[object, ...]:
    """What makes two problems the same, as a hashable value (a message's arguments are a
    mapping, which is not)."""
    return (problem.file, problem.line, problem.column, problem.key, problem.text.render())


def _check_indicator(
    plan: Plan,
    registry: Registry,
    indicator: Indicator,
    columns: dict[Path, list[str] | SourceError],
    refused: Mapping[KeyPath, Message],
) -> Iterator[Problem | ResolvedIndicator]:
    here = ("indicators", indicator.id)
    plugins = registry.kind_plugins.get(indicator.kind, [])
    if len(plugins) > 1:
        text = message(
            "kind '{kind}' is provided by several plugins ({plugins}): remove all but one",
            kind=indicator.kind,
            plugins=", ".join(plugins),
        )
        yield plan.problem((*here, "kind"), text)
        return
    if indicator.kind not in registry.kinds:
        yield plan.problem((*here, "kind"), _unknown_kind(registry, indicator.kind))
        return
    kind = registry.kinds[indicator.kind]
    ok = True
    window = indicator.window or kind.default_window
    if window not in kind.windows:
        ok = False
        text = message(
            "kind '{kind}' does not support window '{window}' (windows: {windows})",
            kind=kind.name,
            window=window,
            windows=", ".join(kind.windows),
        )
        yield plan.problem((*here, "window"), text)
    unit = indicator.unit or kind.unit
    if is_share(unit):
        points: list[tuple[tuple[str | int, ...], Fraction]] = [
            (("baseline", "value"), indicator.baseline.value)
        ]
        points += [(("targets", i, "value"), t.value) for i, t in enumerate(indicator.targets)]
        for where, value in points:
            if not 0 <= value <= 1:
                ok = False
                text = message(
                    "the indicator measures a share, written as a fraction from 0 to 1 "
                    "(70% is 0.70), found {value}",
                    value=f"{float(value):g}",
                )
                yield plan.problem((*here, *where), text)
    params, wrong = resolve_params(
        kind.params, indicator.params, {"indicator": indicator.id, "task": indicator.task}
    )
    for name, problem in wrong:
        ok = False
        yield plan.problem((*here, "params", name), problem)
    if not wrong and kind.check is not None:
        said = _kind_check(kind, params, frozenset(indicator.sources))
        if said is not None:
            ok = False
            yield plan.problem(here, said)
    needed = [s.name for s in kind.sources]
    for name in indicator.sources:
        if name not in needed:
            ok = False
            text = message(
                "kind '{kind}' has no source '{name}' (sources: {sources})",
                kind=kind.name,
                name=name,
                sources=", ".join(needed),
            )
            yield plan.problem((*here, "sources", name), text)
    for source in kind.sources:
        if source.name not in indicator.sources:
            if not source.required:
                continue
            ok = False
            text = message(
                "missing source '{name}' (kind '{kind}' needs: {sources})",
                name=source.name,
                kind=kind.name,
                sources=", ".join(needed),
            )
            yield plan.problem((*here, "sources"), text)
            continue
        path = indicator.sources[source.name]
        key = (*here, "sources", source.name)
        if key in refused:
            ok = False  # told already, and not to be opened
            continue
        what = file_problem(path)
        if what is not None:
            ok = False
            yield plan.problem(key, message("{path}: {what}", path=path, what=what))
            continue
        if path not in columns:
            try:
                columns[path] = reader_for(registry, path).columns(path)
            except SourceError as error:
                columns[path] = error
        have = columns[path]
        if isinstance(have, SourceError):
            ok = False
            for found in have.problems:
                text = message("{where}{text}", where=found.location(), text=found.text)
                yield plan.problem(key, text)
            continue
        missing = [c.name for c in source.columns if c.name not in have]
        if missing:
            ok = False
            # The missing columns are named, not the header found: a file's first line is
            # its content (the header of a secret export, or a line of any file at all).
            template = (
                N_("{path}:1: lacks column {names} that kind '{kind}' needs")
                if len(missing) == 1
                else N_("{path}:1: lacks columns {names} that kind '{kind}' needs")
            )
            text = message(
                template, path=path, names=", ".join(f"'{m}'" for m in missing), kind=kind.name
            )
            yield plan.problem(key, text)
    if ok:
        yield ResolvedIndicator(indicator, kind, params, window, unit)
