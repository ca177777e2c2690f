"""Enough data to judge: a share resting on fewer records than its indicator's
``min_denominator`` is ``insufficient_data``, shown with its counts and left out of its
task's score; a breakdown group of too few records is shown as insufficient, not as a share.

The records: in 2012, the Prime Minister chaired three meetings with ministries (two held
online) and one with a province (online): 3 of 4 online, 75%; ministries 2 of 3, the
province 1 of 1. Baseline 0 on 2011-01-01 and a target of 100% on 2015-12-31: on
2012-12-31 the expected value is 730 / 1825 = 40%, so 75% scores 100, on track.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Engine, RenderOptions, load_plan, report_from_dict
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.hookspecs import hookimpl
from vpcp_indicators.i18n import language

END_2012 = dt.date(2012, 12, 31)
END_2011 = dt.date(2011, 12, 31)

MEETINGS = (
    "meeting_id,held_on,chair,counterpart_kind,mode\n"
    "M1,2012-02-01,prime_minister,ministry,online\n"
    "M2,2012-03-01,prime_minister,ministry,in_person\n"
    "M3,2012-04-01,prime_minister,ministry,online\n"
    "P1,2012-05-01,prime_minister,province,online\n"
)


def meetings(id: str, task: str = "T1", **keys):
    return indicator(
        "online_meeting_coverage",
        {"meetings": "meetings.csv"},
        id=id,
        task=task,
        window="year",
        **keys,
    )


TASKS = ({"id": "T1", "title": "Online"}, {"id": "T2", "title": "Strict"})


@pytest.fixture(params=["duckdb", "python"])
def evaluate(request, tmp_path):
    """Evaluate a plan of the given indicators over MEETINGS, with either backend."""
    write_csv(tmp_path / "meetings.csv", MEETINGS)

    def run(indicators, dates=(END_2012,), engine=None, tasks=TASKS):
        path = tmp_path / "plan.toml"
        path.write_text(plan_text(indicators, tasks=tasks), "utf-8")
        engine = engine or Engine(cache=None)
        return engine.evaluate(path, list(dates), backend=request.param)

    return run


def test_below_the_minimum_the_status_is_insufficient_data_with_the_counts_shown(evaluate):
    report = evaluate([meetings("a", min_denominator=5)])
    result = report.latest.indicator("a")
    assert result.status == "insufficient_data"
    assert (result.numerator, result.denominator) == (3, 4)
    assert result.value is None
    assert result.score is None


def test_a_share_of_exactly_the_minimum_is_judged(evaluate):
    result = evaluate([meetings("a", min_denominator=4)]).latest.indicator("a")
    assert (result.value, result.score, result.status) == (0.75, 100.0, "on_track")


def test_no_records_at_all_are_no_data_not_too_few(evaluate):
    result = evaluate([meetings("a", min_denominator=5)], dates=[END_2011]).latest.indicator("a")
    assert (result.denominator, result.status) == (0, "no_data")


def test_the_task_is_scored_without_it_and_a_task_of_only_such_is_insufficient(evaluate):
    report = evaluate(
        [
            meetings("judged"),
            meetings("too-few", min_denominator=5),
            meetings("alone", task="T2", min_denominator=10),
        ]
    )
    one, two = report.latest.task("T1"), report.latest.task("T2")
    # T1: "judged" alone is scored (100); "too-few" keeps it from nothing but its score.
    assert (one.score, one.status) == (100.0, "on_track")
    assert (two.score, two.status) == (None, "insufficient_data")
    # The plan: T1 alone is scored.
    assert (report.latest.score, report.latest.status) == (100.0, "on_track")


def test_without_the_key_nothing_changes(evaluate):
    report = evaluate([meetings("a")])
    result = report.latest.indicator("a")
    assert (result.value, result.status, result.min_denominator) == (0.75, "on_track", 1)
    data = report.to_dict()
    assert "min_denominator" not in data["plan"]["indicators"][0]
    assert "min_denominator" not in data["evaluations"][0]["indicators"][0]
    groups = data["evaluations"][0]["indicators"][0]["breakdown"]
    assert [g.keys() for g in groups] == [{"group", "numerator", "denominator", "value"}] * 2


def test_a_breakdown_group_below_the_minimum_is_insufficient_in_the_json(evaluate):
    report = evaluate([meetings("a", min_denominator=3)])
    data = report.to_dict()
    assert data["plan"]["indicators"][0]["min_denominator"] == 3
    found = data["evaluations"][0]["indicators"][0]
    assert found["min_denominator"] == 3
    assert (found["value"], found["status"]) == (0.75, "on_track")
    assert found["breakdown"] == [
        {
            "group": "ministry",
            "numerator": 2,
            "denominator": 3,
            "value": pytest.approx(2 / 3),
            "insufficient": False,
        },
        {
            "group": "province",
            "numerator": 1,
            "denominator": 1,
            "value": None,
            "insufficient": True,
        },
    ]
    # Read back, the report says the same.
    again = report_from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data


class StrictMeetings:
    """The seed's online meetings kind under another name, asking 4 meetings at least."""

    @hookimpl
    def register_kinds(self, register):
        from vpcp_kinds.online_meetings import KIND

        register(attrs.evolve(KIND, name="strict_meetings", min_denominator=5))


