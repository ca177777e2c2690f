"""Evaluating a plan: plugins that fail, strict runs, and scores rolled up to tasks and plan."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import (
    Column,
    Count,
    DataError,
    Engine,
    Flag,
    In,
    Kind,
    Measurement,
    OnOrBefore,
    PlanError,
    PluginError,
    Source,
    hookimpl,
    report_from_dict,
)

THINGS = Source("things", [Column("state"), Column("on", type="date")])


def things(tmp_path, states):
    return write_csv(
        tmp_path / "things.csv", [{"state": s, "on": "2012-01-01"} for s in states]
    ).name


class Kinds:
    """A host plugin with kinds that count, raise, or describe a count wrongly."""

    @hookimpl
    def register_kinds(self, register):
        def share_done(params):
            return Count(
                "things", population=In("state", ["done", "open"]), numerator=In("state", ["done"])
            )

        def broken_count(params):
            raise ZeroDivisionError("the plugin divided by zero")

        def broken_compute(records, window, params):
            raise KeyError("no such column")

        def wrong_column(params):
            return Count("things", population=In("colour", ["red"]), numerator=In("state", ["x"]))

        def text_as_date(params):
            return Count("things", population=OnOrBefore("state"), numerator=In("state", ["x"]))

        register(Kind("share_done", "Done", [THINGS], count=share_done))
        register(Kind("broken_count", "Broken", [THINGS], count=broken_count))
        register(Kind("broken_compute", "Broken", [THINGS], compute=broken_compute))
        register(Kind("wrong_column", "Wrong", [THINGS], count=wrong_column))
        register(Kind("text_as_date", "Wrong", [THINGS], count=text_as_date))
        register(
            Kind(
                "value_only",
                "Value",
                [THINGS],
                compute=lambda r, w, p: Measurement(value=0.5),
                unit="number",
            )
        )
        # 3 of 4 is 0.75: a kind that says otherwise cannot be defended.
        lies = Measurement(numerator=3, denominator=4, value=0.5)
        register(Kind("lies", "Lies", [THINGS], compute=lambda r, w, p: lies))
        nothing = Measurement(numerator=0, denominator=0, value=1)
        register(Kind("divides_by_zero", "Lies", [THINGS], compute=lambda r, w, p: nothing))

        def flags_odd(records, window, params):
            rows = records["things"]
            odd = [r for r in rows if r["state"] == "odd"]
            flags = [Flag(r, "bad_value", "state") for r in odd]
            return Measurement(numerator=0, denominator=len(rows) - len(odd), flags=flags)

        def flags_a_stranger(records, window, params):
            stranger = {"state": "odd"}  # made here, not read from a source
            return Measurement(value=1, flags=[Flag(stranger, "bad_value", "state")])

        register(Kind("flags_odd", "Flags", [THINGS], compute=flags_odd))
        register(Kind("flags_a_stranger", "Flags", [THINGS], compute=flags_a_stranger))


def evaluate(tmp_path, indicators, tasks=None, scoring=None, strict=False, dates=None):
    path = tmp_path / "plan.toml"
    keys = {"tasks": tasks} if tasks else {}
    path.write_text(plan_text(indicators, scoring=scoring, **keys), "utf-8")
    engine = Engine(entry_points=False, plugins=[Kinds()])
    days = dates or [dt.date(2012, 12, 31)]
    return engine.evaluate(path, days, strict=strict).latest


def test_a_plugin_that_raises_gives_its_indicator_an_error_and_the_others_are_computed(tmp_path):
    source = {"things": things(tmp_path, ["done", "open", "done", "done"])}
    result = evaluate(
        tmp_path,
        [
            indicator("broken_count", source, id="a"),
            indicator("share_done", source, id="b"),
            indicator("broken_compute", source, id="c"),
            indicator("wrong_column", source, id="d"),
            indicator("text_as_date", source, id="e"),
        ],
    )
    a, b, c, d, e = result.indicators
    assert (a.status, a.error) == ("error", "ZeroDivisionError: the plugin divided by zero")
    assert (c.status, c.error) == ("error", "KeyError: 'no such column'")
    assert (d.status, d.error) == (
        "error",
        "count() reads column 'colour', which source 'things' does not declare",
    )
    assert (e.status, e.error) == (
        "error",
        "count() compares column 'state' as a date, but it is text",
    )
    assert (b.status, b.numerator, b.denominator, b.value) == ("on_track", 3, 4, 0.75)
    assert a.score is None and a.value is None
    # The task is scored from its one scored indicator, but cannot be achieved.
    assert result.tasks[0].score == b.score
    assert result.tasks[0].status == "on_track"


def test_a_kind_that_gives_a_value_alone(tmp_path):
    result = evaluate(tmp_path, [indicator("value_only", {"things": things(tmp_path, ["x"])})])
    only = result.indicators[0]
    assert (only.value, only.numerator, only.denominator, only.unit) == (0.5, None, None, "number")


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("lies", "the value 0.5 with numerator 3 and denominator 4"),
        ("divides_by_zero", "the value 1 with numerator 0 and denominator 0"),
    ],
)
def test_a_value_that_disagrees_with_its_counts_is_the_plugins_error(tmp_path, kind, said):
    (result,) = evaluate(
        tmp_path, [indicator(kind, {"things": things(tmp_path, ["x"])})]
    ).indicators
    assert result.status == "error" and result.value is None
    # The host plugin is registered under its class's name.
    assert result.error == f"plugin 'Kinds', kind '{kind}': compute() gave {said}"


def test_a_compute_kinds_flags_are_data_warnings_like_the_engines_own(tmp_path):
    files = things(tmp_path, ["x", "odd", "y", "odd"])  # rows 2 to 5
    (result,) = evaluate(tmp_path, [indicator("flags_odd", {"things": files})]).indicators
    assert (result.numerator, result.denominator) == (0, 2)
    (warning,) = result.warnings
    assert (warning.source, warning.file, warning.problem, warning.column) == (
        "things",
        "things.csv",
        "bad_value",
        "state",
    )
    assert (warning.count, warning.rows) == (2, (3, 5))
    assert (
        warning.message
        == "things.csv: 2 rows skipped: 'state' holds a value the kind cannot use (rows 3, 5)"
    )


def test_a_flag_on_a_record_no_source_gave_is_the_plugins_error(tmp_path):
    files = {"things": things(tmp_path, ["x"])}
    (result,) = evaluate(tmp_path, [indicator("flags_a_stranger", files)]).indicators
    assert result.status == "error"
    assert result.error == (
        "plugin 'Kinds', kind 'flags_a_stranger': compute() flagged a record that none of its "
        "sources gave"
    )


def test_task_and_plan_scores_are_weighted_means_by_default(tmp_path):
    files = {
        "a": {
            "things": write_csv(
                tmp_path / "a.csv",
                [{"state": "done", "on": "2012-01-01"}] * 3
                + [{"state": "open", "on": "2012-01-01"}],
            ).name
        },
        "b": {
            "things": write_csv(
                tmp_path / "b.csv",
                [{"state": "done", "on": "2012-01-01"}, {"state": "open", "on": "2012-01-01"}],
            ).name
        },
    }
    tasks = [{"id": "T1", "title": "One", "weight": 3}, {"id": "T2", "title": "Two"}]
    target = [{"by": dt.date(2012, 12, 31), "value": 1.0}]
    result = evaluate(
        tmp_path,
        [
            indicator("share_done", files["a"], id="a", targets=target, weight=1),  # 75
            indicator("share_done", files["b"], id="b", targets=target, weight=3),  # 50
            indicator("share_done", files["a"], id="c", task="T2", targets=target),  # 75
        ],
        tasks=tasks,
    )
    assert [r.score for r in result.indicators] == [75.0, 50.0, 75.0]
    t1, t2 = result.tasks
    assert (t1.score, t1.status, t1.indicators) == (56.25, "off_track", ("a", "b"))  # 225/4
    assert (t2.score, t2.status) == (75.0, "off_track")
    assert result.score == (3 * 56.25 + 75) / 4
    assert result.status == "off_track"


def test_minimum_aggregation_and_the_at_risk_threshold(tmp_path):
    source = {"things": things(tmp_path, ["done"] * 3 + ["open"])}
    target = [{"by": dt.date(2012, 12, 31), "value": 1.0}]
    result = evaluate(
        tmp_path,
        [indicator("share_done", source, id="a", targets=target)],
        scoring={"aggregation": "minimum", "at_risk": 70},
    )
    assert (result.indicators[0].status, result.tasks[0].status, result.status) == (
        "at_risk",
        "at_risk",
        "at_risk",
    )


def test_strict_turns_the_first_data_warning_into_an_error(tmp_path):
    write_csv(tmp_path / "things.csv", "state,on\ndone,2012-01-01\n,2012-01-02\nopen,soon\n")
    with pytest.raises(DataError) as error:
        evaluate(tmp_path, [indicator("share_done", {"things": "things.csv"})], strict=True)
    assert str(error.value) == (
        "things.csv:3: no value in 'state' (2 rows with data warnings; strict)"
    )


def test_a_plan_with_problems_is_not_evaluated(tmp_path):
    with pytest.raises(PlanError) as error:
        evaluate(tmp_path, [indicator("nope", {"things": "t.csv"})])
    assert "kind 'nope' is not provided" in str(error.value)


def test_the_report_round_trips_through_its_json_form(seed_report):
    assert report_from_dict(seed_report.to_dict()).to_dict() == seed_report.to_dict()
    again = report_from_dict(seed_report.to_dict())
    assert again.evaluations == seed_report.evaluations


class Faulty:
    """A host plugin whose kind returns a malformed measurement and whose aggregation raises."""

    @hookimpl
    def register_kinds(self, register):
        def compute(records, window, params):
            return Measurement(numerator=1, denominator=2, breakdown=[("a", 1, 2)])

        register(Kind("malformed", "Malformed", [THINGS], compute=compute))

    @hookimpl
    def register_aggregations(self, register):
        def broken(items):
            raise ValueError("cannot average")

        register("broken", broken)


def test_a_malformed_measurement_is_the_kinds_error_and_outputs_still_render(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([indicator("malformed", {"things": things(tmp_path, ["x"])})]))
    engine = Engine(entry_points=False, plugins=[Faulty()])
    report = engine.evaluate(path, [dt.date(2012, 12, 31)])
    result = report.latest.indicator("ind")
    assert result.status == "error"
    assert result.error == "TypeError: breakdown holds ('a', 1, 2), not a Group"
    assert '"status":"error"' in engine.render(report, "json")


def test_an_aggregation_that_raises_stops_the_run_naming_it(tmp_path):
    path = tmp_path / "plan.toml"
    text = plan_text(
        [indicator("share_done", {"things": things(tmp_path, ["done"])})],
        scoring={"aggregation": "broken"},
    )
    path.write_text(text)
    engine = Engine(entry_points=False, plugins=[Faulty(), Kinds()])
    with pytest.raises(PluginError, match="aggregation 'broken' failed: ValueError: cannot"):
        engine.evaluate(path, [dt.date(2012, 12, 31)])


def test_strict_counts_a_files_warnings_once_whatever_the_dates_and_indicators(tmp_path):
    # Two indicators read the file, at two dates, each also measured a year earlier.
    write_csv(tmp_path / "things.csv", "state,on\ndone,2012-01-01\n,2012-01-02\nopen,soon\n")
    items = [
        indicator("share_done", {"things": "things.csv"}, id="one"),
        indicator("share_done", {"things": "things.csv"}, id="two"),
    ]
    with pytest.raises(DataError) as error:
        evaluate(tmp_path, items, strict=True, dates=[dt.date(2013, 6, 30), dt.date(2014, 6, 30)])
    assert str(error.value).endswith("(2 rows with data warnings; strict)")
