"""Declaring kinds: parameters are checked where they are declared and where they are given."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from conftest import indicator

from vpcp_indicators import Column, Engine, Kind, Measurement, Param, Source, hookimpl, load_plan
from vpcp_indicators.cli.listing import describe_plugins, plugin_lines
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.i18n import language
from vpcp_indicators.kinds.kind import resolve_params


def test_a_default_of_the_wrong_type_is_refused_when_declared():
    with pytest.raises(ValueError, match="parameter 'levels': default"):
        Param("levels", "text", default=["3", "4"])


def test_parameters_are_resolved_with_defaults_and_checked():
    params = [
        Param("levels", "texts", default=("3", "4"), choices=("1", "2", "3", "4")),
        Param("strict", "boolean", default=False),
        Param("share", "number", default=0.5),
    ]
    resolved, wrong = resolve_params(params, {"levels": ["2"], "share": True, "other": 1})
    assert resolved == {"levels": ["2"], "strict": False, "share": True}
    assert [(name, str(problem)) for name, problem in wrong] == [
        ("other", "unknown parameter (parameters of this kind: levels, share, strict)"),
        ("share", "expected a number"),
    ]


def test_a_required_parameter_must_be_given_and_has_no_default():
    with pytest.raises(ValueError, match="a required parameter has no default"):
        Param("task", "text", required=True, default="T1")
    _, wrong = resolve_params([Param("task", "text", required=True)], {})
    assert [(name, str(problem)) for name, problem in wrong] == [
        ("task", "this kind needs parameter 'task'")
    ]


def test_a_default_taken_from_the_indicator_or_its_task():
    params = [
        Param("mine", "text", default_from="indicator"),
        Param("t", "text", default_from="task"),
    ]
    resolved, wrong = resolve_params(params, {}, {"indicator": "ind-1", "task": "NV2"})
    assert (resolved, wrong) == ({"mine": "ind-1", "t": "NV2"}, [])
    resolved, _ = resolve_params(params, {"t": "NV9"}, {"indicator": "ind-1", "task": "NV2"})
    assert resolved["t"] == "NV9"


def test_inline_tables_are_checked_and_become_records():
    fields = [
        Column("on", type="date"),
        Column("value", type="number"),
        Column("who", required=False),
    ]
    param = Param("values", "tables", fields=fields)
    good = [
        {"on": dt.date(2012, 1, 1), "value": 0.1},
        {"on": dt.date(2013, 1, 1), "value": 2, "who": "A"},
    ]
    resolved, wrong = resolve_params([param], {"values": good})
    assert wrong == []
    # Every field present, numbers exact: 0.1 is the decimal written, not the nearest float.
    assert resolved["values"] == [
        {"on": dt.date(2012, 1, 1), "value": Fraction(1, 10), "who": None},
        {"on": dt.date(2013, 1, 1), "value": Fraction(2), "who": "A"},
    ]
    cases = [
        ({"values": "x"}, "expected an array of tables"),
        ({"values": [{"on": dt.date(2012, 1, 1)}]}, "item 1: 'value' is missing"),
        ({"values": [*good, {"on": "2012-01-01", "value": 1}]}, "item 3: 'on': expected a date"),
        (
            {"values": [{"on": dt.date(2012, 1, 1), "value": True}]},
            "item 1: 'value': expected a number",
        ),
        # TOML can write nan and inf; neither is a value anyone reports.
        (
            {"values": [{"on": dt.date(2012, 1, 1), "value": float("nan")}]},
            "item 1: 'value': expected a number",
        ),
        (
            {"values": [{"on": dt.date(2012, 1, 1), "value": float("inf")}]},
            "item 1: 'value': expected a number",
        ),
        (
            {"values": [{"on": dt.date(2012, 1, 1), "value": 1, "by": "B"}]},
            "item 1: unknown key 'by' (allowed: on, value, who)",
        ),
    ]
    for given, said in cases:
        _, wrong = resolve_params([param], given)
        assert [str(problem) for _, problem in wrong] == [said]


def test_declarations_that_cannot_work_are_refused_when_made():
    with pytest.raises(ValueError, match="fields= goes with type 'tables' only"):
        Param("values", "tables")
    with pytest.raises(ValueError, match="default_from needs type 'text'"):
        Param("n", "integer", default_from="task")
    with pytest.raises(ValueError, match="number columns are for compute= kinds"):
        Kind(
            name="sum",
            title="Sum",
            sources=[Source("s", [Column("n", type="number")])],
            count=lambda params: None,  # type: ignore[arg-type,return-value]
        )


def test_lists_of_integers_and_of_numbers_say_which_type_they_expect():
    levels = Param("levels", "integers", default=[3, 4], choices=(1, 2, 3, 4), nonempty=True)
    shares = Param("shares", "numbers")
    assert levels.check([3]) is None and shares.check([0.5, 1, -2]) is None
    assert str(levels.check([3, 4.5])) == "expected an array of integers"
    assert str(levels.check([True])) == "expected an array of integers"
    assert str(levels.check([])) == "expected at least one value"
    assert str(levels.check([5])) == "5 is not allowed (allowed: 1, 2, 3, 4)"
    assert str(shares.check([1, "2"])) == "expected an array of numbers"
    assert str(shares.check([float("inf")])) == "expected an array of numbers"
    params, problems = resolve_params([levels], {})
    assert params == {"levels": [3, 4]} and problems == []


class Bilingual:
    """A plugin that speaks both languages: a compute kind titled and described in each."""

    @hookimpl
    def register_kinds(self, register):
        register(
            Kind(
                "services",
                {"en": "Online public services", "vi": "Dịch vụ công trực tuyến"},
                [Source("s", [Column("id")], description={"en": "services", "vi": "dịch vụ"})],
                compute=lambda records, window, params: Measurement(value=len(records["s"])),
                unit="number",
                description={"en": "How many services.", "vi": "Số dịch vụ."},
            )
        )


def test_a_kinds_words_may_come_in_several_languages(evaluate_plan):
    item = indicator("services", {"s": "s.csv"})
    report = evaluate_plan([item], {"s.csv": [{"id": "A"}, {"id": "B"}]}, ["2012-12-31"],
                           plugins=[Bilingual()])  # fmt: skip
    assert report.latest.indicators[0].value == 2
    engine = Engine(entry_points=False, plugins=[Bilingual()])
    plan = load_plan(evaluate_plan.directory / "plan.toml")
    found = explain(engine, plan, "ind", dt.date(2012, 12, 31))
    said = {code: render_explanation(found, language(code)) for code in ("vi", "en")}
    assert "Số dịch vụ." in said["vi"] and "How many services." not in said["vi"]
    assert "How many services." in said["en"]
    lines = plugin_lines(describe_plugins(engine.plugins(), engine.registry))
    assert "    kind services: Online public services" in lines
    assert "      How many services." in lines


def test_a_kinds_words_are_a_string_or_strings_by_language():
    with pytest.raises(TypeError, match="by language code"):
        Kind("x", {}, [], compute=lambda r, w, p: Measurement())
    with pytest.raises(TypeError, match="by language code"):
        Kind("x", {"en": 1}, [], compute=lambda r, w, p: Measurement())
