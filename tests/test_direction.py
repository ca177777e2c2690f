"""A kind says whether more or less of its figure is better; a plan may say otherwise, and is
warned when it does."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Column, Engine, Kind, Measurement, Source
from vpcp_indicators.cli import cli

PLUGIN = """
from vpcp_indicators import Column, Kind, Measurement, Source, hookimpl

def slow(records, window, params):
    return Measurement(value=sum(1 for r in records["cases"] if r["state"] == "slow"))

@hookimpl
def register_kinds(register):
    register(Kind("slow_cases", "Slow cases", [Source("cases", [Column("state")])], compute=slow,
                  unit="number", direction="down"))
"""

DAY = dt.date(2012, 12, 31)


@pytest.fixture
def plan(tmp_path):
    """A plan of one indicator of the kind above: 7 slow cases against a baseline of 10 at
    the plan's start and a target of 4 on the date evaluated. Give ``direction`` to set it."""
    write_csv(tmp_path / "cases.csv", [{"state": "slow"}] * 7 + [{"state": "fast"}] * 2)
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slow.py").write_text(PLUGIN, "utf-8")

    def make(**keys):
        item = indicator(
            "slow_cases",
            {"cases": "cases.csv"},
            baseline={"on": "2011-01-01", "value": 10},
            targets=[{"by": "2012-12-31", "value": 4}],
            unit="number",
            **keys,
        )
        path = tmp_path / "plan.toml"
        path.write_text(plan_text([item], plan={"plugins_dir": "plugins"}), "utf-8")
        return path

    return make


def test_an_indicator_takes_its_kinds_direction_when_the_plan_says_none(plan):
    report = Engine(entry_points=False).evaluate(plan(), [DAY])
    result = report.latest.indicator("ind")
    # Less is better: 10 down to 7 of the way to 4 is (10 - 7) / (10 - 4) = half.
    assert (result.value, result.expected, result.score) == (7, 4, 50)
    assert result.status == "off_track"
    # The report's plan says the direction it was evaluated with.
    assert report.plan.indicators[0].direction == "down"
    assert report.to_dict()["plan"]["indicators"][0]["direction"] == "down"


def test_the_plans_direction_wins_and_validate_warns_of_it(plan):
    path = plan(direction="up")
    engine = Engine(entry_points=False)
    result = engine.evaluate(path, [DAY]).latest.indicator("ind")
    # More is better, as the plan says: 7 is above the 4 expected, so the score is full.
    assert (result.score, result.status) == (100, "achieved")
    assert engine.validate(path) == []  # not a mistake that stops an evaluation
    (warning,) = engine.validate(path, warnings=True)
    assert warning.severity == "warning"
    assert warning.key == "indicators[0].direction"
    assert warning.message == "'up' turns kind 'slow_cases' around: for it, less is better"


def test_the_same_direction_as_the_kinds_is_no_warning(plan):
    assert Engine(entry_points=False).validate(plan(direction="down"), warnings=True) == []


def test_validate_shows_the_warning_on_one_line_and_finds_the_plan_sound(plan):
    path = plan(direction="up")
    result = CliRunner().invoke(cli, ["validate", "--lang", "en", str(path)])
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"warning: {path}:")
    assert line.endswith(
        "indicators[0].direction: 'up' turns kind 'slow_cases' around: for it, less is better"
    )
    assert "is sound" in result.stdout


@pytest.mark.parametrize("wrong", ["sideways", None, "Down"])
def test_a_kind_with_a_direction_that_is_none_of_up_and_down_is_refused(wrong):
    with pytest.raises(ValueError, match="direction"):
        Kind(
            "k",
            "K",
            [Source("s", [Column("a")])],
            compute=lambda r, w, p: Measurement(value=1),
            direction=wrong,
        )


def test_a_kind_is_up_unless_it_says_otherwise():
    kind = Kind(
        "k", "K", [Source("s", [Column("a")])], compute=lambda r, w, p: Measurement(value=1)
    )
    assert kind.direction == "up"
