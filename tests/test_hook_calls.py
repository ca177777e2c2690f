"""Hooks go through pluggy: its order (tryfirst, trylast), its wrappers, new and old style, its
hook-call monitoring; and a plugin that raises stays the only one that fails."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, d

from vpcp_indicators import Engine, Format, PluginError, hookimpl

ONE = ROOT / "tests" / "plans" / "one.toml"
DAY = d("2012-12-31")


def engine(*plugins: object) -> Engine:
    """An engine with the kind of the plan ``one.toml``, and these plugins, registered in this
    order under their class's name."""
    made = Engine(entry_points=["e_documents"])
    for plugin in plugins:
        made.register(plugin)
    return made


def evaluate(made: Engine) -> None:
    made.evaluate(ONE, [DAY], backend="python")


def observer(name: str, calls: list, **options: bool) -> object:
    """An observer of evaluation_started that notes its name, with these hookimpl options."""

    class Observer:
        @hookimpl(**options)
        def evaluation_started(self, plan):
            calls.append(name)

    Observer.__name__ = name
    return Observer()


# -- Order ------------------------------------------------------------------------------------


def test_observers_are_told_in_pluggys_order():
    calls: list[str] = []
    made = engine(
        observer("early", calls),
        observer("last", calls, trylast=True),
        observer("first", calls, tryfirst=True),
        observer("late", calls),
    )
    evaluate(made)
    # tryfirst before all, trylast after all; the others from the last registered to the first.
    assert calls == ["first", "late", "early", "last"]


def formats(text: str, **options: bool) -> object:
    """A plugin registering the format 'memo', which renders ``text``."""

    class Memo:
        @hookimpl(**options)
        def register_formats(self, register):
            register(Format("memo", lambda report, render_options: text))

    return Memo()


def memo(*plugins: object) -> str:
    made = Engine(entry_points=False)
    for plugin in plugins:
        made.register(plugin)
    return made.format("memo").render(None, None)  # type: ignore[arg-type]


def test_of_formats_of_one_name_the_first_pluggy_calls_wins():
    # Without options, the plugin registered last overrides those before it.
    assert memo(formats("older"), formats("newer")) == "newer"
    assert memo(formats("first", tryfirst=True), formats("newer")) == "first"
    assert memo(formats("older"), formats("last", trylast=True)) == "older"
    assert memo(formats("last", trylast=True)) == "last"


def test_a_host_format_overrides_a_builtin_unless_it_is_trylast():
    class Json:
        def __init__(self, **options):
            @hookimpl(**options)
            def register_formats(register):
                register(Format("json", lambda report, options: "mine"))

            self.register_formats = register_formats

    made = Engine(entry_points=False)
    made.register(Json())
    assert made.format("json").render(None, None) == "mine"  # type: ignore[arg-type]
    humble = Engine(entry_points=False)
    humble.register(Json(trylast=True))
    assert humble.format("json").description  # the built-in one


# -- Wrappers ---------------------------------------------------------------------------------


class Broken:
    @hookimpl
    def evaluation_started(self, plan):
        raise RuntimeError(f"cannot send {plan.id}")


def test_a_wrapper_is_called_around_the_observers_and_sees_their_failures(caplog):
    calls: list = []

    class Around:
        @hookimpl(wrapper=True)
        def evaluation_started(self, plan, dates):
            calls.append(("set up", plan.id, dates))
            result = yield
            calls.append(("torn down", [(r.plugin, r.error) for r in result]))
            return result

    made = engine(observer("a", calls), Around(), Broken(), observer("b", calls, tryfirst=True))
    with caplog.at_level(logging.WARNING, logger="vpcp_indicators"):
        evaluate(made)
    assert calls == [
        ("set up", "one", (DAY,)),
        "b",
        "a",
        ("torn down", [("Broken", "RuntimeError: cannot send one")]),
    ]
    # What the wrapper let through is what the engine logs.
    (record,) = caplog.records
    assert "plugin 'Broken': evaluation_started raised RuntimeError: cannot send one" in (
        record.getMessage()
    )


def test_an_old_style_hookwrapper_is_called_and_may_change_the_result(caplog):
    calls: list = []

    class Old:
        @hookimpl(hookwrapper=True)
        def evaluation_started(self):
            calls.append("set up")
            outcome = yield
            calls.append(("torn down", [r.plugin for r in outcome.get_result()]))
            outcome.force_result([])  # a wrapper may hide what it wraps: nothing is logged

    made = engine(Broken(), Old(), observer("a", calls))
    with caplog.at_level(logging.WARNING, logger="vpcp_indicators"):
        evaluate(made)
    assert calls == ["set up", "a", ("torn down", ["Broken"])]
    assert caplog.records == []


