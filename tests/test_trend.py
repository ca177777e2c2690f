"""Where the trend leads: the observed rate (change per year of 365.25 days since the date
a year earlier), the rate required to reach the next unmet target by its date, their ratio's
class after Statistics Canada's method, and the projection at the observed rate."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction as F

import pytest
from conftest import indicator, plan_text, write_csv
from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators import Engine, RenderOptions, load_plan
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.i18n import language
from vpcp_indicators.plan.model import Target
from vpcp_indicators.trend import base_date, trend_on, year_before

d = dt.date.fromisoformat

# 70% by 2012-12-31, 100% by 2015-12-31.
TARGETS = (Target(d("2012-12-31"), F(7, 10)), Target(d("2015-12-31"), F(1)))


def test_a_year_before_is_the_same_day_and_29_february_becomes_28():
    assert year_before(d("2013-06-30")) == d("2012-06-30")
    assert year_before(d("2012-02-29")) == d("2011-02-28")


def test_the_base_is_a_year_earlier_if_measured_else_the_earliest_date_before():
    measured = [d("2011-12-31"), d("2012-06-30"), d("2013-06-30")]
    assert base_date(d("2013-06-30"), measured) == d("2012-06-30")
    assert base_date(d("2012-06-30"), measured) == d("2011-12-31")
    assert base_date(d("2011-12-31"), measured) is None


def test_the_rates_ratio_class_and_projection_by_hand():
    # From 2012-06-30 (0.50) to 2013-06-30 (0.60): 365 days, so +0.10 × 365.25 / 365 a year.
    values = {d("2012-06-30"): F(1, 2), d("2013-06-30"): F(3, 5)}
    found = trend_on(TARGETS, "up", values, d("2013-06-30"), d("2012-06-30"))
    observed = F(1, 10) * F(1461, 4) / 365
    # The next unmet target: 1.0 by 2015-12-31, 914 days on: +0.40 × 365.25 / 914 a year.
    required = F(2, 5) * F(1461, 4) / 914
    assert found.observed == float(observed)
    assert (found.target_by, found.target) == (d("2015-12-31"), 1.0)
    assert found.required == float(required)
    assert found.pace_ratio == float(observed / required)  # 0.1 × 914 / (0.4 × 365) = 0.626
    assert found.progress == "acceleration_needed"
    assert found.projected == float(F(3, 5) + observed * 914 / F(1461, 4))  # 0.8504...
    # 0.40 to go at 0.1 per 365 days: 1460 days after 2013-06-30.
    assert found.reached_on == d("2013-06-30") + dt.timedelta(days=1460)


def at_ratio(ratio):
    """The value on 2013-06-30, from 0.5 a year earlier, whose ratio is ``ratio``: observed
    (now - 0.5) over 365 days, required (1 - now) over 914 days, so
    (now - 0.5) × 914 = ratio × 365 × (1 - now)."""
    return (457 + 365 * ratio) / (914 + 365 * ratio)


@pytest.mark.parametrize(
    ("now", "progress"),
    [
        (at_ratio(F(95, 100)), "on_pace"),
        (at_ratio(F(9499, 10000)), "acceleration_needed"),
        (at_ratio(F(60, 100)), "acceleration_needed"),
        (at_ratio(F(5999, 10000)), "limited_progress"),
        (F(1, 2), "limited_progress"),
        (F(4999, 10000), "deterioration"),
    ],
)
def test_each_class_starts_at_its_border(now, progress):
    # The 0.7 target of 2012 is behind: the next unmet one is 1.0 by 2015-12-31.
    values = {d("2012-06-30"): F(1, 2), d("2013-06-30"): now}
    found = trend_on(TARGETS, "up", values, d("2013-06-30"), d("2012-06-30"))
    assert found.progress == progress


def test_a_rate_that_does_not_head_to_the_target_reaches_it_never():
    values = {d("2012-06-30"): F(1, 2), d("2013-06-30"): F(1, 2)}
    found = trend_on(TARGETS, "up", values, d("2013-06-30"), d("2012-06-30"))
    assert (found.observed, found.pace_ratio, found.reached_on) == (0.0, 0.0, None)
    assert found.projected == 0.5


def test_a_negative_observed_rate_is_deterioration():
    values = {d("2012-06-30"): F(6, 10), d("2013-06-30"): F(5, 10)}
    found = trend_on(TARGETS, "up", values, d("2013-06-30"), d("2012-06-30"))
    assert found.observed == float(F(-1, 10) * F(1461, 4) / 365)
    assert (found.progress, found.reached_on) == ("deterioration", None)
    assert found.pace_ratio < 0


def test_a_zero_baseline_is_no_obstacle_to_a_linear_rate():
    # Compound growth is undefined from 0; a linear rate is not.
    values = {d("2011-01-01"): F(0), d("2011-12-31"): F(3, 10)}
    found = trend_on(TARGETS, "up", values, d("2011-12-31"), d("2011-01-01"))
    assert found.observed == float(F(3, 10) * F(1461, 4) / 364)
    assert found.target_by == d("2012-12-31")  # 0.7 by 2012 is the next unmet target
    assert found.required == float(F(4, 10) * F(1461, 4) / 366)


def test_the_value_meeting_the_last_target_is_achieved():
    values = {d("2012-06-30"): F(1, 2), d("2013-06-30"): F(1)}
    found = trend_on(TARGETS, "up", values, d("2013-06-30"), d("2012-06-30"))
    assert (found.progress, found.required, found.target_by) == ("target_achieved", None, None)


def test_going_down_the_signs_turn_and_the_ratio_stays_positive():
    down = (Target(d("2015-12-31"), F(5)),)
    values = {d("2012-12-31"): F(20), d("2013-12-31"): F(15)}
    found = trend_on(down, "down", values, d("2013-12-31"), d("2012-12-31"))
    # -5 a year (365 days) observed; -10 over 730 days required: ratio 5 × 730 / (10 × 365).
    assert found.pace_ratio == 1.0 and found.progress == "on_pace"


def test_without_an_earlier_date_or_value_there_is_no_observed_rate():
    values = {d("2013-06-30"): F(1, 2)}
    found = trend_on(TARGETS, "up", values, d("2013-06-30"), None)
    assert (found.observed, found.pace_ratio, found.progress) == (None, None, None)
    assert found.required is not None
    assert trend_on(TARGETS, "up", {d("2013-06-30"): None}, d("2013-06-30"), None).required is None


@given(
    then=st.fractions(0, 1, max_denominator=50),
    now=st.fractions(0, 1, max_denominator=50),
    gap=st.integers(1, 2000),
)
def test_the_projection_at_the_targets_date_meets_it_exactly_when_on_track_or_better(
    then, now, gap
):
    on = d("2013-06-30")
    since = on - dt.timedelta(days=gap)
    found = trend_on(TARGETS, "up", {since: then, on: now}, on, since)
    if found.progress in ("on_pace", "acceleration_needed", "limited_progress"):
        # The ratio is the share of the way to the target the projection covers.
        assert found.projected == pytest.approx(float(now) + found.pace_ratio * (1 - float(now)))
    if found.reached_on is not None:
        assert found.pace_ratio > 0


# -- in the engine and the reports ---------------------------------------------------------

MEETINGS = "meeting_id,held_on,chair,counterpart_kind,mode\n" + "".join(
    f"M{n},{day},prime_minister,ministry,{mode}\n"
    for n, (day, mode) in enumerate(
        [
            ("2012-03-01", "online"),
            ("2012-04-01", "in_person"),  # 2012-06-30, cumulative: 1 of 2
            ("2013-03-01", "online"),
            ("2013-04-01", "online"),
            ("2013-05-01", "in_person"),  # 2013-06-30: 3 of 5
        ]
    )
)


@pytest.fixture
def plan(tmp_path):
    write_csv(tmp_path / "meetings.csv", MEETINGS)
    item = indicator(
        "online_meeting_coverage",
        {"meetings": "meetings.csv"},
        id="online",
        window="cumulative",
        targets=[{"by": "2012-12-31", "value": 0.7}, {"by": "2015-12-31", "value": 1.0}],
    )
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([item]), "utf-8")
    return path


@pytest.mark.parametrize("backend", ["duckdb", "python"])
def test_the_engine_measures_a_year_earlier_in_the_same_pass(plan, backend):
    report = Engine(cache=None).evaluate(plan, [d("2013-06-30")], backend=backend)
    found = report.latest.indicator("online").trend
    assert found.since == d("2012-06-30")
    observed = F(1, 10) * F(1461, 4) / 365  # 1/2 to 3/5 in 365 days
    assert found.observed == float(observed)
    assert found.progress == "acceleration_needed"
    # The dates a milestone met late is looked for on are not changed by it.
    assert d("2012-06-30") not in report.checked_on


def test_the_json_gives_the_trend_of_each_indicator(plan):
    engine = Engine(cache=None)
    report = engine.evaluate(plan, [d("2013-06-30")])
    data = json.loads(str(engine.render(report, "json")))
    trend = data["evaluations"][0]["indicators"][0]["trend"]
    assert (trend["since"], trend["since_value"]) == ("2012-06-30", 0.5)
    assert trend["progress"] == "acceleration_needed"
    assert (trend["target_by"], trend["target"]) == ("2015-12-31", 1.0)
    assert trend["reached_on"] == "2017-06-29"  # 1460 days after 2013-06-30
    assert set(trend) == {
        "since", "since_value", "observed", "target_by", "target", "required", "pace_ratio",
        "progress", "projected", "reached_on",
    }  # fmt: skip


SAID = {
    "en": ("↗ acceleration needed", "2017-06-29"),
    "vi": ("↗ cần tăng tốc", "29/06/2017"),
}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_report_for_people_shows_the_trend_beside_the_score(plan, lang):
    engine = Engine(cache=None)
    report = engine.evaluate(plan, [d("2013-06-30")])
    words, reached = SAID[lang]
    for name in ("table", "markdown", "html"):
        text = str(engine.render(report, name, RenderOptions(lang=lang)))
        assert words in text, name
        assert reached in text, name
    text = render_explanation(
        explain(engine, load_plan(plan), "online", d("2013-06-30")), language(lang)
    )
    assert words in text
    assert reached in text
    if lang == "en":
        assert "= (0.6 − 0.5) × 365.25 ÷ 365 = 0.1001 a year." in text
        assert "= (1 − 0.6) × 365.25 ÷ 914 = 0.1598 a year." in text


def test_the_chart_draws_the_projection_dotted_and_stops_it_at_the_axis(plan):
    from vpcp_indicators.formats.chart_layout import BOTTOM, HEIGHT, Frame

    engine = Engine(cache=None)
    html = str(engine.render(engine.evaluate(plan, [d("2013-06-30")]), "html"))
    assert html.count('<polyline class="projection"') == 1
    # From 100% (one online meeting in 2012) to 20% (four held in person by 2013-06-30):
    # -0.8 a year leads below 0 before 2015-12-31, and the line stops on the axis.
    rows = ["M1,2012-03-01,prime_minister,ministry,online"]
    rows += [f"P{n},2013-0{n}-01,prime_minister,ministry,in_person" for n in range(1, 5)]
    write_csv(
        plan.parent / "meetings.csv", MEETINGS.splitlines()[0] + "\n" + "\n".join(rows) + "\n"
    )
    report = engine.evaluate(plan, [d("2013-06-30")])
    trend = report.latest.indicator("online").trend
    assert (trend.since_value, trend.progress) == (1.0, "deterioration")
    html = str(engine.render(report, "html"))
    prefix = '<polyline class="projection" points="'
    start = html.index(prefix) + len(prefix)
    last = html[start : html.index('"', start)].split()[-1]
    assert float(last.split(",")[1]) == HEIGHT - BOTTOM
    # 0.2 at -0.8 × 365.25 / 365 a year reaches 0 after 91.25 days: on 2013-09-29.
    frame = Frame(d("2011-01-01"), d("2015-12-31"), 1.0)
    assert last.split(",")[0] == f"{frame.x(d('2013-09-29')):.1f}"
