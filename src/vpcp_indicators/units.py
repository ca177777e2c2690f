"""The units an indicator's value is read in: every unit, declared once.

A unit says how a value reads: ``ratio``, a share from 0 to 1 shown as a percentage, or
``number``, shown plainly. The plan's ``unit`` key, a kind's ``unit``, the checks of a share's
targets and every output read their units from :data:`UNIT_TABLE`. It sits at the bottom of
the package because the language module writes values by their unit.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["DEFAULT_UNIT", "UNITS", "UNIT_TABLE", "Unit", "UnitName", "is_share", "unit_of"]

#: The name of a unit, as plans, kinds and the JSON output write it.
UnitName = Literal["ratio", "number"]


@attrs.frozen
class Unit:
    """A unit: its name, what it means (one line), and whether it is a share.

    A share lies between 0 and 1 (a plan writes 70% as 0.70) and is shown as a percentage;
    any other unit is a plain number.
    """

    name: UnitName
    description: str
    share: bool


#: Every unit, the default first.
UNIT_TABLE: tuple[Unit, ...] = (
    Unit("ratio", "a share from 0 to 1, shown as a percentage", share=True),
    Unit("number", "a number, shown as it is", share=False),
)

#: The names of the units, in the order of the table.
UNITS: tuple[UnitName, ...] = tuple(unit.name for unit in UNIT_TABLE)

#: The unit of a kind that does not name one.
DEFAULT_UNIT: UnitName = UNIT_TABLE[0].name

_BY_NAME: dict[str, Unit] = {unit.name: unit for unit in UNIT_TABLE}


def unit_of(name: str) -> Unit:
    """The unit of this name (KeyError if there is none)."""
    return _BY_NAME[name]


def is_share(name: str) -> bool:
    """Whether a value in the unit of this name is a share (KeyError if there is none)."""
    return _BY_NAME[name].share