def test_an_interrupt_goes_through_the_wrappers_and_stops_the_evaluation():
    calls: list = []

    class Stop:
        @hookimpl
        def evaluation_started(self):
            raise KeyboardInterrupt

    class Around:
        @hookimpl(wrapper=True)
        def evaluation_started(self):
            try:
                return (yield)
            except KeyboardInterrupt:
                calls.append("interrupted")
                raise

    class Old:
        @hookimpl(hookwrapper=True)
        def evaluation_started(self):
            outcome = yield
            calls.append(type(outcome.exception).__name__)

    with pytest.raises(KeyboardInterrupt):
        evaluate(engine(Stop(), Around(), Old()))
    assert calls == ["interrupted", "KeyboardInterrupt"]


def test_a_wrapper_that_fails_is_named_and_the_others_are_called(caplog):
    calls: list[str] = []

    class SetUp:
        @hookimpl(wrapper=True)
        def evaluation_started(self):
            raise RuntimeError("no setup")
            yield  # a generator, as a wrapper must be

    class TearDown:
        @hookimpl(hookwrapper=True)
        def evaluation_started(self):
            yield
            raise OSError("no teardown")

    class Silent:
        @hookimpl(wrapper=True)
        def evaluation_started(self):
            if calls == ["never"]:
                yield

    made = engine(SetUp(), observer("a", calls), TearDown(), Silent(), observer("b", calls))
    with caplog.at_level(logging.WARNING, logger="vpcp_indicators"):
        evaluate(made)
    assert calls == ["b", "a"]
    assert sorted(r.getMessage().split(" (later")[0] for r in caplog.records) == [
        "plugin 'SetUp': evaluation_started raised RuntimeError: no setup",
        "plugin 'Silent': evaluation_started raised RuntimeError: the wrapper did not yield",
        "plugin 'TearDown': evaluation_started raised OSError: no teardown",
    ]


# -- Registration -----------------------------------------------------------------------------


def test_a_registration_wrapper_sees_what_each_plugin_registered_and_may_drop_it():
    seen: list = []

    class Refusing:
        @hookimpl(wrapper=True)
        def register_formats(self):
            registered = yield
            seen.extend((r.plugin, [name for name, _ in r.things]) for r in registered)
            return [r for r in registered if r.plugin != "vpcp_indicators.formats.xlsx"]

    made = Engine(entry_points=False)
    made.register(Refusing())
    assert "json" in made.registry.formats
    assert "xlsx" not in made.registry.formats
    assert ("vpcp_indicators.formats.json", ["json"]) in seen
    assert ("vpcp_indicators.formats.xlsx", ["xlsx"]) in seen


def test_a_registration_that_raises_names_its_plugin_and_takes_it_out_of_the_run():
    calls: list[str] = []

    class Half:
        @hookimpl
        def register_formats(self, register):
            register(Format("half", lambda report, options: ""))
            raise ValueError("out of paper")

        @hookimpl
        def evaluation_started(self):
            calls.append("Half")

    made = engine(Half(), observer("a", calls), formats("fine"))
    (failed,) = made.registry.failed()
    assert (failed.name, failed.error) == (
        "Half",
        "register_formats raised ValueError: out of paper",
    )
    assert "half" not in made.registry.formats and "memo" in made.registry.formats
    evaluate(made)
    assert calls == ["a"]


def test_a_wrapper_registers_nothing():
    class Greedy:
        @hookimpl(wrapper=True)
        def register_formats(self, register):
            register(Format("greedy", lambda report, options: ""))
            return (yield)

    made = Engine(entry_points=False)
    made.register(Greedy())
    (failed,) = made.registry.failed()
    assert failed.error == (
        "register_formats raised TypeError: a hook wrapper cannot register: implement the hook "
        "without wrapper=True"
    )
    assert "json" in made.registry.formats


# -- What an evaluation is called with ---------------------------------------------------------


def test_an_observer_registered_during_an_evaluation_is_told_from_the_next_one():
    calls: list[str] = []
    made = engine()

    class Recruit:
        @hookimpl
        def evaluation_started(self):
            calls.append("recruit started")

        @hookimpl
        def indicator_computed(self):
            calls.append("recruit computed")

        @hookimpl
        def evaluation_finished(self):
            calls.append("recruit finished")

    class Recruiter:
        @hookimpl
        def evaluation_started(self):
            if not calls:
                made.register(Recruit())
            calls.append("recruiter")

    made.register(Recruiter())
    evaluate(made)
    # Not told of the rest of the evaluation it was registered in.
    assert calls == ["recruiter"]
    evaluate(made)
    assert calls == [
        "recruiter",
        "recruit started",
        "recruiter",
        "recruit computed",
        "recruit finished",
    ]


