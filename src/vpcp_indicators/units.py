"""The units an indicator's value is read in: every unit, declared once.

A unit says how a value reads: ``ratio``, a share from 0 to 1 shown as a percentage, or
``number``, shown with two decimals. A kind may declare a display unit of its own beside
them, with a label and its decimals (``Unit("days", label={"en": "days", "vi": "ngày"},
decimals=0)``). The plan's ``unit`` key, a kind's ``unit``, the checks of a share's targets
and every output read their units from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from .i18n import N_, Text, text

__all__ = [
    "DEFAULT_UNIT",
    "UNITS",
    "UNIT_TABLE",
    "Unit",
    "UnitName",
    "as_unit",
    "is_share",
    "unit_of",
]

#: The name of a built-in unit, as plans, kinds and the JSON output write it.
UnitName = Literal["ratio", "number"]


def _decimals(_unit: Unit, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise ValueError(f"decimals must be a whole number from 0 to 6, not {value!r}")


@attrs.frozen
class Unit:
    """A unit: its name, its label (what follows a value: "days", in one language or by
    language), how many decimals a value is shown with, whether it is a share, and what it
    means (one line).

    A share lies between 0 and 1 (a plan writes 70% as 0.70) and is shown as a percentage;
    any other unit is a plain number, shown with ``decimals`` decimals and its ``label``.
    """

    name: str
    label: Text = attrs.field(default="", converter=text)
    decimals: int = attrs.field(default=2, validator=_decimals)
    share: bool = False
    description: str = ""


#: Every built-in unit, the default first. What a chart's axis calls a number is its label.
UNIT_TABLE: tuple[Unit, ...] = (
    Unit("ratio", decimals=1, share=True, description="a share from 0 to 1, shown as a percentage"),
    Unit("number", description="a number, shown with two decimals"),
)

#: The names of the built-in units, in the order of the table.
UNITS: tuple[UnitName, ...] = ("ratio", "number")

#: The unit of a kind that does not name one.
DEFAULT_UNIT: UnitName = UNITS[0]

#: What a chart's axis says a figure counts when its unit has no label of its own.
NUMBER_LABEL = N_("number")

_BY_NAME: dict[str, Unit] = {unit.name: unit for unit in UNIT_TABLE}


def unit_of(name: str, declared: Mapping[str, Unit] | None = None) -> Unit:
    """The unit of this name: a built-in one, or one of ``declared`` (KeyError if none)."""
    if declared and name in declared:
        return declared[name]
    return _BY_NAME[name]


def is_share(name: str) -> bool:
    """Whether a value in the built-in unit of this name is a share (False for a unit of a
    kind's own: those are never shares)."""
    return name in _BY_NAME and _BY_NAME[name].share


def as_unit(value: str | Unit) -> Unit:
    """A kind's unit: a built-in one by name, or a :class:`Unit` of its own, which may not
    take a built-in unit's name (the converter of ``Kind.unit``)."""
    if isinstance(value, Unit):
        if value.name in _BY_NAME:
            if value != _BY_NAME[value.name]:
                raise ValueError(f"unit {value.name!r} is built in: give yours another name")
            return value
        if value.share:
            raise ValueError(f"unit {value.name!r}: a share is the built-in unit 'ratio'")
        return value
    if value not in _BY_NAME:
        raise ValueError(f"unknown unit {value!r}: give one of {', '.join(UNITS)} or a Unit")
    return _BY_NAME[value]
