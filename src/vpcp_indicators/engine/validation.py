"""Checking a plan against the loaded plugins and its sources, before anything is computed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ..errors import Message, Problem, SourceError, message
from ..filekinds import directory_problem
from ..kinds.kind import Kind, resolve_params
from ..organisation import Tree
from ..plan.confine import plan_refusals
from ..plan.locations import Path as KeyPath
from ..plan.model import Direction, Indicator, Plan
from ..plan.orgunits import MAX_LEVELS, tree_faults
from ..plan.sourceref import SourceRef
from ..plugins.registry import Registry
from ..units import UNITS, Unit, unit_of
from ..windows import WindowName
from .breakdowns import breakdown_of
from .source_checks import Found, reader_for, source_problems

__all__ = ["ResolvedIndicator", "as_evaluated", "check_plan", "reader_for"]


@attrs.frozen
class ResolvedIndicator:
    """An indicator whose kind, parameters (defaults filled in) and window are known; its
    direction is filled in from its kind's when the plan leaves it out, and a breakdown tied
    to the units knows its source and column."""

    indicator: Indicator
    kind: Kind
    params: dict[str, Any]
    window: WindowName
    unit: Unit
    #: The counted source and its column of unit ids, when the breakdown rolls up the
    #: plan's units; else None.
    by_units: tuple[str, str] | None = None
    #: The unit ids whose records alone are counted (``evaluate --unit``); None for all.
    confine: frozenset[str] | None = None

    @property
    def direction(self) -> Direction:
        """Whether more or less is better: the plan's word, else the kind's."""
        return self.indicator.direction or self.kind.direction

    @property
    def min_denominator(self) -> int:
        """The fewest records a share may rest on: the plan's word, else the kind's."""
        return self.indicator.min_denominator or self.kind.min_denominator


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

    Every problem is reported, not only the first; warnings (``severity == "warning"``) are
    among them, and do not keep an indicator from being resolved. A plan that is not
    ``trusted`` may have no ``plugins_dir`` and read only regular files inside its folder: a
    source it may not read is a problem, and is not opened.
    """
    refused: Mapping[KeyPath, Message] = {} if trusted else plan_refusals(plan)
    problems = [plan.problem(key, text) for key, text in refused.items()]
    problems += [plan.problem(key, text) for key, text in _plan_problems(plan, registry, trusted)]
    resolved = []
    columns: dict[SourceRef, list[str] | SourceError] = {}
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
    problems += _unit_problems(plan, resolved)
    problems += _unused_labels(plan, registry)
    return resolved, problems


def _unit_problems(plan: Plan, resolved: Sequence[ResolvedIndicator]) -> Iterator[Problem]:
    """Two kinds declaring display units of one name that differ: a report names a unit,
    so it must mean one thing."""
    first: dict[str, ResolvedIndicator] = {}
    for item in resolved:
        if item.unit.name in UNITS:
            continue
        other = first.setdefault(item.unit.name, item)
        if other.unit != item.unit:
            yield plan.problem(
                ("indicators", item.indicator.id, "kind"),
                message(
                    "kind '{kind}' declares unit '{unit}' unlike kind '{other}'",
                    kind=item.kind.name,
                    unit=item.unit.name,
                    other=other.kind.name,
                ),
            )


def as_evaluated(plan: Plan, resolved: Sequence[ResolvedIndicator]) -> Plan:
    """The plan as a report gives it: each indicator's direction filled in from its kind
    where the plan left it out, and the display units of its kinds."""
    return attrs.evolve(
        plan,
        indicators=tuple(item.indicator for item in resolved),
        display_units={i.unit.name: i.unit for i in resolved if i.unit.name not in UNITS},
    )


def _plan_problems(plan: Plan, registry: Registry, trusted: bool) -> Iterator[Found]:
    """A plugins directory that is not one (a plan not trusted has no plugins to load), an
    aggregation no plugin provides, and a tree of units too deep (the loader cuts a plan
    file's; a plan made in code is checked here)."""
    if trusted and plan.plugins_dir is not None:
        what = directory_problem(plan.plugins_dir)
        if what is not None:
            yield (
                ("plan", "plugins_dir"),
                message("{path}: {what}", path=plan.plugins_dir, what=what),
            )
    if plan.scoring.aggregation not in registry.aggregations:
        known = ", ".join(sorted(registry.aggregations))
        yield (
            ("scoring", "aggregation"),
            message(
                "unknown aggregation '{name}' (aggregations: {known})",
                name=plan.scoring.aggregation,
                known=known,
            ),
        )
    yield from ((("units",), fault) for fault in tree_faults(plan.units))
    levels = 1 + max((depth for depth, _ in Tree(plan.units).walk()), default=-1)
    if levels > MAX_LEVELS:
        deep = message(
            "the tree of units is {levels} levels deep: a tree has at most {most}",
            levels=levels,
            most=MAX_LEVELS,
        )
        yield (("units",), deep)


