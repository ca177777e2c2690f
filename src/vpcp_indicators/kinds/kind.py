"""Indicator kinds as plugins declare them: their sources (``columns.py``), parameters
(``params.py``) and way of counting (``counting.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import Message
from ..i18n import Text, text
from ..measurement import Measurement
from ..plan.model import DIRECTIONS, Direction
from ..units import DEFAULT_UNIT, Unit, as_unit, unit_of
from ..windows import DATED_WINDOWS, WINDOWS, Window, WindowName
from .columns import COLUMN_TYPES, Column, Record, Source
from .counting import After, Condition, Count, InWindow, OnOrBefore
from .params import DEFAULT_FROM, PARAM_TYPES, Param, as_records, params_tuple, resolve_params

__all__ = [
    "COLUMN_TYPES",
    "DEFAULT_FROM",
    "PARAM_TYPES",
    "Column",
    "Kind",
    "Param",
    "Record",
    "Source",
    "as_records",
    "resolve_params",
]


def _sources(values: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(values)


def _windows(values: Iterable[WindowName]) -> tuple[WindowName, ...]:
    return tuple(values)


CountFunction = Callable[[Mapping[str, Any]], Count]
ComputeFunction = Callable[[Mapping[str, Sequence[Record]], Window, Mapping[str, Any]], Measurement]
CheckFunction = Callable[[Mapping[str, Any], frozenset[str]], "Message | str | None"]


@attrs.frozen
class Kind:
    """An indicator kind: how a plugin turns records into a :class:`Measurement`.

    Give ``count``, a function of the resolved parameters returning a :class:`Count` (the
    engine then counts, in Python or in a database); or ``compute``, a function of the
    validated records of each source, the window and the parameters, returning a
    :class:`Measurement` (the records are read once and handed over for each date).

    ``windows`` lists the windows the kind supports (by default every window of dated
    records), ``default_window`` the one an indicator gets when the plan names none; ``unit``
    says how its value reads: ``"ratio"`` (a share, the default), ``"number"``, or a
    :class:`Unit` of its own with a label and decimals (``Unit("days", label="days",
    decimals=0)``); ``direction`` whether more (``up``, the
    default) or less (``down``: "median days to process a document") is better. A plan may
    say otherwise per indicator, and ``validate`` warns when it turns a kind's direction.
    ``min_denominator`` is the fewest records a share of the kind may rest on before it is
    judged (default 1: any); a plan may say otherwise per indicator.

    ``check``, if given, is called before anything is computed with the resolved parameters
    and the names of the sources the plan gives; it returns why they do not fit together
    (say, "give the source or the inline values, not both"), or None. The declarations
    (``params``, ``sources``) are checked by the core; ``check`` is for rules between them.
    """

    name: str
    title: Text = attrs.field(converter=text)
    sources: tuple[Source, ...] = attrs.field(converter=_sources)
    count: CountFunction | None = None
    compute: ComputeFunction | None = None
    params: tuple[Param, ...] = attrs.field(default=(), converter=params_tuple)
    # Checked when made: a plugin's kind is not type-checked, and a window or unit the
    # engine does not know would fail only when an indicator of the kind is evaluated.
    windows: tuple[WindowName, ...] = attrs.field(
        default=DATED_WINDOWS,
        converter=_windows,
        validator=attrs.validators.deep_iterable(attrs.validators.in_(WINDOWS)),
    )
    default_window: WindowName = DATED_WINDOWS[0]
    unit: Unit = attrs.field(default=unit_of(DEFAULT_UNIT), converter=as_unit)
    description: Text = attrs.field(default="", converter=text)
    check: CheckFunction | None = None
    direction: Direction = attrs.field(
        default=DIRECTIONS[0], validator=attrs.validators.in_(DIRECTIONS)
    )
    min_denominator: int = attrs.field(
        default=1, validator=[attrs.validators.instance_of(int), attrs.validators.ge(1)]
    )

    def __attrs_post_init__(self) -> None:
        if (self.count is None) == (self.compute is None):
            raise ValueError(f"kind {self.name!r}: give exactly one of count= and compute=")
        # Declarative counts compare text and dates in Python and in SQL alike; numbers would
        # need one arithmetic in both, which counts do not need.
        if self.count is not None and any(
            c.type == "number" for s in self.sources for c in s.columns
        ):
            raise ValueError(f"kind {self.name!r}: number columns are for compute= kinds")
        if self.default_window not in self.windows:
            raise ValueError(f"kind {self.name!r}: default window not among its windows")

    def source(self, name: str) -> Source:
        """The source of this name (KeyError if the kind has none)."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def check_count(self, count: object) -> str | None:
        """Why a count this kind's ``count()`` returned cannot be carried out, or None.

        Every source and column it reads must be declared, and date tests must read date
        columns: a plugin's slip becomes the indicator's error, not a crash.
        """
        if not isinstance(count, Count):
            return f"count() returned {type(count).__name__}, not a Count"
        group = {count.group_by} if count.group_by else set()
        reads: list[tuple[str, tuple[Condition, ...], set[str]]] = [
            (count.source, count.conditions(), group)
        ]
        reads += [(r.source, (r.where,), r.related_columns()) for r in count.related()]
        names = [s.name for s in self.sources]
        for source_name, conditions, extra in reads:
            if source_name not in names:
                return f"count() reads source '{source_name}', which the kind does not declare"
            source = self.source(source_name)
            columns = {c.name: c for c in source.columns}
            tests = [t for c in conditions for t in c.walk()]
            used = set(extra) | {name for t in tests for name in t.columns()}
            for name in sorted(used - set(columns)):
                return (
                    f"count() reads column '{name}', which source '{source_name}' does not declare"
                )
            for test in tests:
                if isinstance(test, OnOrBefore | After | InWindow) and (
                    columns[test.column].type != "date"
                ):
                    return f"count() compares column '{test.column}' as a date, but it is text"
        return None
