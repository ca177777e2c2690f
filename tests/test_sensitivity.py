"""How much the method decides: the plan's and each task's score and status under each
aggregation, with equal weights, and with each task left out in turn.

Worked by hand. Three reported values, on 2015-12-31, where the expected value is the
target (100, from 0): each indicator's score is its value. T1 (weight 1) holds a = 50
(weight 1) and b = 90 (weight 3); T2 (weight 2) holds c = 60.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from click.testing import CliRunner
from conftest import indicator, plan_text

from vpcp_indicators import Engine
from vpcp_indicators.cli import cli

ON = dt.date(2015, 12, 31)


def reported(id: str, task: str, value: float, weight: float):
    return indicator(
        "reported_value",
        {},
        id=id,
        task=task,
        unit="number",
        weight=weight,
        targets=[{"by": "2015-12-31", "value": 100}],
        params={"values": [{"reported_on": dt.date(2015, 6, 30), "value": value}]},
    )


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.toml"
    tasks = [{"id": "T1", "title": "One", "weight": 1}, {"id": "T2", "title": "Two", "weight": 2}]
    items = [reported("a", "T1", 50, 1), reported("b", "T1", 90, 3), reported("c", "T2", 60, 1)]
    path.write_text(plan_text(items, tasks=tasks), "utf-8")
    return path


def figures(variant):
    return (
        variant.kind,
        variant.aggregation,
        variant.left_out,
        pytest.approx(variant.score),
        variant.status,
        [(t.id, pytest.approx(t.score), t.status) for t in variant.tasks],
    )


GEOMETRIC_T1 = math.exp((math.log(50) + 3 * math.log(90)) / 4)  # 50^(1/4) × 90^(3/4)


@pytest.mark.parametrize("backend", ["duckdb", "python"])
def test_every_variant_by_hand(plan, backend):
    engine = Engine(cache=None)
    found = engine.sensitivity(plan, ON, backend=backend)
    t1, t2 = 80.0, 60.0  # (50 + 3 × 90) / 4; 60
    assert [figures(v) for v in found.variants] == [
        # The plan's own method: (1 × 80 + 2 × 60) / 3.
        ("plan", "weighted_mean", None, 200 / 3, "off_track", [
            ("T1", t1, "at_risk"), ("T2", t2, "off_track")]),
        ("aggregation", "geometric_mean", None,
         math.exp((math.log(GEOMETRIC_T1) + 2 * math.log(60)) / 3), "off_track", [
            ("T1", GEOMETRIC_T1, "off_track"), ("T2", t2, "off_track")]),
        ("aggregation", "minimum", None, 50.0, "off_track", [
            ("T1", 50.0, "off_track"), ("T2", t2, "off_track")]),
        # Equal weights: T1 (50 + 90) / 2 = 70, the plan (70 + 60) / 2 = 65.
        ("equal_weights", "weighted_mean", None, 65.0, "off_track", [
            ("T1", 70.0, "off_track"), ("T2", t2, "off_track")]),
        ("without_task", "weighted_mean", "T1", 60.0, "off_track", [("T2", t2, "off_track")]),
        ("without_task", "weighted_mean", "T2", 80.0, "at_risk", [("T1", t1, "at_risk")]),
    ]  # fmt: skip
    # The plan's own method gives what evaluate gives, to the last digit.
    report = engine.evaluate(plan, [ON], backend=backend)
    assert found.variants[0].score == report.latest.score
    assert [t.score for t in found.variants[0].tasks] == [t.score for t in report.latest.tasks]


def test_the_command_gives_a_table_and_json(plan, cli_env):
    args = ["sensitivity", str(plan), "--as-of", "2015-12-31", "--no-cache"]
    table = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0] == "How much the method decides: test-plan on 2015-12-31"
    row = next(line for line in lines if line.startswith("without task T2"))
    assert row.split()[3:7] == ["80.0", "▲", "at", "risk"]
    assert row.rstrip().endswith("–")  # T2's own column: left out
    vi = CliRunner().invoke(cli, [*args, "--lang", "vi"])
    assert "tất cả trọng số bằng nhau" in vi.stdout
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert data["as_of"] == "2015-12-31"
    assert [v["variant"] for v in data["variants"]] == [
        "plan",
        "aggregation",
        "aggregation",
        "equal_weights",
        "without_task",
        "without_task",
    ]
    assert data["variants"][3] == {
        "variant": "equal_weights",
        "aggregation": "weighted_mean",
        "weights": "equal",
        "left_out": None,
        "score": 65.0,
        "status": "off_track",
        "tasks": [
            {"id": "T1", "score": 70.0, "status": "off_track"},
            {"id": "T2", "score": 60.0, "status": "off_track"},
        ],
    }


def test_a_plugins_aggregation_is_a_variant_too(plan):
    from vpcp_indicators import Aggregation, hookimpl

    class Maximum:
        @hookimpl
        def register_aggregations(self, register):
            register(Aggregation("maximum", lambda items: max(s for s, _ in items)))

    found = Engine(cache=None, plugins=[Maximum()]).sensitivity(plan, ON)
    maximum = next(v for v in found.variants if v.aggregation == "maximum")
    assert (maximum.score, [t.score for t in maximum.tasks]) == (90.0, [90.0, 60.0])