def test_a_kind_sets_its_own_default_and_the_plan_overrides_it(evaluate):
    engine = Engine(cache=None, plugins=[StrictMeetings()])
    strict = indicator("strict_meetings", {"meetings": "meetings.csv"}, id="s", window="year")
    told = dict(strict, id="told", min_denominator=1)
    report = evaluate([strict, told], engine=engine, tasks=TASKS[:1])
    assert report.latest.indicator("s").status == "insufficient_data"
    assert report.latest.indicator("told").status == "on_track"


def test_the_kinds_default_must_be_a_whole_number_of_at_least_one():
    from vpcp_kinds.online_meetings import KIND

    for wrong in (0, -1, 2.5):
        with pytest.raises((ValueError, TypeError)):
            attrs.evolve(KIND, min_denominator=wrong)


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("0", "indicators[0].min_denominator: must be greater than 0, found 0"),
        ("2.5", "indicators[0].min_denominator: expected a whole number, found 2.5"),
        ('"5"', "indicators[0].min_denominator: expected a number, found the string '5'"),
    ],
)
def test_the_plan_key_is_a_whole_number_above_zero(tmp_path, written, problem):
    from vpcp_indicators.errors import PlanError

    write_csv(tmp_path / "meetings.csv", MEETINGS)
    text = plan_text([meetings("a")]).replace('window = "year"', f"min_denominator = {written}")
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert problem in str(raised.value)


RENDERED = {
    "en": ("◐ insufficient data", "province insufficient data (1/1)"),
    "vi": ("◐ không đủ dữ liệu", "province không đủ dữ liệu (1/1)"),
}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_report_for_people_says_insufficient_in_its_language(tmp_path, lang):
    write_csv(tmp_path / "meetings.csv", MEETINGS)
    path = tmp_path / "plan.toml"
    items = [meetings("a", min_denominator=3), meetings("b", task="T2", min_denominator=5)]
    path.write_text(plan_text(items, tasks=TASKS), "utf-8")
    engine = Engine(cache=None)
    report = engine.evaluate(path, [END_2012])
    options = RenderOptions(lang=lang)
    status, group = RENDERED[lang]
    label = status.split(" ", 1)[1]
    table = str(engine.render(report, "table", options))
    assert status in table
    assert group in table
    markdown = str(engine.render(report, "markdown", options))
    assert f"| province | 1 | 1 | {label} |" in markdown
    assert status in markdown
    html = str(engine.render(report, "html", options))
    assert f'<span class="status status-insufficient_data">{label}</span>' in html
    csv_rows = str(engine.render(report, "csv-breakdown", options)).splitlines()
    province = next(row for row in csv_rows if ",a,ratio,,province," in row)
    assert province.endswith(",1,1,")  # numerator, denominator, and no value
    figures = str(engine.render(report, "csv", options))
    assert label in figures


@pytest.mark.parametrize(
    ("lang", "because"),
    [
        ("en", "because the share rests on 4 records, fewer than the 5 the indicator asks for."),
        ("vi", "tỷ lệ chỉ dựa trên 4 bản ghi, ít hơn mức 5 mà chỉ tiêu yêu cầu."),
    ],
)
def test_explain_says_why_in_both_languages(tmp_path, lang, because):
    write_csv(tmp_path / "meetings.csv", MEETINGS)
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([meetings("a", min_denominator=5)], tasks=TASKS[:1]), "utf-8")
    engine = Engine(cache=None)
    text = render_explanation(explain(engine, load_plan(path), "a", END_2012), language(lang))
    assert because in text
    assert "Numerator: 3" in text or "Tử số: 3" in text