def test_every_hook_call_is_seen_by_pluggys_monitoring(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "dirwatch.py").write_text(
        "from vpcp_indicators import hookimpl\n\n@hookimpl\ndef evaluation_finished(report):\n"
        "    pass\n",
        "utf-8",
    )
    plan = tmp_path / "plan.toml"
    text = ONE.read_text("utf-8").replace("../../plans/", f"{ROOT / 'plans'}/")
    plan.write_text(text.replace('id = "one"', 'id = "one"\nplugins_dir = "plugins"'), "utf-8")
    made = engine(observer("host", []))
    seen: list = []
    undo = made.plugin_manager.add_hookcall_monitoring(
        lambda hook, impls, kwargs: seen.append(("before", hook, [i.plugin_name for i in impls])),
        lambda outcome, hook, impls, kwargs: seen.append(("after", hook)),
    )
    made.evaluate(plan, [DAY], backend="python")
    calls = [(hook, names) for step, hook, *names in seen if step == "before"]
    assert [hook for hook, _ in calls[:4]] == [
        "register_kinds",
        "register_source_readers",
        "register_aggregations",
        "register_formats",
    ]
    assert ("evaluation_started", [["host"]]) in calls
    assert ("indicator_computed", [[]]) in calls
    # The plan's plugins_dir: its own registration calls, then the plan's evaluation.
    assert ("evaluation_finished", [["dirwatch"]]) in calls
    assert len([c for c in calls if c[0] == "register_kinds"]) == 2
    assert len(seen) == 2 * len(calls)
    undo()
    seen.clear()
    made.evaluate(plan, [DAY], backend="python")
    assert seen == []


def test_a_plugin_registered_for_an_interface_not_offered_is_not_called():
    calls: list[str] = []

    class Future:
        PLUGIN_INTERFACE = 2

        @hookimpl(tryfirst=True)
        def evaluation_started(self):
            calls.append("future")

    made = engine(observer("a", calls))
    made.plugin_manager.register(Future(), name="future")
    evaluate(made)
    assert calls == ["a"]
    with pytest.raises(PluginError):
        made.register(Future())


# -- --debug ----------------------------------------------------------------------------------


def test_debug_tells_which_plugin_registered_what_and_was_told_what(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "watcher.py").write_text(
        textwrap.dedent(
            """
            from vpcp_indicators import Format, hookimpl

            @hookimpl
            def register_formats(register):
                register(Format("memo", lambda report, options: ""))

            @hookimpl
            def indicator_computed(result):
                pass
            """
        ),
        "utf-8",
    )
    (plugins / "broken.py").write_text(
        "from vpcp_indicators import hookimpl\n\n@hookimpl\ndef register_kinds(register):\n"
        "    raise RuntimeError('no kinds today')\n",
        "utf-8",
    )
    command = [sys.executable, "-m", "vpcp_indicators", "evaluate", str(ONE), "--as-of",
               "2012-12-31", "--plugins-dir", str(plugins), "--format", "json"]  # fmt: skip
    env = {"VPCP_INDICATORS_LOAD_PLUGINS": "e_documents", "PATH": ""}
    debug = subprocess.run([*command, "--debug"], capture_output=True, text=True, env=env)
    lines = debug.stderr.splitlines()
    # The plugins in the order pluggy called them: the last registered first.
    assert lines[:3] == [
        "debug: register_kinds: broken raised RuntimeError: no kinds today",
        "debug: register_kinds: e_documents registered e_document_dispatch",
        "debug: Traceback (most recent call last):",
    ]
    assert [line for line in lines if line.startswith("debug: register_source_readers")] == [
        "debug: register_source_readers: vpcp_indicators.sources.trino registered trino (trino)",
        "debug: register_source_readers: vpcp_indicators.sources.spark registered spark (spark)",
        "debug: register_source_readers: vpcp_indicators.sources.postgres registered postgresql "
        "(postgresql, postgres)",
        "debug: register_source_readers: vpcp_indicators.sources.workbook registered excel "
        "(.xlsx, .xlsm, .xls, .ods)",
        "debug: register_source_readers: vpcp_indicators.sources.sqlite registered sqlite (sqlite)",
        "debug: register_source_readers: vpcp_indicators.sources.parquet registered parquet "
        "(.parquet)",
        "debug: register_source_readers: vpcp_indicators.sources.jsonl registered jsonl (.jsonl)",
        "debug: register_source_readers: vpcp_indicators.sources.csv registered csv (.csv)",
    ]
    assert "debug: register_formats: watcher registered memo" in lines
    assert "debug: register_formats: vpcp_indicators.formats.json registered json" in lines
    assert "debug: indicator_computed(e-documents on 2012-12-31): watcher" in lines
    quiet = subprocess.run(command, capture_output=True, text=True, env=env)
    assert (debug.returncode, quiet.returncode) == (0, 0)
    assert "debug:" not in quiet.stderr


# -- The typed contract -------------------------------------------------------------------------


def test_each_register_callable_is_typed_with_a_public_class():
    import typing
    from collections.abc import Callable

    import vpcp_indicators
    from vpcp_indicators import hookspecs

    public = {name: getattr(vpcp_indicators, name) for name in vpcp_indicators.__all__}
    expected = {
        "register_kinds": "Kind",
        "register_source_readers": "SourceReader",
        "register_aggregations": "Aggregation",
        "register_formats": "Format",
    }
    for hook, name in expected.items():
        hints = typing.get_type_hints(getattr(hookspecs, hook), {**vars(hookspecs), **public})
        assert hints["register"] == Callable[[public[name]], None], hook
    assert {"Aggregation", "SourceReader"} <= set(dir(vpcp_indicators))
    from vpcp_indicators.sources import SourceReader

    assert vpcp_indicators.SourceReader is SourceReader
