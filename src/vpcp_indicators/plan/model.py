"""The plan as values: tasks, projects, indicators and their dated targets.

A :class:`Plan` is what :func:`vpcp_indicators.load_plan` returns. Every class here is frozen:
a plan, once read, is a value that computing never changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import attrs

from ..errors import Message, Problem
from ..i18n import Text, text, text_in
from ..units import Unit, UnitName, unit_of
from ..windows import WindowName
from .locations import KeyLocator
from .sourceref import SourceRef

__all__ = [
    "DIRECTIONS",
    "Baseline",
    "Breakdown",
    "Direction",
    "Indicator",
    "Labels",
    "OrgUnit",
    "Plan",
    "Project",
    "Scoring",
    "Target",
    "Task",
    "exact",
]

#: Whether more (``up``) or less (``down``) of an indicator is better.
Direction = Literal["up", "down"]

#: Every direction, the default first.
DIRECTIONS: tuple[Direction, ...] = ("up", "down")


def exact(number: float | int | Fraction) -> Fraction:
    """A number as an exact fraction, taking a float as the decimal it is written as.

    ``0.7`` becomes ``7/10``, not the binary fraction nearest to it, so that a value of 7 out
    of 10 meets a target of 0.7 and a score of 63% against 70% is exactly 90.
    """
    if isinstance(number, Fraction):
        return number
    if isinstance(number, float):
        return Fraction(repr(number))
    return Fraction(number)


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


#: Names for the codes of columns: column, then code, then its label (in one language, or
#: by language).
Labels = Mapping[str, Mapping[str, Text]]


def _frozen_labels(value: Mapping[str, Mapping[str, Text]]) -> Labels:
    return MappingProxyType(
        {column: MappingProxyType({code: text(label) for code, label in codes.items()})
         for column, codes in value.items()}
    )  # fmt: skip


@attrs.frozen
class Target:
    """A milestone: the indicator's ``value`` is to be reached ``by`` this date."""

    by: dt.date
    value: Fraction = attrs.field(converter=exact)


@attrs.frozen
class Baseline:
    """Where the indicator starts: ``value`` on the date ``on``."""

    on: dt.date
    value: Fraction = attrs.field(converter=exact)


@attrs.frozen
class Project:
    """A project (dự án) of a task, with its lead unit (đơn vị chủ trì)."""

    id: str
    title: str
    lead: str | None = None


@attrs.frozen
class Task:
    """A task (nhiệm vụ) of the plan; its score aggregates its indicators'."""

    id: str
    title: str
    weight: Fraction = attrs.field(default=Fraction(1), converter=exact)
    projects: tuple[Project, ...] = ()
    description: str | None = None


@attrs.frozen
class OrgUnit:
    """A unit of the organisation (a ministry, a province, a department): ``id`` is the value
    records hold for it, ``parent`` the id of the unit it belongs to (None at the top)."""

    id: str
    title: str
    parent: str | None = None


@attrs.frozen
class Breakdown:
    """How a plan breaks an indicator's figures down: by ``column`` (None: the kind's), and
    with ``units`` along the plan's tree of units, the column holding their ids."""

    column: str | None = None
    units: bool = False


def _source_refs(value: Mapping[str, SourceRef | Path | str]) -> Mapping[str, SourceRef]:
    # A plan made in code may name its files by path, as plans did before sources had kinds.
    return _frozen_mapping(
        {
            name: ref if isinstance(ref, SourceRef) else SourceRef.file(Path(ref), str(ref))
            for name, ref in value.items()
        }
    )


