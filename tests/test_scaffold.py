"""new-plugin: a plugin package that installs, passes its own tests and serves a plan."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from vpcp_indicators import Engine
from vpcp_indicators.cli import cli
from vpcp_indicators.scaffold import ScaffoldError, new_plugin, plugin_names


def test_names_of_the_package_the_module_and_the_kind():
    names = plugin_names("vpcp-Online.Services")
    assert (names.distribution, names.module, names.kind) == (
        "vpcp-Online.Services",
        "vpcp_online_services",
        "online_services",
    )
    assert plugin_names("budget", kind="budget_use").kind == "budget_use"
    for bad in ("9lives", "two words", "a--b", "-x", "tiếng-việt", ""):
        with pytest.raises(ScaffoldError, match="cannot name a plugin package"):
            plugin_names(bad)
    with pytest.raises(ScaffoldError, match="cannot name a kind"):
        plugin_names("ok", kind="Not-A-Kind")
    with pytest.raises(ScaffoldError, match=r"cannot name a kind: .* \(give one with --kind\)"):
        plugin_names("vpcp_1")


@pytest.mark.parametrize(
    ("name", "module"),
    [("json", "json"), ("class", "class"), ("vpcp-indicators", "vpcp_indicators"),
     ("Pytest", "pytest"), ("vpcp_kinds", "vpcp_kinds")],
)  # fmt: skip
def test_a_name_whose_module_python_already_has_is_refused(name, module):
    # Installed, such a package would hide the standard library, the core or a plugin.
    with pytest.raises(ScaffoldError) as raised:
        plugin_names(name)
    assert str(raised.value) == (
        f"'{name}' would make the module '{module}', which Python already has: choose another name"
    )


def test_a_kind_an_installed_plugin_provides_is_refused():
    with pytest.raises(ScaffoldError, match="kind 'reported_value' is already provided"):
        plugin_names("vpcp-reported-value", taken_kinds=["reported_value", "x"])
    assert plugin_names("vpcp-reported-value", kind="nv3_value", taken_kinds=["reported_value"])


def test_a_directory_that_is_missing_or_not_writable_is_one_error(tmp_path):
    with pytest.raises(ScaffoldError, match="does not exist"):
        new_plugin("vpcp-x", tmp_path / "nowhere")
    (tmp_path / "file").write_text("", "utf-8")
    with pytest.raises(ScaffoldError, match="is not a directory"):
        new_plugin("vpcp-x", tmp_path / "file")


def test_an_existing_folder_is_never_written_over(tmp_path):
    (tmp_path / "vpcp-x").mkdir()
    (tmp_path / "vpcp-x" / "mine.txt").write_text("keep", "utf-8")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_plugin("vpcp-x", tmp_path)
    assert [p.name for p in (tmp_path / "vpcp-x").iterdir()] == ["mine.txt"]
    # Nothing half-written is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vpcp-x"]


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_new_kind_works_before_it_is_even_installed(tmp_path):
    folder = new_plugin("vpcp-online-services", tmp_path)
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == [
        "README.md",
        "example/data/records.csv",
        "example/plan.toml",
        "pyproject.toml",
        "src/vpcp_online_services/__init__.py",
        "tests/test_vpcp_online_services.py",
    ]
    module = _load(folder / "src" / "vpcp_online_services" / "__init__.py", "vpcp_online_services")
    assert module.PLUGIN_INTERFACE == 1
    engine = Engine(entry_points=False, plugins=[module])
    report = engine.evaluate(folder / "example" / "plan.toml", [dt.date(2012, 12, 31)])
    result = report.latest.indicator("done-records")
    # The example data of 2012: R1 (A, done), R2 (A, open), R3 (B, done), R4 (B, done).
    assert (result.numerator, result.denominator) == (3, 4)
    assert {g.key: (g.numerator, g.denominator) for g in result.breakdown} == {
        "A": (1, 2),
        "B": (2, 2),
    }
    pyproject = (folder / "pyproject.toml").read_text("utf-8")
    assert (
        '[project.entry-points.vpcp_indicators]\nvpcp_online_services = "vpcp_online_services"'
        in (pyproject)
    )


def test_the_command_says_where_it_wrote_and_refuses_a_second_time(tmp_path):
    runner = CliRunner()
    first = runner.invoke(cli, ["new-plugin", "vpcp-a", "--dir", str(tmp_path), "--lang", "en"])
    assert first.exit_code == 0
    assert first.stderr == f"wrote {tmp_path / 'vpcp-a'}\n"
    again = runner.invoke(cli, ["new-plugin", "vpcp-a", "--dir", str(tmp_path), "--lang", "en"])
    assert again.exit_code == 2
    assert again.stderr == (
        f"error: {tmp_path / 'vpcp-a'} already exists: choose another name or --dir\n"
    )


@pytest.mark.venv
def test_a_new_plugin_installs_passes_its_tests_and_serves_a_plan(fresh_venv, tmp_path):
    bin_dir = fresh_venv / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VPCP_INDICATORS_LOAD_PLUGINS", None)

    def run(*command, cwd=tmp_path):
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        return done

    run("vpcp-indicators", "new-plugin", "vpcp-round-trip")
    folder = tmp_path / "vpcp-round-trip"
    run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-e", f"{folder}[test]")
    tests = run(str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder)
    assert "3 passed" in tests.stdout
    listed = json.loads(run("vpcp-indicators", "plugins", "--format", "json").stdout)
    (plugin,) = [p for p in listed if p["name"] == "vpcp_round_trip"]
    assert (plugin["origin"], plugin["version"], plugin["interface"]) == ("entry point", "0.1.0", 1)
    out = run(
        "vpcp-indicators", "evaluate", "example/plan.toml", "--as-of", "2012-12-31",
        "--format", "json", cwd=folder,
    )  # fmt: skip
    (found,) = json.loads(out.stdout)["evaluations"][0]["indicators"]
    assert (found["kind"], found["numerator"], found["denominator"]) == ("round_trip", 3, 4)
    assert sys.executable != str(bin_dir / "python")  # really another environment
