"""A kind that computes in Python may break its figure down into values that are not ratios
(the median days per agency), and say how many records went into it."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from fractions import Fraction

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import (
    Column,
    Engine,
    Group,
    Kind,
    Measurement,
    RenderOptions,
    Source,
    hookimpl,
    load_plan,
    report_from_dict,
)
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.i18n import language
from vpcp_indicators.testing import assert_figures

CASES = Source("cases", [Column("agency"), Column("days", type="number")])


def median_days(records, window, params):
    rows = records["cases"]
    agencies = sorted({r["agency"] for r in rows})
    groups = [
        Group(a, value=statistics.median(r["days"] for r in rows if r["agency"] == a))
        for a in agencies
    ]
    return Measurement(
        value=statistics.median(r["days"] for r in rows),
        breakdown=groups,
        breakdown_by="agency",
        records=len(rows),
    )


class Kinds:
    @hookimpl
    def register_kinds(self, register):
        register(Kind("median_days", "Median days", [CASES], compute=median_days, unit="number"))


@pytest.fixture
def report(tmp_path):
    days = {"MOF": [2, 7, 3], "MOJ": [10, 4], "GO": [5]}
    rows = [{"agency": a, "days": d} for a, values in days.items() for d in values]
    write_csv(tmp_path / "cases.csv", rows)
    item = indicator(
        "median_days",
        {"cases": "cases.csv"},
        targets=[{"by": "2015-12-31", "value": 3}],
        baseline={"on": "2011-01-01", "value": 9},
        direction="down",
    )
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([item]), "utf-8")
    engine = Engine(entry_points=False, plugins=[Kinds()])
    return engine, path, engine.evaluate(path, [dt.date(2013, 12, 31)])


def test_a_group_may_hold_a_value_alone():
    group = Group("MOF", value=4.5)
    assert (group.numerator, group.denominator, group.value) == (None, None, Fraction(9, 2))


def test_a_groups_ratio_is_its_value():
    assert Group("MOF", 1, 4).value == Fraction(1, 4)
    assert Group("MOF", 0, 0).value is None
    assert Group("MOF", 1, 4, value=0.25).value == Fraction(1, 4)


@pytest.mark.parametrize(
    ("numbers", "error"),
    [
        ({"numerator": 1}, TypeError),  # no denominator
        ({"denominator": 2}, TypeError),
        ({"numerator": 1, "denominator": 2, "value": 0.4}, ValueError),  # not 1 / 2
        ({"value": "4.5"}, TypeError),
        ({"value": True}, TypeError),
        ({"value": float("nan")}, ValueError),
    ],
)
def test_a_group_that_cannot_be_defended_is_refused(numbers, error):
    with pytest.raises(error):
        Group("MOF", **numbers)


def test_the_json_gives_each_groups_value_and_the_records_used(report):
    _, _, found = report
    data = found.to_dict()["evaluations"][0]["indicators"][0]
    # Medians by hand: MOF 2 3 7 -> 3; MOJ 4 10 -> 7; GO 5; all six 2 3 4 5 7 10 -> 4.5.
    assert data["value"] == 4.5
    assert data["breakdown"] == [
        {"group": "GO", "numerator": None, "denominator": None, "value": 5.0},
        {"group": "MOF", "numerator": None, "denominator": None, "value": 3.0},
        {"group": "MOJ", "numerator": None, "denominator": None, "value": 7.0},
    ]
    assert data["records"] == 6
    again = report_from_dict(json.loads(json.dumps(found.to_dict())))
    assert again.evaluations == found.evaluations


def test_a_kind_that_does_not_say_its_records_has_none_in_the_json(seed_report):
    for result in seed_report.latest.indicators:
        assert "records" not in result.to_dict()


def test_the_testing_kit_compares_groups_of_values(report):
    _, _, found = report
    result = found.latest.indicator("ind")
    assert_figures(result, breakdown={"GO": 5, "MOF": 3, "MOJ": 7})
    with pytest.raises(AssertionError):
        assert_figures(result, breakdown={"GO": 5, "MOF": 3, "MOJ": 8})


def test_reports_show_the_groups_values(report):
    engine, _, found = report
    markdown = engine.render(found, "markdown", RenderOptions(lang="en"))
    assert "| MOJ | - | - | 7.00 |" in markdown


def test_explain_says_how_many_records_went_into_the_figure(report):
    engine, path, _ = report
    found = explain(engine, load_plan(path), "ind", dt.date(2013, 12, 31))
    assert "   The kind used 6 records." in render_explanation(found, language("en"))
    assert "   Loại này dùng 6 bản ghi." in render_explanation(found, language("vi"))
