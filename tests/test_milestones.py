"""Milestones: each target met on its date, met later (on the first later date the engine
evaluated), missed, or not yet due, seen from each evaluation date.

The records: meetings the Prime Minister chaired with ministries in 2012, counted in the year
to date. To 2012-06-30: M1 online, M2 and M3 in person: 1 of 3. M4 (2012-08-01) and M5
(2012-09-01) online: 2 of 4 by 2012-08-31, 3 of 5 from 2012-09-01 on. The first target,
50% by 2012-06-30, is missed on its date (1/3), met exactly on 2012-08-31 (2/4, a month's
end), and exceeded on 2012-09-30 (a quarter's end) and 2012-12-31.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction as F

import pytest
from click.testing import CliRunner
from conftest import indicator, plan_text, write_csv
from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators import Engine, RenderOptions, load_plan, report_from_dict
from vpcp_indicators.cli import cli
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.i18n import language
from vpcp_indicators.milestones import checked_dates, milestones_on
from vpcp_indicators.plan.model import Target
from vpcp_indicators.windows import period_ends

d = dt.date.fromisoformat

MEETINGS = (
    "meeting_id,held_on,chair,counterpart_kind,mode\n"
    "M1,2012-02-01,prime_minister,ministry,online\n"
    "M2,2012-03-01,prime_minister,ministry,in_person\n"
    "M3,2012-05-01,prime_minister,ministry,in_person\n"
    "M4,2012-08-01,prime_minister,ministry,online\n"
    "M5,2012-09-01,prime_minister,ministry,online\n"
)
TARGETS = [{"by": "2012-06-30", "value": 0.5}, {"by": "2015-12-31", "value": 1.0}]


# -- the rules, on values given -----------------------------------------------------------

UP = (Target(d("2012-12-31"), F(7, 10)), Target(d("2015-12-31"), F(1)))


def states(targets, values, on, direction="up"):
    found = milestones_on(targets, direction, {d(k): v for k, v in values.items()}, d(on))
    return [(m.state, m.met_on and m.met_on.isoformat()) for m in found]


def test_a_target_whose_date_is_after_the_evaluation_date_is_due():
    assert states(UP, {"2012-12-30": F(1)}, "2012-12-30") == [("due", None), ("due", None)]


def test_on_its_own_date_a_target_is_met_exactly_at_its_value_and_missed_just_below():
    assert states(UP, {"2012-12-31": F(7, 10)}, "2012-12-31")[0] == ("met", "2012-12-31")
    assert states(UP, {"2012-12-31": F(699, 1000)}, "2012-12-31")[0] == ("missed", None)


def test_a_target_met_later_gives_the_first_later_date_that_met_it():
    values = {"2012-12-31": F(69, 100), "2013-06-30": F(72, 100), "2013-12-31": F(8, 10)}
    assert states(UP, values, "2013-06-29")[0] == ("missed", None)
    assert states(UP, values, "2013-06-30")[0] == ("met_late", "2013-06-30")
    assert states(UP, values, "2013-12-31")[0] == ("met_late", "2013-06-30")


def test_no_value_on_the_targets_date_is_not_met_but_a_later_value_may_meet_it():
    values = {"2012-12-31": None, "2013-12-31": F(7, 10)}
    assert states(UP, values, "2012-12-31")[0] == ("missed", None)
    assert states(UP, values, "2013-12-31")[0] == ("met_late", "2013-12-31")


def test_going_down_a_target_is_met_at_or_below_its_value():
    down = (Target(d("2012-12-31"), F(10)),)
    assert states(down, {"2012-12-31": F(10)}, "2012-12-31", "down") == [("met", "2012-12-31")]
    late = {"2012-12-31": F(11), "2013-12-31": F(9)}
    assert states(down, late, "2013-12-31", "down") == [("met_late", "2013-12-31")]


def test_a_value_that_met_a_target_and_fell_back_still_met_it():
    values = {"2012-12-31": F(7, 10), "2013-12-31": F(1, 10)}
    assert states(UP, values, "2013-12-31")[0] == ("met", "2012-12-31")


days = st.dates(dt.date(2011, 1, 1), dt.date(2016, 12, 31))
shares = st.one_of(st.none(), st.fractions(0, 1, max_denominator=20))


@given(
    by=days,
    goal=st.fractions(0, 1, max_denominator=10),
    values=st.dictionaries(days, shares, max_size=8),
    on=days,
)
def test_each_state_holds_what_it_claims(by, goal, values, on):
    values = {**values, by: values.get(by)}
    (found,) = milestones_on((Target(by, goal),), "up", values, on)
    meeting = sorted(day for day, v in values.items() if v is not None and v >= goal)
    if by > on:
        assert found.state == "due"
    elif found.state == "met":
        assert found.met_on == by and by in meeting
    elif found.state == "met_late":
        assert found.met_on == next(day for day in meeting if day > by)
        assert by not in meeting and found.met_on <= on
    else:
        assert found.state == "missed"
        assert not [day for day in meeting if by <= day <= on]


# -- the dates an evaluation looks on ------------------------------------------------------


def test_period_ends_are_each_last_day_within_the_span():
    assert period_ends("quarter", d("2011-01-01"), d("2011-12-30")) == [
        d("2011-03-31"),
        d("2011-06-30"),
        d("2011-09-30"),
    ]
    assert period_ends("month", d("2012-01-15"), d("2012-03-31")) == [
        d("2012-01-31"),
        d("2012-02-29"),
        d("2012-03-31"),
    ]
    assert period_ends("year", d("2011-03-05"), d("2011-12-31")) == [d("2011-12-31")]


@given(grid=st.sampled_from(["month", "quarter", "year"]), start=days, span=st.integers(0, 800))
def test_every_period_end_is_followed_by_a_periods_first_day(grid, start, span):
    last = start + dt.timedelta(days=span)
    ends = period_ends(grid, start, last)
    assert ends == sorted(set(ends))
    first_months = {"month": range(1, 13), "quarter": (1, 4, 7, 10), "year": (1,)}[grid]
    for end in ends:
        after = end + dt.timedelta(days=1)
        assert start <= end <= last and after.day == 1 and after.month in first_months


def test_the_checked_dates_are_the_asked_the_targets_up_to_the_last_and_the_grid():
    found = checked_dates(
        [d("2012-12-31")], [d("2012-06-30"), d("2015-12-31")], d("2012-01-01"), "quarter"
    )
    assert found == [d("2012-03-31"), d("2012-06-30"), d("2012-09-30"), d("2012-12-31")]


# -- the engine ----------------------------------------------------------------------------


@pytest.fixture
def plan(tmp_path):
    write_csv(tmp_path / "meetings.csv", MEETINGS)
    items = [
        indicator(
            "online_meeting_coverage",
            {"meetings": "meetings.csv"},
            id="online",
            window="year",
            targets=TARGETS,
        )
    ]
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(items), "utf-8")
    return path


def first_milestone(report):
    (found, _) = report.latest.indicator("online").milestones
    return found.state, found.value, found.met_on


@pytest.mark.parametrize("backend", ["duckdb", "python"])
@pytest.mark.parametrize(
    ("grid", "met_on"),
    [(None, "2012-12-31"), ("quarter", "2012-09-30"), ("month", "2012-08-31")],
)
def test_met_late_on_the_first_date_looked_on(plan, backend, grid, met_on):
    engine = Engine(cache=None)
    report = engine.evaluate(plan, [d("2012-12-31")], backend=backend, grid=grid)
    assert first_milestone(report) == ("met_late", 1 / 3, d(met_on))
    assert d("2012-06-30") in report.checked_on
    # The asked date's figures are what they always were: 3 of 5.
    assert report.latest.indicator("online").value == 0.6
    assert [e.as_of for e in report.evaluations] == [d("2012-12-31")]


@pytest.mark.parametrize("backend", ["duckdb", "python"])
def test_on_the_targets_own_date_it_is_missed_and_the_day_before_due(plan, backend):
    engine = Engine(cache=None)
    report = engine.evaluate(plan, [d("2012-06-29"), d("2012-06-30")], backend=backend)
    before, on = (e.indicator("online").milestones[0] for e in report.evaluations)
    assert (before.state, before.value) == ("due", None)
    assert (on.state, on.value, on.met_on) == ("missed", 1 / 3, None)
    counts = report.latest.milestones
    assert dict(counts) == {"met": 0, "met_late": 0, "missed": 1, "due": 1}
    assert dict(report.latest.task("T1").milestones) == dict(counts)


def test_the_json_gives_every_milestone_the_counts_and_the_dates_looked_on(plan):
    engine = Engine(cache=None)
    report = engine.evaluate(plan, [d("2012-12-31")], grid="quarter")
    data = json.loads(str(engine.render(report, "json")))
    # Every quarter's end from the plan's start (2011-01-01) to the asked date.
    quarters = ["03-31", "06-30", "09-30", "12-31"]
    assert data["milestone_dates"] == [f"{y}-{q}" for y in (2011, 2012) for q in quarters]
    assert data["grid"] == "quarter"
    evaluation = data["evaluations"][0]
    assert evaluation["milestones"] == {"met": 0, "met_late": 1, "missed": 0, "due": 1}
    assert evaluation["tasks"][0]["milestones"] == evaluation["milestones"]
    assert evaluation["indicators"][0]["milestones"] == [
        {
            "by": "2012-06-30",
            "target": 0.5,
            "state": "met_late",
            "value": pytest.approx(1 / 3),
            "met_on": "2012-09-30",
        },
        {"by": "2015-12-31", "target": 1.0, "state": "due", "value": None, "met_on": None},
    ]
    assert report_from_dict(data).to_dict() == report.to_dict()


SAID = {
    "en": {
        "table": "online: 2012-06-30 50.0%: ↻ met late (2012-12-31) · 2015-12-31 100.0%: … "
        "not yet due",
        "counts": "✔ 0 met · ↻ 1 met late · ✖ 0 missed · … 1 not yet due",
        "markdown": "| 2012-06-30 | 50.0% | 33.3% | ↻ met late (2012-12-31) |",
        "explain": "   2012-06-30, target 50.0%: ↻ met late (2012-12-31): its value that day was "
        "33.3%; the first later date whose value meets it is 2012-12-31.",
    },
    "vi": {
        "table": "online: 30/06/2012 50,0 %: ↻ đạt muộn (31/12/2012) · 31/12/2015 100,0 %: … "
        "chưa đến hạn",
        "counts": "✔ 0 đạt đúng hạn · ↻ 1 đạt muộn · ✖ 0 không đạt · … 1 chưa đến hạn",
        "markdown": "| 30/06/2012 | 50,0 % | 33,3 % | ↻ đạt muộn (31/12/2012) |",
        "explain": "   30/06/2012, mục tiêu 50,0 %: ↻ đạt muộn (31/12/2012): giá trị ngày đó là "
        "33,3 %; ngày đầu tiên sau đó có giá trị đạt mục tiêu là 31/12/2012.",
    },
}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_report_for_people_shows_the_milestones_in_its_language(plan, lang):
    engine = Engine(cache=None)
    report = engine.evaluate(plan, [d("2012-12-31")])
    options, said = RenderOptions(lang=lang), SAID[lang]
    table = str(engine.render(report, "table", options))
    assert f"  {said['table']}" in table.splitlines()
    assert said["counts"] in table
    markdown = str(engine.render(report, "markdown", options))
    assert said["markdown"] in markdown
    assert said["counts"] in markdown
    html = str(engine.render(report, "html", options))
    assert said["counts"] in html
    assert '<path class="target milestone-met_late"' in html
    assert '<path class="target milestone-due"' in html
    assert ".chart .milestone-missed { fill: #c0281f; }" in html
    text = render_explanation(
        explain(engine, load_plan(plan), "online", d("2012-12-31")), language(lang)
    )
    assert said["explain"] in text.splitlines()


def test_the_command_takes_a_grid_and_refuses_another(plan, cli_env):
    args = ["evaluate", str(plan), "--as-of", "2012-12-31", "--format", "json", "--no-cache"]
    done = CliRunner().invoke(cli, [*args, "--grid", "month"])
    assert done.exit_code == 0, done.output
    milestone = json.loads(done.stdout)["evaluations"][0]["indicators"][0]["milestones"][0]
    assert milestone["met_on"] == "2012-08-31"
    refused = CliRunner().invoke(cli, [*args, "--grid", "week"])
    assert refused.exit_code == 2
    assert "week" in refused.stderr


def test_an_unknown_grid_is_refused_by_the_engine(plan):
    with pytest.raises(ValueError, match="week"):
        Engine(cache=None).evaluate(plan, [d("2012-12-31")], grid="week")
