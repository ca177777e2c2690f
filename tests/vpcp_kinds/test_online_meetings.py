"""online_meeting_coverage: the Prime Minister's meetings held online (target T1)."""

from __future__ import annotations

from fractions import Fraction

from conftest import d


def meeting(
    held_on: str,
    mode: str = "online",
    chair: str = "prime_minister",
    counterpart: str = "ministry",
    meeting_id: str = "M",
) -> dict[str, str]:
    return {
        "meeting_id": meeting_id,
        "held_on": held_on,
        "chair": chair,
        "counterpart_kind": counterpart,
        "mode": mode,
    }


def test_year_window_counts_from_1_january_to_the_date_both_included(run_kind):
    rows = [
        meeting("2011-12-31", "online"),  # previous year: out
        meeting("2012-01-01", "online"),  # first day of the window: in
        meeting("2012-06-30", "in_person"),  # the evaluation date itself: in
        meeting("2012-07-01", "online"),  # the day after: out
    ]
    (result,) = run_kind("online_meeting_coverage", {"meetings": rows}, [d("2012-06-30")])
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.value == 0.5
    assert (result.window.start, result.window.end) == (d("2012-01-01"), d("2012-06-30"))


def test_only_the_chairs_and_counterpart_kinds_in_scope_count(run_kind):
    rows = [
        meeting("2012-02-01", "online"),
        meeting("2012-02-02", "online", chair="deputy_prime_minister"),
        meeting("2012-02-03", "online", counterpart="foreign_delegation"),
        meeting("2012-02-04", "in_person", counterpart="province"),
        meeting("2012-02-05", "hybrid", counterpart="corporation_91"),
        meeting("2012-02-06", "phone", counterpart="state_group"),
    ]
    (result,) = run_kind("online_meeting_coverage", {"meetings": rows}, [d("2012-12-31")])
    # In scope: the ministry, province, corporation_91 and state_group meetings of the PM.
    # Online: "online" and "hybrid"; "phone" is not an online mode.
    assert (result.numerator, result.denominator) == (2, 4)
    assert [(g.key, g.numerator, g.denominator) for g in result.breakdown] == [
        ("corporation_91", 1, 1),
        ("ministry", 1, 1),
        ("province", 0, 1),
        ("state_group", 0, 1),
    ]


def test_parameters_change_the_scope_and_values_are_compared_exactly(run_kind):
    rows = [
        meeting("2012-02-01", "online", chair="deputy_prime_minister"),
        meeting("2012-02-02", "Online", chair="deputy_prime_minister"),  # case differs: not online
        meeting("2012-02-03", "video", chair="deputy_prime_minister"),
    ]
    params = {"chairs": ["deputy_prime_minister"], "online_modes": ["online", "video"]}
    (result,) = run_kind(
        "online_meeting_coverage", {"meetings": rows}, [d("2012-12-31")], params=params
    )
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.value == float(Fraction(2, 3))


def test_quarter_and_month_windows(run_kind):
    rows = [meeting("2012-03-31"), meeting("2012-04-01"), meeting("2012-05-15", "in_person")]
    (quarter,) = run_kind(
        "online_meeting_coverage", {"meetings": rows}, [d("2012-05-15")], window="quarter"
    )
    assert (quarter.window.start, quarter.denominator) == (d("2012-04-01"), 2)
    (month,) = run_kind(
        "online_meeting_coverage", {"meetings": rows}, [d("2012-05-15")], window="month"
    )
    assert (month.window.start, month.numerator, month.denominator) == (d("2012-05-01"), 0, 1)


def test_cumulative_window_starts_at_the_plan_start(run_kind):
    rows = [meeting("2010-12-31"), meeting("2011-01-01"), meeting("2013-05-01", "in_person")]
    (result,) = run_kind(
        "online_meeting_coverage", {"meetings": rows}, [d("2013-12-31")], window="cumulative"
    )
    assert (result.window.start, result.numerator, result.denominator) == (d("2011-01-01"), 1, 2)


def test_no_meeting_in_the_window_is_no_data(run_kind):
    (result,) = run_kind(
        "online_meeting_coverage", {"meetings": [meeting("2011-05-01")]}, [d("2012-12-31")]
    )
    assert (result.numerator, result.denominator, result.value) == (0, 0, None)
    assert result.status == "no_data" and result.score is None


def test_a_row_missing_a_required_value_is_skipped_with_a_warning(run_kind):
    rows = [
        meeting("2012-02-01"),
        meeting("2012-02-02", meeting_id=""),
        meeting("not a date"),
        meeting("2012-02-04", counterpart=""),
    ]
    (result,) = run_kind("online_meeting_coverage", {"meetings": rows}, [d("2012-12-31")])
    assert (result.numerator, result.denominator) == (1, 1)
    found = {(w.problem, w.column, w.rows) for w in result.warnings}
    assert found == {
        ("missing_value", "meeting_id", (3,)),
        ("bad_date", "held_on", (4,)),
        ("missing_value", "counterpart_kind", (5,)),
    }


def test_several_dates_each_get_their_own_window(run_kind):
    rows = [meeting("2011-03-01"), meeting("2011-04-01", "in_person"), meeting("2012-03-01")]
    first, second = run_kind(
        "online_meeting_coverage", {"meetings": rows}, [d("2012-12-31"), d("2011-12-31")]
    )
    # Results come in date order whatever the order asked.
    assert (first.window.end, first.numerator, first.denominator) == (d("2011-12-31"), 1, 2)
    assert (second.window.end, second.numerator, second.denominator) == (d("2012-12-31"), 1, 1)