@attrs.frozen
class Indicator:
    """A measured figure of a task, computed by a plugin's kind from record sources.

    ``sources`` maps the kind's source names to where their records are (files resolved
    against the plan file); ``source_names`` names them as the plan wrote them, for messages
    and outputs.
    ``direction``, ``window``, ``unit`` and ``min_denominator`` are None when the plan leaves
    them to the kind's default, as ``breakdown`` says nothing by default; the plan of a
    :class:`~vpcp_indicators.Report` has each direction filled in.
    """

    id: str
    task: str
    kind: str
    title: str
    targets: tuple[Target, ...]
    baseline: Baseline
    weight: Fraction = attrs.field(default=Fraction(1), converter=exact)
    direction: Direction | None = None
    window: WindowName | None = None
    sources: Mapping[str, SourceRef] = attrs.field(factory=dict, converter=_source_refs)
    source_names: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_mapping)
    params: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping)
    description: str | None = None
    unit: UnitName | None = None
    min_denominator: int | None = None
    breakdown: Breakdown = Breakdown()

    def target_on(self, on: dt.date) -> Target:
        """The milestone in force on a date: the first not yet past, else the last."""
        for target in self.targets:
            if target.by >= on:
                return target
        return self.targets[-1]


@attrs.frozen
class Scoring:
    """How scores become statuses and how they aggregate (the plan's ``[scoring]`` table)."""

    at_risk: Fraction = attrs.field(default=Fraction(80), converter=exact)
    aggregation: str = "weighted_mean"


@attrs.frozen
class Plan:
    """An IT application plan: its period, tasks, indicators and scoring rules.

    ``path`` is the plan file as given; relative source paths were resolved against it.
    ``language`` is the language of its reports (``vi`` or ``en``) when the plan says.
    ``labels`` names the codes of columns (``labels["issuer"]["prime_minister"]``) for the
    reports people read; the plan's figures and its JSON keep the codes. ``units`` is the
    organisation's tree, parents before or after their children, in the plan's order.
    """

    id: str
    title: str
    start: dt.date
    end: dt.date
    tasks: tuple[Task, ...]
    indicators: tuple[Indicator, ...]
    scoring: Scoring = Scoring()
    decision: str | None = None
    description: str | None = None
    plugins_dir: Path | None = None
    language: str | None = None
    labels: Labels = attrs.field(factory=dict, converter=_frozen_labels)
    units: tuple[OrgUnit, ...] = ()
    path: Path | None = None
    locator: KeyLocator | None = attrs.field(default=None, eq=False, repr=False)
    #: The display units of its indicators' kinds, by name (filled in for a report).
    display_units: Mapping[str, Unit] = attrs.field(factory=dict, converter=_frozen_mapping)
    # Each indicator id's position, made once: a plan with thousands of faulty indicators
    # gets a problem per indicator, and looking each one up in the list would be quadratic.
    _positions: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)

    @_positions.default
    def _index_indicators(self) -> Mapping[str, int]:
        positions: dict[str, int] = {}
        for index, indicator in enumerate(self.indicators):
            positions.setdefault(indicator.id, index)
        return MappingProxyType(positions)

    def unit(self, name: str) -> Unit:
        """The unit of this name: built in, or a display unit of one of its kinds."""
        return unit_of(name, self.display_units)

    def task(self, task_id: str) -> Task:
        """The task with this id (KeyError if there is none)."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def indicators_of(self, task_id: str) -> tuple[Indicator, ...]:
        """The indicators of a task, in plan order."""
        return tuple(i for i in self.indicators if i.task == task_id)

    def label(self, column: str | None, code: str, lang: str) -> str:
        """What reports show for a code of a column: its label in the language ``lang``
        (see :func:`~vpcp_indicators.i18n.text_in`), or the code itself when the plan does
        not label it."""
        label = self.labels.get(column or "", {}).get(code)
        return code if label is None else text_in(label, lang)

    def problem(self, path: tuple[str | int, ...], message: Message | str) -> Problem:
        """A problem at a key of the plan, located in its file when the plan came from one.

        An indicator is named by its id (``("indicators", "e-documents", "kind")``); it is
        turned into its position in the file.
        """
        if path[:1] == ("indicators",) and len(path) > 1 and isinstance(path[1], str):
            index = self._positions[path[1]]
            if self.locator is not None:
                index = self.locator.indicators.get(path[1], index)
            path = ("indicators", index, *path[2:])
        if self.locator is None:
            file = None if self.path is None else str(self.path)
            return KeyLocator(file or "<plan>").problem(path, message)
        return self.locator.problem(path, message)
