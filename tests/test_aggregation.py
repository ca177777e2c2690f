"""Task and plan scores: the three aggregations and the status rules."""

from __future__ import annotations

import datetime as dt
import math
import sys
from fractions import Fraction as F

from conftest import ONE_MEETING, indicator, plan_text, write_csv
from hypothesis import example, given
from hypothesis import strategies as st

from vpcp_indicators import Aggregation, Engine, hookimpl
from vpcp_indicators.aggregation import combine, geometric_mean, minimum, weighted_mean


def test_weighted_mean():
    assert weighted_mean([(F(90), F(1)), (F(60), F(2))]) == 70
    assert weighted_mean([(F(80), F(1, 2))]) == 80


def test_geometric_mean_is_weighted_and_zero_if_any_score_is_zero():
    # exp((1 * ln 100 + 1 * ln 25) / 2) = sqrt(2500) = 50
    assert math.isclose(geometric_mean([(F(100), F(1)), (F(25), F(1))]), 50)
    # exp((1 * ln 100 + 3 * ln 10) / 4) = 10 ** (5 / 4)
    assert math.isclose(geometric_mean([(F(100), F(1)), (F(10), F(3))]), 10**1.25)
    assert geometric_mean([(F(100), F(1)), (F(0), F(1))]) == 0
    assert geometric_mean([(F(80), F(1)), (F(80), F(5))]) == 80


def test_minimum_ignores_weights():
    assert minimum([(F(90), F(10)), (F(60), F(1)), (F(75), F(1))]) == 60


def parts(*items):
    return [(None if s is None else F(s), F(w), status) for s, w, status in items]


def test_a_whole_with_no_scored_part_has_no_data():
    assert combine(parts((None, 1, "no_data"), (None, 1, "error")), weighted_mean, F(80)) == (
        None,
        "no_data",
    )


def test_achieved_only_when_every_part_is_achieved():
    assert combine(parts((100, 1, "achieved"), (100, 1, "achieved")), weighted_mean, F(80)) == (
        100,
        "achieved",
    )
    # A part without data keeps the whole from being achieved; scored parts make it on track.
    assert combine(parts((100, 1, "achieved"), (None, 1, "no_data")), weighted_mean, F(80)) == (
        100,
        "on_track",
    )


def test_on_track_when_every_scored_part_is_achieved_or_on_track():
    found = combine(
        parts((100, 1, "on_track"), (100, 3, "achieved"), (None, 1, "error")), weighted_mean, F(80)
    )
    assert found == (100, "on_track")


def test_at_risk_and_off_track_follow_the_whole_score():
    assert combine(parts((100, 1, "on_track"), (60, 1, "off_track")), weighted_mean, F(80)) == (
        80,
        "at_risk",
    )
    assert combine(parts((100, 1, "on_track"), (58, 1, "off_track")), weighted_mean, F(80)) == (
        79,
        "off_track",
    )
    # The same parts under "minimum": 60, below 80.
    assert combine(parts((100, 1, "on_track"), (60, 1, "at_risk")), minimum, F(80)) == (
        60,
        "off_track",
    )


scores = st.lists(
    st.tuples(st.fractions(0, 100, max_denominator=100), st.fractions(F(1, 10), 10)),
    min_size=1,
    max_size=8,
)


@given(scores)
def test_every_aggregation_stays_within_the_scores(items):
    low, high = min(s for s, _ in items), max(s for s, _ in items)
    for aggregate in (weighted_mean, minimum):
        assert low <= aggregate(items) <= high
    if low > 0:
        found = geometric_mean(items)
        assert float(low) * (1 - 1e-12) <= found <= float(high) * (1 + 1e-12)


# Weights as a plan may give them: any positive float, from the smallest to the largest.
weights = st.floats(min_value=5e-324, max_value=sys.float_info.max).map(F)
any_scores = st.lists(
    st.tuples(st.fractions(0, 100, max_denominator=10**6), weights), min_size=1, max_size=8
)


@given(any_scores)
# Two scores 2e-12 apart, where exp(ln) rounding lands just below the lower one.
@example([(F(194021, 2000), F(867)), (F(48505250000001, 500000000000), F(5))])
def test_aggregations_stay_within_the_scores_whatever_the_weights(items):
    low, high = min(s for s, _ in items), max(s for s, _ in items)
    assert low <= weighted_mean(items) <= high
    assert low <= minimum(items) <= high
    # Within as floats, not nearly: a geometric mean of 99.9 and 100 is never above 100.
    assert float(low) <= float(geometric_mean(items)) <= float(high)


def test_geometric_mean_with_the_largest_weights_does_not_overflow():
    largest = F(sys.float_info.max)
    # Equal weights: exp((ln 25 + ln 100) / 2) = sqrt(2500) = 50.
    assert math.isclose(geometric_mean([(F(25), largest), (F(100), largest)]), 50)


def _median(items):
    return sorted(s for s, _ in items)[len(items) // 2]


class _Aggregations:
    """A plugin registering aggregations in both forms interface 1 accepts."""

    @hookimpl
    def register_aggregations(self, register):
        register(Aggregation("middle", _median, title="The middle score"))
        register("middle_by_name", _median)  # the form of the first releases
        register(Aggregation("forty_two", lambda items: 42))


class _NotAnAggregation:
    @hookimpl
    def register_aggregations(self, register):
        register(_median)


def test_an_aggregation_is_registered_as_a_value_or_as_a_name_and_a_function():
    engine = Engine(entry_points=False, plugins=[_Aggregations(), _NotAnAggregation()])
    found = engine.registry.aggregations
    assert found["middle"] == Aggregation("middle", _median, "The middle score")
    assert found["middle_by_name"] == Aggregation("middle_by_name", _median, "")
    assert found["weighted_mean"].title == "Weighted mean of the scores"
    (failed,) = engine.registry.failed()
    assert failed.error == (
        "register_aggregations raised TypeError: register() takes an Aggregation, not function"
    )


def test_a_plan_is_scored_by_a_registered_aggregation(tmp_path):
    path = tmp_path / "plan.toml"
    items = [indicator("online_meeting_coverage", {"meetings": "meetings.csv"})]
    path.write_text(plan_text(items, scoring={"aggregation": "forty_two"}), "utf-8")
    write_csv(tmp_path / "meetings.csv", ONE_MEETING)
    engine = Engine(entry_points=["online_meetings"], plugins=[_Aggregations()])
    report = engine.evaluate(path, [dt.date(2012, 12, 31)])
    assert report.latest.indicator("ind").score == 100.0
    assert (report.latest.tasks[0].score, report.latest.score) == (42.0, 42.0)


def test_a_whole_without_a_score_is_insufficient_data_if_a_part_is_else_no_data():
    limit = F(80)
    parts = [(None, F(1), "no_data"), (None, F(2), "insufficient_data")]
    assert combine(parts, weighted_mean, limit) == (None, "insufficient_data")
    assert combine(parts[:1], weighted_mean, limit) == (None, "no_data")
    # A part of too few records is left out of the score, as one without data is.
    scored = [(F(90), F(1), "on_track"), *parts]
    assert combine(scored, weighted_mean, limit) == (F(90), "on_track")
