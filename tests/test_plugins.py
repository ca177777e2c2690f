"""Finding plugins: entry points, plugins directories, host objects; and broken plugins."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Engine, Kind, Measurement, Source, hookimpl

RATIO_PLUGIN = """
from vpcp_indicators import Column, Kind, Measurement, Param, Source, hookimpl

__version__ = "2.5"

def compute(records, window, params):
    rows = [r for r in records["things"] if window.start <= r["on"] <= window.end]
    done = [r for r in rows if r["state"] == params["done"]]
    return Measurement(numerator=len(done), denominator=len(rows))

@hookimpl
def register_kinds(register):
    register(Kind(
        name="{name}",
        title="Share of things done",
        sources=[Source("things", [Column("on", type="date"), Column("state")])],
        params=[Param("done", "text", default="done")],
        compute=compute,
    ))
"""


def write_plugin(directory, filename, source):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / filename).write_text(textwrap.dedent(source), "utf-8")


def things_plan(tmp_path, kind="thing_ratio", **plan):
    write_csv(
        tmp_path / "things.csv",
        [
            {"on": "2012-01-05", "state": "done"},
            {"on": "2012-02-05", "state": "open"},
            {"on": "2012-03-05", "state": "done"},
            {"on": "2011-03-05", "state": "open"},
        ],
    )
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([indicator(kind, {"things": "things.csv"})], plan=plan), "utf-8")
    return path


def test_a_plugin_from_the_plans_plugins_dir_computes_in_python(tmp_path):
    write_plugin(
        tmp_path / "my_plugins", "things.py", RATIO_PLUGIN.replace("{name}", "thing_ratio")
    )
    plan = things_plan(tmp_path, plugins_dir="my_plugins")
    engine = Engine(entry_points=False)
    report = engine.evaluate(plan, [dt.date(2012, 12, 31)])
    result = report.latest.indicator("ind")
    # 2012: three things, two done; the 2011 one is outside the year window.
    assert (result.numerator, result.denominator) == (2, 3)
    (info,) = [p for p in engine.plugins(plan) if p.origin == "directory"]
    assert (info.name, info.version, info.kinds) == ("things", "2.5", ("thing_ratio",))
    assert info.location == str(tmp_path / "my_plugins" / "things.py")
    # They are the plan's plugins, not the engine's.
    assert [p for p in engine.plugins() if p.origin == "directory"] == []


def test_the_seed_kinds_come_from_entry_points():
    plugins = {p.name: p for p in Engine().plugins() if p.origin == "entry point"}
    assert {name: p.kinds for name, p in plugins.items()}.items() >= {
        "online_meetings": ("online_meeting_coverage",),
        "e_documents": ("e_document_dispatch",),
        "digital_signatures": ("digital_signature_issuance",),
        "training": ("training_completion",),
    }.items()
    assert plugins["training"].location == "vpcp-indicators"


def test_a_plugin_from_an_installed_distribution(tmp_path, monkeypatch):
    site = tmp_path / "site"
    write_plugin(site, "fake_plugin.py", RATIO_PLUGIN.replace("{name}", "fake_ratio"))
    dist = site / "fake_plugin-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-plugin\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text("[vpcp_indicators]\nfake = fake_plugin\n")
    monkeypatch.syspath_prepend(str(site))
    engine = Engine(entry_points=["fake"])
    (info,) = [p for p in engine.plugins() if p.origin == "entry point"]
    assert (info.name, info.location, info.version, info.kinds) == (
        "fake",
        "fake-plugin",
        "1.2",
        ("fake_ratio",),
    )
    report = engine.evaluate(things_plan(tmp_path, kind="fake_ratio"), [dt.date(2012, 12, 31)])
    assert report.latest.indicator("ind").numerator == 2


def test_a_plugin_that_fails_to_load_is_named_and_its_kind_fails_validation(tmp_path):
    write_plugin(tmp_path / "plugins", "broken.py", "import no_such_module_here\n")
    write_plugin(tmp_path / "plugins", "fine.py", RATIO_PLUGIN.replace("{name}", "other"))
    plan = things_plan(tmp_path, plugins_dir="plugins")
    engine = Engine(entry_points=False)
    (problem,) = engine.validate(plan)  # loads the plan's plugins_dir
    failed = {p.name: p.error for p in engine.plugins(plan) if p.error}
    assert failed == {"broken": "ModuleNotFoundError: No module named 'no_such_module_here'"}
    assert problem.key == "indicators[0].kind"
    assert problem.line == 15  # [plan] 6 lines, blank, [[tasks]] 3 lines, blank, id, task, kind
    assert "kind 'thing_ratio' is not provided by any plugin (kinds: other)" in problem.message
    assert "plugins that failed to load: broken: ModuleNotFoundError" in problem.message


def test_a_plugin_whose_registration_raises_provides_nothing_and_others_load(tmp_path):
    write_plugin(
        tmp_path / "p",
        "raises.py",
        """
        from vpcp_indicators import hookimpl

        @hookimpl
        def register_kinds(register):
            raise RuntimeError("no kinds today")
    """,
    )
    engine = Engine(plugins_dirs=[tmp_path / "p"])
    (info,) = [p for p in engine.plugins() if p.name == "raises"]
    assert info.error == "register_kinds raised RuntimeError: no kinds today"
    assert "e_document_dispatch" in engine.registry.kinds


def test_a_misspelt_hook_is_refused(tmp_path):
    write_plugin(
        tmp_path / "p",
        "typo.py",
        """
        from vpcp_indicators import hookimpl

        @hookimpl
        def register_kind(register):
            pass
    """,
    )
    (info,) = [p for p in Engine(plugins_dirs=[tmp_path / "p"]).plugins() if p.name == "typo"]
    assert info.error == "implements unknown hook register_kind"


def test_two_plugins_with_one_kind_make_it_unusable(tmp_path):
    write_plugin(tmp_path / "p", "one.py", RATIO_PLUGIN.replace("{name}", "same"))
    write_plugin(tmp_path / "p", "two.py", RATIO_PLUGIN.replace("{name}", "same"))
    plan = things_plan(tmp_path, kind="same", plugins_dir="p")
    (problem,) = Engine(entry_points=False).validate(plan)
    assert (
        problem.message == "kind 'same' is provided by several plugins (one, two): "
        "remove all but one"
    )


def test_two_engines_with_different_plugins_live_side_by_side(tmp_path):
    class Host:
        @hookimpl
        def register_kinds(self, register):
            register(
                Kind(
                    name="constant",
                    title="Always 42%",
                    sources=[Source("things", [])],
                    compute=lambda records, window, params: Measurement(value=0.42),
                    unit="ratio",
                )
            )

    bare = Engine(entry_points=False)
    hosted = Engine(entry_points=False, plugins=[Host()])
    assert "constant" not in bare.registry.kinds
    assert "constant" in hosted.registry.kinds
    assert "e_document_dispatch" not in hosted.registry.kinds
    plan = things_plan(tmp_path, kind="constant")
    assert bare.validate(plan)[0].message.startswith("kind 'constant' is not provided")
    report = hosted.evaluate(plan, [dt.date(2012, 6, 30)])
    assert report.latest.indicator("ind").value == 0.42
    assert [p.origin for p in hosted.plugins() if p.kinds] == ["host"]


def test_a_plugin_for_an_interface_not_offered_is_refused_by_name(tmp_path):
    old = RATIO_PLUGIN.replace("{name}", "old_ratio") + "\nPLUGIN_INTERFACE = 0\n"
    new = RATIO_PLUGIN.replace("{name}", "new_ratio") + "\nPLUGIN_INTERFACE = 1\n"
    odd = RATIO_PLUGIN.replace("{name}", "odd_ratio") + "\nPLUGIN_INTERFACE = '1'\n"
    write_plugin(tmp_path / "p", "old.py", old)
    write_plugin(tmp_path / "p", "new.py", new)
    write_plugin(tmp_path / "p", "odd.py", odd)
    engine = Engine(entry_points=False, plugins_dirs=[tmp_path / "p"])
    found = {p.name: p for p in engine.plugins()}
    assert found["old"].error == (
        "written for plugin interface 0, but this vpcp-indicators offers interface 1"
    )
    assert found["odd"].error == "PLUGIN_INTERFACE must be a whole number like 1, not '1'"
    assert (found["new"].error, found["new"].interface) == (None, 1)
    assert set(engine.registry.kinds) == {"new_ratio"}
    # A plan that needs the refused plugin's kind says why it is missing.
    plan = things_plan(tmp_path, kind="old_ratio")
    (problem,) = engine.validate(plan)
    assert "old: written for plugin interface 0" in problem.message


def test_the_cli_names_a_refused_plugin_and_both_versions(tmp_path, cli_env):
    from click.testing import CliRunner

    from vpcp_indicators.cli import cli

    write_plugin(
        tmp_path / "p",
        "future.py",
        RATIO_PLUGIN.replace("{name}", "f") + "\nPLUGIN_INTERFACE = 7\n",
    )
    plan = things_plan(tmp_path, kind="thing_ratio")
    result = CliRunner().invoke(
        cli, ["plugins", str(plan), "--plugins-dir", str(tmp_path / "p"), "--format", "json"]
    )
    assert result.exit_code == 0
    (future,) = [p for p in json.loads(result.stdout) if p["name"] == "future"]
    assert future["interface"] == 7
    assert (
        future["error"]
        == "written for plugin interface 7, but this vpcp-indicators offers interface 1"
    )


class Watcher:
    @hookimpl
    def evaluation_finished(self, report):
        pass


def test_a_host_object_is_named_after_its_class_and_refused_loudly():
    from vpcp_indicators import PluginError

    engine = Engine(entry_points=False)
    assert engine.register(Watcher()) == "Watcher"
    assert engine.register(Watcher()) == "Watcher-2"

    class Typo:
        @hookimpl
        def evaluation_ended(self, report):
            pass

    with pytest.raises(PluginError) as raised:
        engine.register(Typo())
    assert str(raised.value) == (
        "plugin 'Typo' cannot be registered: implements unknown hook evaluation_ended"
    )

    class Future(Watcher):
        PLUGIN_INTERFACE = 2

    with pytest.raises(PluginError, match="written for plugin interface 2, but this"):
        engine.register(Future())


def test_a_plugin_for_another_interface_registered_on_the_manager_is_left_out(tmp_path):
    seen = []

    class Future:
        PLUGIN_INTERFACE = 2

        @hookimpl
        def register_kinds(self, register):
            register(
                Kind("future", "Future", [Source("things", [])], compute=lambda *a: Measurement())
            )

        @hookimpl
        def evaluation_started(self, plan, dates):
            seen.append(plan.id)

    engine = Engine(entry_points=False)
    engine.plugin_manager.register(Future(), name="future")
    assert "future" not in engine.registry.kinds
    (info,) = [p for p in engine.plugins() if p.name == "future"]
    assert info.error.startswith("written for plugin interface 2")
    write_plugin(tmp_path / "p", "things.py", RATIO_PLUGIN.replace("{name}", "thing_ratio"))
    engine.load_plugins_dir(tmp_path / "p")
    engine.evaluate(things_plan(tmp_path), [dt.date(2012, 12, 31)])
    assert seen == []


def test_a_pinned_plugin_that_is_not_installed_is_named():
    engine = Engine(entry_points=["e_documents", "e_documnts"])
    (info,) = engine.registry.failed()
    assert (info.name, info.error) == ("e_documnts", "no installed plugin has this name")
    assert set(engine.registry.kinds) == {"e_document_dispatch"}


def test_a_hook_with_wrong_arguments_is_named_in_one_line(tmp_path):
    write_plugin(
        tmp_path / "p",
        "typo.py",
        """
        from vpcp_indicators import hookimpl

        @hookimpl
        def indicator_computed(result, date):
            pass
        """,
    )
    (info,) = [p for p in Engine(plugins_dirs=[tmp_path / "p"]).plugins() if p.name == "typo"]
    assert "\n" not in info.error
    assert "indicator_computed" in info.error and "date" in info.error


def test_two_plugins_with_one_kind_name_are_each_listed_with_their_own(tmp_path):
    from vpcp_indicators.cli.listing import describe_plugins

    for letter in "ab":
        source = (
            RATIO_PLUGIN.replace("{name}", "dup")
            .replace(
                'Param("done", "text", default="done")', f'Param("p_{letter}", "text", default="x")'
            )
            .replace('params["done"]', f'params["p_{letter}"]')
        )
        write_plugin(tmp_path / "p", f"dup_{letter}.py", source)
    engine = Engine(entry_points=False, plugins_dirs=[tmp_path / "p"])
    found = {p["name"]: p for p in describe_plugins(engine.plugins(), engine.registry)}
    assert found["dup_a"]["kinds"][0]["params"][0]["name"] == "p_a"
    assert found["dup_b"]["kinds"][0]["params"][0]["name"] == "p_b"


def test_a_boolean_interface_is_not_an_interface(tmp_path):
    source = RATIO_PLUGIN.replace("{name}", "b") + "\nPLUGIN_INTERFACE = True\n"
    write_plugin(tmp_path / "p", "boolean.py", source)
    (info,) = [p for p in Engine(plugins_dirs=[tmp_path / "p"]).plugins() if p.name == "boolean"]
    assert (info.interface, info.error) == (
        None,
        "PLUGIN_INTERFACE must be a whole number like 1, not True",
    )