def _identity(problem: Problem) -> tuple[object, ...]:
    """What makes two problems the same, as a hashable value (a message's arguments are a
    mapping, which is not)."""
    return (problem.file, problem.line, problem.column, problem.key, problem.text.render())


def _check_indicator(
    plan: Plan,
    registry: Registry,
    indicator: Indicator,
    columns: dict[SourceRef, list[str] | SourceError],
    refused: Mapping[KeyPath, Message],
) -> Iterator[Problem | ResolvedIndicator]:
    """The problems of an indicator, each at its key, in the order of its keys; or, if it
    has none, the indicator resolved."""
    here = ("indicators", indicator.id)
    kind = _kind_of(registry, indicator.kind)
    if not isinstance(kind, Kind):
        yield plan.problem((*here, "kind"), kind)
        return
    window = indicator.window or kind.default_window
    unit = unit_of(indicator.unit) if indicator.unit else kind.unit
    params, wrong = resolve_params(
        kind.params, indicator.params, {"indicator": indicator.id, "task": indicator.task}
    )
    # A source the plan may not read was told of already, and is not to be opened.
    unread = {name for name in indicator.sources if (*here, "sources", name) in refused}
    by_units, breakdown = breakdown_of(kind, indicator, params)
    found = [
        *_window_problems(kind, window),
        *_share_problems(indicator, unit),
        *_param_problems(kind, indicator, params, wrong),
        *breakdown,
        *source_problems(registry, kind, indicator, columns, unread),
    ]
    yield from (plan.problem((*here, *key), text) for key, text in found)
    if indicator.direction is not None and indicator.direction != kind.direction:
        turned = (
            message("'down' turns kind '{kind}' around: for it, more is better", kind=kind.name)
            if kind.direction == "up"
            else message("'up' turns kind '{kind}' around: for it, less is better", kind=kind.name)
        )
        yield attrs.evolve(plan.problem((*here, "direction"), turned), severity="warning")
    if not found and not unread:
        if indicator.direction is None:
            indicator = attrs.evolve(indicator, direction=kind.direction)
        yield ResolvedIndicator(indicator, kind, params, window, unit, by_units)


def _kind_of(registry: Registry, name: str) -> Kind | Message:
    """The kind of this name, or why there is none to use."""
    plugins = registry.kind_plugins.get(name, [])
    if len(plugins) > 1:
        return message(
            "kind '{kind}' is provided by several plugins ({plugins}): remove all but one",
            kind=name,
            plugins=", ".join(plugins),
        )
    if name not in registry.kinds:
        return _unknown_kind(registry, name)
    return registry.kinds[name]


def _window_problems(kind: Kind, window: str) -> Iterator[Found]:
    """A window the kind does not support."""
    if window not in kind.windows:
        yield (
            ("window",),
            message(
                "kind '{kind}' does not support window '{window}' (windows: {windows})",
                kind=kind.name,
                window=window,
                windows=", ".join(kind.windows),
            ),
        )


def _share_problems(indicator: Indicator, unit: Unit) -> Iterator[Found]:
    """For a share, each baseline or target value outside 0 to 1 (a percentage, mostly)."""
    if not unit.share:
        return
    points: list[tuple[KeyPath, Fraction]] = [(("baseline", "value"), indicator.baseline.value)]
    points += [(("targets", i, "value"), t.value) for i, t in enumerate(indicator.targets)]
    for where, value in points:
        if not 0 <= value <= 1:
            yield (
                where,
                message(
                    "the indicator measures a share, written as a fraction from 0 to 1 "
                    "(70% is 0.70), found {value}",
                    value=f"{float(value):g}",
                ),
            )


def _param_problems(
    kind: Kind,
    indicator: Indicator,
    params: dict[str, Any],
    wrong: Sequence[tuple[str, Message]],
) -> Iterator[Found]:
    """Each parameter that is unknown or not as declared; else what the kind's own check
    says of them together."""
    for name, problem in wrong:
        yield ("params", name), problem
    if not wrong and kind.check is not None:
        said = _kind_check(kind, params, frozenset(indicator.sources))
        if said is not None:
            yield (), said


def _unused_labels(plan: Plan, registry: Registry) -> list[Problem]:
    """A warning for each column the plan labels that no indicator's kind reads (a column
    misspelt, most likely): its labels would never be shown. Not a mistake that stops an
    evaluation."""
    if any(indicator.kind not in registry.kinds for indicator in plan.indicators):
        return []  # what an unknown kind reads is not known: that kind is the problem told
    read = {
        column.name
        for indicator in plan.indicators
        if indicator.kind in registry.kinds
        for source in registry.kinds[indicator.kind].sources
        for column in source.columns
    }
    return [
        attrs.evolve(
            plan.problem(
                ("labels", column),
                message("no indicator's kind reads a column '{column}'", column=column),
            ),
            severity="warning",
        )
        for column in plan.labels
        if column not in read
    ]
