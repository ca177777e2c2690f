"""Statuses, windows and units are each declared once, in one table, and every other part of
the package reads them from it: the reports' symbols, names and colours, the windows a kind
supports by default, the units a kind or a plan may name."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import get_args

import attrs
import pytest
from conftest import ROOT

import vpcp_indicators
from vpcp_indicators import Engine, Kind, RenderOptions, Report
from vpcp_indicators.i18n import language
from vpcp_indicators.kinds.counting import Always, Count
from vpcp_indicators.kinds.kind import Source
from vpcp_indicators.milestones import MILESTONE_STATES
from vpcp_indicators.plan.model import DIRECTIONS, Direction
from vpcp_indicators.scoring import STATUS_TABLE, STATUSES, StatusCode, status_of
from vpcp_indicators.trend import PROGRESS
from vpcp_indicators.units import UNIT_TABLE, UNITS, UnitName, is_share, unit_of
from vpcp_indicators.windows import DATED_WINDOWS, WINDOW_TABLE, WINDOWS, WindowName, window_on

PACKAGE = ROOT / "src" / "vpcp_indicators"


def test_each_literal_type_is_the_names_of_its_table():
    assert get_args(StatusCode) == STATUSES
    assert get_args(WindowName) == WINDOWS
    assert get_args(UnitName) == UNITS
    assert get_args(Direction) == DIRECTIONS


def test_the_public_statuses_are_the_table_best_first():
    assert vpcp_indicators.STATUSES == (
        "achieved",
        "on_track",
        "at_risk",
        "off_track",
        "insufficient_data",
        "no_data",
        "error",
    )
    assert [s.code for s in STATUS_TABLE] == list(vpcp_indicators.STATUSES)


def test_each_status_has_its_own_symbol_and_colours_and_a_translated_name():
    assert len({s.symbol for s in STATUS_TABLE}) == len(STATUS_TABLE)
    assert len({s.colours.terminal for s in STATUS_TABLE}) == len(STATUS_TABLE)
    vi = language("vi")
    for status in STATUS_TABLE:
        assert vi.gettext(status.label) != status.label, status.code
        assert status_of(status.code) is status


def test_each_window_has_a_translated_name_and_its_first_day():
    vi = language("vi")
    for rule in WINDOW_TABLE:
        assert vi.gettext(rule.label) != rule.label, rule.name
        window = window_on(rule.name, dt.date(2013, 5, 5), dt.date(2011, 1, 1))
        assert window.kind == rule.name and window.end == dt.date(2013, 5, 5)
        assert window.point == rule.point == (window.start == window.end)
    assert tuple(r.name for r in WINDOW_TABLE if not r.point) == DATED_WINDOWS


def test_a_share_is_shown_as_a_percentage_and_a_number_plainly():
    en = language("en")
    assert [u.name for u in UNIT_TABLE if u.share] == ["ratio"]
    assert en.value(0.705, unit_of("ratio")) == "70.5%"
    assert en.value(0.705, unit_of("number")) == "0.70"
    assert is_share("ratio") and not is_share("number")


def counting_kind(**changes: object) -> Kind:
    return Kind(
        name="k",
        title="K",
        sources=[Source("records", [])],
        count=lambda params: Count("records", Always()),
        **changes,
    )


def test_a_kind_supports_the_windows_of_dated_records_unless_it_says():
    kind = counting_kind()
    assert kind.windows == DATED_WINDOWS
    assert kind.default_window == DATED_WINDOWS[0]
    assert kind.unit.name == UNITS[0]


@pytest.mark.parametrize(
    "changes",
    [{"unit": "percent"}, {"windows": ("year", "week")}, {"default_window": "week"}],
)
def test_a_kind_naming_a_window_or_unit_the_engine_does_not_know_is_refused(changes):
    with pytest.raises(ValueError):
        counting_kind(**changes)


def test_the_page_styles_each_status_from_the_table(seed_report: Report, monkeypatch):
    page = Engine().render(seed_report, "html")
    for status in STATUS_TABLE:
        rule = f".status-{status.code} {{ color: {status.colours.text}; "
        assert rule + f"background: {status.colours.background}; }}" in page
        mark = f".chart .status-{status.code} circle {{ fill: {status.colours.mark}; }}"
        assert (mark in page) == (status.colours.mark is not None)
    # Change the table, and the page follows.
    first = attrs.evolve(
        STATUS_TABLE[0], colours=attrs.evolve(STATUS_TABLE[0].colours, text="#123456")
    )
    monkeypatch.setattr("vpcp_indicators.formats.html.STATUS_TABLE", (first, *STATUS_TABLE[1:]))
    assert ".status-achieved { color: #123456;" in Engine().render(seed_report, "html")


def test_the_terminal_colours_each_status_from_the_table(seed_report: Report):
    text = Engine().render(seed_report, "table", RenderOptions(lang="en", color=True))
    for code in {e.status for e in seed_report.evaluations}:
        status = status_of(code)
        assert f"\x1b[{status.colours.terminal}m{status.symbol} {status.label}" in text


# -- said once --------------------------------------------------------------------------------

#: Where each table lives, and the names it declares.
HOMES = {
    "scoring.py": STATUSES,
    "windows.py": WINDOWS,
    "units.py": UNITS,
    "milestones.py": MILESTONE_STATES,
    "trend.py": PROGRESS,
}
#: Names that are also other things, and so may be written elsewhere: ``error`` is also the
#: field of a plugin's error and a kind of message, ``at_risk`` the key of ``[scoring]``,
#: ``number`` the type of a column, a parameter or a plan key.
HOMONYMS = {"error", "at_risk", "number"}
#: The variables and attributes that hold a status, a window or a unit (and ``window.kind``):
#: no module compares them with a name written out, whatever the name.
HOLDERS = {"status", "window", "unit", "default_window", "windows"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def _name(node: ast.AST) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def _holder(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "kind":
        return _name(node.value) == "window"
    return _name(node) in HOLDERS


def spelled_out(path: Path, package: Path = PACKAGE) -> list[str]:
    """Each place in a module that writes out a status, window or unit it does not declare."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = _docstrings(tree)
    own = HOMES.get(path.name, ()) if path.parent == package else ()
    names = {n for table in HOMES.values() for n in table} - HOMONYMS - set(own)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in names and id(node) not in docstrings:
            found.append(f"{path.relative_to(package)}:{node.lineno}: {node.value!r}")
        if isinstance(node, ast.Compare) and any(map(_holder, [node.left, *node.comparators])):
            for side in [node.left, *node.comparators]:
                if isinstance(side, ast.Constant) and isinstance(side.value, str):
                    found.append(f"{path.relative_to(package)}:{node.lineno}: == {side.value!r}")
    return found


def test_no_module_spells_out_a_status_window_or_unit_of_another():
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in spelled_out(path)]
    assert found == []


def test_the_check_finds_a_status_written_out(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text('def f(result):\n    return result.status == "error" or "on_track"\n')
    assert len(spelled_out(module, tmp_path)) == 2
