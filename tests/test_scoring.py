"""Expected value, score and status: the method of the README, hand-computed."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators.plan.model import Baseline, Target
from vpcp_indicators.scoring import expected_value, score, score_indicator

BASE = Baseline(dt.date(2011, 1, 1), 0)
T2 = (Target(dt.date(2012, 12, 31), 0.7), Target(dt.date(2015, 12, 31), 1.0))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_expected_before_and_on_the_baseline_date_is_the_baseline():
    assert expected_value(BASE, T2, day("2010-06-30")) == 0
    assert expected_value(BASE, T2, day("2011-01-01")) == 0


def test_expected_between_baseline_and_first_target_is_linear_by_days():
    # 2011-01-01 to 2012-12-31 is 730 days; 2011-12-31 is 364 days in.
    assert expected_value(BASE, T2, day("2011-12-31")) == Fraction(7, 10) * Fraction(364, 730)
    assert float(expected_value(BASE, T2, day("2011-12-31"))) == pytest.approx(0.349041, abs=1e-6)


def test_expected_on_a_target_date_is_the_target_exactly():
    assert expected_value(BASE, T2, day("2012-12-31")) == Fraction(7, 10)
    assert expected_value(BASE, T2, day("2015-12-31")) == 1


def test_expected_between_two_targets():
    # 2012-12-31 to 2015-12-31 is 1095 days; 2013-12-31 is 365 days in: 0.7 + 0.3 / 3 = 0.8.
    assert expected_value(BASE, T2, day("2013-12-31")) == Fraction(8, 10)


def test_expected_after_the_last_target_is_the_last_target():
    assert expected_value(BASE, T2, day("2020-01-01")) == 1


def test_expected_with_a_baseline_that_is_not_zero():
    baseline = Baseline(day("2012-01-01"), 0.2)
    target = (Target(day("2012-01-11"), 0.7),)
    assert expected_value(baseline, target, day("2012-01-03")) == Fraction(3, 10)


def test_score_up_is_the_share_of_the_way_from_baseline_to_expected():
    assert score(Fraction(63, 100), Fraction(7, 10), Fraction(0), "up") == 90
    assert score(Fraction(1, 2), Fraction(4, 5), Fraction(1, 5), "up") == 50
    # Clamped at both ends.
    assert score(Fraction(9, 10), Fraction(7, 10), Fraction(0), "up") == 100
    assert score(Fraction(1, 10), Fraction(7, 10), Fraction(2, 10), "up") == 0


def test_score_when_nothing_is_expected_beyond_the_baseline():
    assert score(Fraction(0), Fraction(0), Fraction(0), "up") == 100
    assert score(Fraction(-1, 10), Fraction(0), Fraction(0), "up") == 0
    assert score(Fraction(3, 10), Fraction(3, 10), Fraction(5, 10), "up") == 100


def test_score_down_mirrors_up():
    # Error rate from 0.5 down toward 0.1: at 0.3 with 0.2 expected, 2/3 of the way.
    assert score(Fraction(3, 10), Fraction(2, 10), Fraction(5, 10), "down") == Fraction(200, 3)
    assert score(Fraction(1, 10), Fraction(2, 10), Fraction(5, 10), "down") == 100
    assert score(Fraction(6, 10), Fraction(5, 10), Fraction(5, 10), "down") == 0
    assert score(Fraction(5, 10), Fraction(5, 10), Fraction(5, 10), "down") == 100


def status(value, on="2013-12-31", direction="up", targets=T2, baseline=BASE, failed=False):
    found = score_indicator(
        None if value is None else Fraction(value),
        baseline=baseline,
        targets=targets,
        direction=direction,
        on=day(on),
        at_risk=Fraction(80),
        failed=failed,
    )
    return found.status, found.score


def test_each_indicator_status():
    # Expected on 2013-12-31 is 0.8.
    assert status("1.0") == ("achieved", 100)
    assert status("0.8") == ("on_track", 100)
    assert status("0.64") == ("at_risk", 80)
    assert status("0.6399") == ("off_track", Fraction(6399, 80))
    assert status(None) == ("no_data", None)
    assert status("0.9", failed=True) == ("error", None)


def test_achieved_means_the_last_target_even_early():
    assert status("1.0", on="2011-06-30")[0] == "achieved"
    assert status("0.95", on="2011-06-30")[0] == "on_track"


def test_statuses_going_down():
    baseline = Baseline(day("2011-01-01"), 0.5)
    targets = (Target(day("2015-12-31"), 0.1),)
    assert status("0.1", direction="down", targets=targets, baseline=baseline)[0] == "achieved"
    # On 2013-07-02 (913 of 1825 days) expected is 0.5 - 0.4 * 913 / 1825.
    expected = Fraction(5, 10) - Fraction(4, 10) * Fraction(913, 1825)
    found = score_indicator(
        Fraction(35, 100),
        baseline=baseline,
        targets=targets,
        direction="down",
        on=day("2013-07-02"),
        at_risk=Fraction(80),
    )
    assert found.expected == expected
    assert found.score == 100 * (Fraction(5, 10) - Fraction(35, 100)) / (Fraction(5, 10) - expected)
    assert found.status == "off_track"


def test_target_in_force_is_the_next_milestone_then_the_last():
    def target_on(on):
        return score_indicator(
            Fraction(0), baseline=BASE, targets=T2, direction="up", on=day(on), at_risk=Fraction(80)
        ).target

    assert target_on("2012-06-30") == T2[0]
    assert target_on("2012-12-31") == T2[0]
    assert target_on("2013-01-01") == T2[1]
    assert target_on("2016-06-30") == T2[1]


fractions = st.fractions(min_value=-2, max_value=2, max_denominator=1000)


@given(value=fractions, expected=fractions, baseline=fractions)
def test_scores_stay_between_0_and_100(value, expected, baseline):
    for direction in ("up", "down"):
        assert 0 <= score(value, expected, baseline, direction) <= 100


@given(low=fractions, high=fractions, expected=fractions, baseline=fractions)
def test_a_higher_value_never_scores_lower_going_up(low, high, expected, baseline):
    low, high = min(low, high), max(low, high)
    assert score(low, expected, baseline, "up") <= score(high, expected, baseline, "up")


@given(value=fractions, expected=fractions, baseline=fractions)
def test_down_is_up_in_a_mirror(value, expected, baseline):
    assert score(value, expected, baseline, "down") == score(-value, -expected, -baseline, "up")


@given(
    first=st.integers(1, 3000),
    gap=st.integers(1, 3000),
    offset=st.integers(-100, 7000),
    v0=fractions,
    v1=fractions,
)
def test_expected_stays_between_the_points_around_it(first, gap, offset, v0, v1):
    baseline = Baseline(day("2011-01-01"), 0)
    targets = (
        Target(day("2011-01-01") + dt.timedelta(days=first), v0),
        Target(day("2011-01-01") + dt.timedelta(days=first + gap), v1),
    )
    on = day("2011-01-01") + dt.timedelta(days=offset)
    found = expected_value(baseline, targets, on)
    if offset <= first:
        assert min(0, v0) <= found <= max(0, v0)
    else:
        assert min(v0, v1) <= found <= max(v0, v1)


# Values as a plan or a record may hold them: any finite float, taken exactly.
wide = st.floats(allow_nan=False, allow_infinity=False).map(Fraction)


@given(value=wide, expected=wide, baseline=wide)
def test_scores_stay_between_0_and_100_for_any_finite_values(value, expected, baseline):
    for direction in ("up", "down"):
        assert 0 <= score(value, expected, baseline, direction) <= 100


@st.composite
def lines(draw):
    """A baseline and one to five targets at increasing dates, with any values."""
    values = st.fractions(min_value=-1000, max_value=1000, max_denominator=1000) | wide
    start = day("2011-01-01") + dt.timedelta(days=draw(st.integers(-400, 400)))
    baseline = Baseline(start, draw(values))
    targets, on = [], start
    for _ in range(draw(st.integers(1, 5))):
        on += dt.timedelta(days=draw(st.integers(1, 800)))
        targets.append(Target(on, draw(values)))
    return baseline, tuple(targets)


@given(lines(), st.data())
def test_the_expected_line_passes_through_every_milestone_and_is_monotone_between_two(line, data):
    baseline, targets = line
    points = [(baseline.on, baseline.value), *((t.by, t.value) for t in targets)]
    for on, value in points:
        assert expected_value(baseline, targets, on) == value
    for (d0, v0), (d1, v1) in pairwise(points):
        offsets = data.draw(st.lists(st.integers(0, (d1 - d0).days), min_size=2, max_size=6))
        found = [
            expected_value(baseline, targets, d0 + dt.timedelta(days=n)) for n in sorted(offsets)
        ]
        assert all(min(v0, v1) <= f <= max(v0, v1) for f in found)
        steps = list(pairwise(found))
        assert all(a <= b for a, b in steps) if v1 >= v0 else all(a >= b for a, b in steps)


@given(lines(), st.one_of(st.none(), wide), st.integers(-500, 3000), st.booleans())
def test_an_indicators_score_is_none_or_between_0_and_100(line, value, days, down):
    baseline, targets = line
    found = score_indicator(
        value,
        baseline=baseline,
        targets=targets,
        direction="down" if down else "up",
        on=baseline.on + dt.timedelta(days=days),
        at_risk=Fraction(80),
    )
    assert found.score is None if value is None else 0 <= found.score <= 100
