"""reported_value: the latest report on or before the date, from a file or from the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import d

from vpcp_indicators import PlanError
from vpcp_indicators.testing import assert_figures, indicator


def report(on: str, value: str, name: str = "ind", unit: str = "TTTH") -> dict[str, str]:
    return {"indicator": name, "reported_on": on, "value": value, "unit": unit, "reporter": "A"}


def test_the_latest_report_on_or_before_each_date_holds(run_kind):
    rows = [
        report("2012-12-20", "0.4"),
        report("2011-12-20", "0.1"),
        report("2013-06-30", "0.55"),
        report("2012-06-30", "9", name="other"),  # another indicator's report
    ]
    results = run_kind(
        "reported_value",
        {"reports": rows},
        ["2011-06-30", "2011-12-20", "2012-12-31", "2013-06-29", "2013-06-30"],
    )
    # Before the first report: no value; on the day of a report: that report.
    assert [r.value for r in results] == [None, 0.1, 0.4, 0.4, 0.55]
    assert results[0].status == "no_data"
    assert_figures(results[2], numerator=None, denominator=None, breakdown={})


def test_two_reports_on_one_day_the_last_written_wins(run_kind):
    rows = [report("2012-12-31", "0.3"), report("2012-12-31", "0.35", unit="Cổng")]
    (result,) = run_kind("reported_value", {"reports": rows}, ["2013-01-10"])
    assert result.value == 0.35


def test_values_written_in_the_plan(run_kind):
    values = [
        {"reported_on": dt.date(2012, 12, 31), "value": 0.5, "unit": "TTTH"},
        {"reported_on": dt.date(2013, 12, 31), "value": 3},
    ]
    results = run_kind(
        "reported_value",
        {},
        ["2013-01-01", "2014-01-01"],
        params={"values": values},
        unit="number",
        targets=[{"by": dt.date(2015, 12, 31), "value": 4}],
    )
    assert [r.value for r in results] == [0.5, 3.0]
    assert results[0].unit == "number"


def test_the_rows_of_the_indicators_own_id_count_by_default(run_kind):
    rows = [report("2012-01-01", "0.2", name="nv3"), report("2012-01-01", "0.9", name="x")]
    (result,) = run_kind("reported_value", {"reports": rows}, ["2012-12-31"], id="nv3")
    assert result.value == 0.2


def test_the_indicator_parameter_picks_other_rows(run_kind):
    rows = [report("2012-01-01", "0.2", name="nv3"), report("2012-01-01", "0.9")]
    (result,) = run_kind(
        "reported_value", {"reports": rows}, ["2012-12-31"], params={"indicator": "nv3"}
    )
    assert result.value == 0.2


def test_a_year_window_ignores_last_years_report(run_kind):
    rows = [report("2012-12-20", "0.4")]
    results = run_kind(
        "reported_value", {"reports": rows}, ["2012-12-31", "2013-06-30"], window="year"
    )
    assert [r.value for r in results] == [0.4, None]


def test_a_value_that_is_no_number_is_a_data_warning(run_kind):
    rows = [report("2012-01-01", "0.3"), report("2012-02-01", "70%"), report("2012-03-01", "")]
    (result,) = run_kind("reported_value", {"reports": rows}, ["2012-12-31"])
    assert result.value == 0.3
    problems = sorted((w.problem, w.rows) for w in result.warnings)
    # Rows 3 and 4 of the file (the header is row 1).
    assert problems == [("bad_number", (3,)), ("missing_value", (4,))]


def test_reports_in_both_places_or_in_neither_are_a_plan_mistake(evaluate_plan):
    both = indicator(
        "reported_value",
        {"reports": "r.csv"},
        params={"values": [{"reported_on": dt.date(2012, 1, 1), "value": 0.1}]},
    )
    with pytest.raises(PlanError) as raised:
        evaluate_plan([both], {"r.csv": [report("2012-01-01", "0.2")]})
    assert "not both" in str(raised.value)
    neither = indicator("reported_value", {})
    with pytest.raises(PlanError) as raised:
        evaluate_plan([neither])
    assert "give the reports in a file (sources.reports) or in the plan" in str(raised.value)


def test_a_wrong_inline_value_is_named(evaluate_plan):
    wrong = indicator(
        "reported_value",
        {},
        params={"values": [{"reported_on": dt.date(2012, 1, 1), "value": "high"}]},
    )
    with pytest.raises(PlanError) as raised:
        evaluate_plan([wrong], dates=[d("2012-12-31")])
    (problem,) = raised.value.problems
    assert str(problem.text) == "item 1: 'value': expected a number"
    assert problem.key == "indicators[0].params.values"


def test_a_value_beyond_a_float_or_too_long_is_a_bad_number_not_a_crash(run_kind):
    rows = [
        report("2012-01-01", "1e999"),
        report("2012-01-02", "9" * 5000),
        report("2012-01-03", "1.5e308"),
    ]
    (result,) = run_kind("reported_value", {"reports": rows}, ["2012-12-31"], unit="number")
    assert result.value == 1.5e308
    (warning,) = result.warnings
    assert (warning.problem, warning.column, warning.count, warning.rows) == (
        "bad_number",
        "value",
        2,
        (2, 3),
    )
