"""The guides in docs/ do what they say: the plugin tutorial runs, step by step, in a fresh
virtual environment, and the hook reference is the one hookspecs.py's docstrings give."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from conftest import ONE_MEETING, ROOT, d, indicator, plan_text, write_csv

from vpcp_indicators import Engine, hookspecs
from vpcp_indicators.i18n import LANGUAGES
from vpcp_indicators.plan import keys
from vpcp_indicators.plan.keys import Key, Table
from vpcp_indicators.plan.reading import read_plan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

GUIDE = ROOT / "docs" / "plugins.md"
sys.path.insert(0, str(ROOT / "scripts"))
import hook_reference  # noqa: E402 - a script, found through the path above
import plan_reference  # noqa: E402 - a script, found through the path above

_STEP = re.compile(r"<!-- tutorial: (run|file (\S+)) -->\n```[a-z]*\n(.*?)```", re.S)


def tutorial_steps() -> list[tuple[str, str | None, str]]:
    """The tutorial's steps in order: ("run", None, commands) or ("file", path, text)."""
    text = GUIDE.read_text("utf-8")
    return [
        ("run", None, body) if what == "run" else ("file", path, body)
        for what, path, body in _STEP.findall(text)
    ]


def test_the_tutorial_has_the_steps_a_developer_needs():
    steps = tutorial_steps()
    commands = "\n".join(body for what, _, body in steps if what == "run")
    assert commands.startswith("vpcp-indicators new-plugin vpcp-online-services")
    for needed in ("pip install", "pytest", "vpcp-indicators evaluate", "vpcp-indicators plugins"):
        assert needed in commands
    written = [path for what, path, _ in steps if what == "file"]
    assert "vpcp-online-services/tests/test_vpcp_online_services.py" in written


@pytest.mark.venv
def test_the_tutorial_runs_as_written_in_a_fresh_environment(fresh_venv, tmp_path):
    bin_dir = fresh_venv / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    env.pop("VPCP_INDICATORS_LOAD_PLUGINS", None)
    outputs = []
    for what, path, body in tutorial_steps():
        if what == "file":
            assert path is not None
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, "utf-8")
            continue
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", body],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"{body}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
    tests, listing = outputs[1], outputs[2]
    assert "2 passed" in tests
    assert "kind online_service_level: Share of online public services at level 3-4" in listing
    # The plan at the end of 2013: DV1 (level 4) and DV5 (3) of the four services then in
    # operation (DV3 was withdrawn): 50.0%. At the end of 2012: DV1 and DV3 of three.
    assert re.search(r"level-3-4\s+DVC\s+2013-12-31\s+50\.0%", listing)
    assert re.search(r"level-3-4\s+DVC\s+2012-12-31\s+66\.7%", listing)
    assert "3. Denominator: 4 records.\n   Numerator: 2, the records where level is 3 or 4." in (
        listing
    )


def test_the_hook_reference_is_up_to_date():
    text = GUIDE.read_text("utf-8")
    assert hook_reference.written(text) == text, "run python scripts/hook_reference.py"
    for hook in ("register_kinds", "register_formats", "evaluation_started", "indicator_computed"):
        assert f"#### `{hook}(" in text


def test_a_hook_without_a_docstring_cannot_be_documented(monkeypatch):
    monkeypatch.setattr(hookspecs.indicator_computed, "__doc__", None)
    with pytest.raises(SystemExit, match="hook indicator_computed has no docstring"):
        hook_reference.reference()


def plan_file_block() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    block = text.split(plan_reference.START, 1)[1].split(plan_reference.END, 1)[0]
    return block.split("```toml\n", 1)[1].split("```", 1)[0]


def test_the_readme_plan_file_block_is_made_from_the_key_declarations():
    text = (ROOT / "README.md").read_text("utf-8")
    assert plan_reference.written(text) == text, "run python scripts/plan_reference.py"


def declared(table: Table, data: dict[str, Any], path: str = "") -> list[tuple[str, Key, Any]]:
    """Each declared key under a table, with what the README's block holds for it."""
    found = []
    for key in table:
        value = data.get(key.name)
        found.append((f"{path}{key.name}", key, value))
        # A label's languages are keys of inline tables, below columns and codes of the
        # plan's own: the test of the labels example holds them.
        if key.type == "files" and key.table is not None:
            # The sources given as tables: each key of one, under that source's name.
            tables = {n: v for n, v in value.items() if isinstance(v, dict)}
            for name, item in tables.items():
                found += [
                    (f"{path}{key.name}.{name}.{k.name}", k, item[k.name])
                    for k in key.table
                    if k.name in item
                ]
            given = {k.name for item in tables.values() for k in key.table if k.name in item}
            assert given == key.table.names, "every key of a source table in the README"
        elif key.table is not None and key.type != "labels":
            # An array of tables may spread its keys over its tables (a unit's parent is
            # declared in a table of its own): each key is looked for in every table.
            items = value if isinstance(value, list) else [value]
            item = {k: v for one in reversed(items) for k, v in one.items()}
            found += declared(key.table, item, f"{path}{key.name}.")
    return found


def commented(block: str) -> dict[str, str]:
    """Each key of the README's plan file, by its dotted name, with its comment."""
    comments: dict[str, str] = {}
    table, name = "", ""
    for line in block.splitlines():
        code, _, comment = line.partition("# ")
        code = code.strip()
        if code.startswith("["):
            table = name = code.strip("[]")
        elif code:
            name = f"{table}.{code.split(' = ', 1)[0]}".lstrip(".")
        elif not comment:
            continue
        comments[name] = f"{comments.get(name, '')} {comment}".strip()
    return comments


def test_every_declared_key_is_in_the_readme_with_its_default():
    block = plan_file_block()
    comments = commented(block)
    for name, key, value in declared(keys.TOP, tomllib.loads(block)):
        assert value is not None, f"{name} is not in the README's plan file"
        comment = comments[name]
        if key.default is not None:
            assert f"default {plan_reference.toml(key.default)}" in comment, name
        assert ("required" in comment.split(".")[0]) == key.required, name


def test_the_readme_labels_example_gives_a_label_in_each_language_and_in_one():
    labels = tomllib.loads(plan_file_block())["labels"]
    given = [label for codes in labels.values() for label in codes.values()]
    assert any(isinstance(label, str) for label in given)
    by_language = [label for label in given if isinstance(label, dict)]
    assert by_language and set(by_language[0]) == set(keys.LABEL.names) == set(LANGUAGES)


def test_the_readme_plan_file_block_is_a_plan_the_loader_reads(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(plan_file_block(), "utf-8")
    plan, problems = read_plan(path)
    assert problems == []
    assert plan is not None and plan.indicators[0].params["issuers"]
    assert plan.label("issuer", "prime_minister", "en") == "Prime Minister"


def guide_example(marker: str) -> str:
    text = GUIDE.read_text("utf-8")
    return text.split(f"<!-- test: {marker} -->\n```python\n", 1)[1].split("```", 1)[0]


def test_the_single_file_plugin_works_from_a_plugins_dir(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "online_services.py").write_text(guide_example("plugin"), "utf-8")
    write_csv(
        tmp_path / "services.csv",
        "service_id,level,launched_on\n"
        "S1,4,2011-05-01\nS2,2,2011-06-01\nS3,3,2012-02-01\nS4,2,2013-01-01\n",
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(
        plan_text(
            [indicator("online_service_level", {"services": "services.csv"})],
            plan={"plugins_dir": "plugins"},
        ),
        "utf-8",
    )
    report = Engine(entry_points=False).evaluate(plan, [d("2012-06-30")])
    result = report.latest.indicator("ind")
    # On 2012-06-30 three services exist (S4 comes later); S1 (level 4) and S3 (3) count.
    assert (result.numerator, result.denominator) == (2, 3)
    assert [(g.key, g.numerator, g.denominator) for g in result.breakdown] == [
        ("2", 0, 1),
        ("3", 1, 1),
        ("4", 1, 1),
    ]


def test_the_aggregation_plugin_scores_a_plan(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "median.py").write_text(guide_example("aggregation"), "utf-8")
    write_csv(tmp_path / "meetings.csv", ONE_MEETING)
    plan = tmp_path / "plan.toml"
    items = [indicator("online_meeting_coverage", {"meetings": "meetings.csv"})]
    text = plan_text(items, plan={"plugins_dir": "plugins"}, scoring={"aggregation": "median"})
    plan.write_text(text, "utf-8")
    engine = Engine(entry_points=["online_meetings"])
    assert engine.registry_for(plan).aggregations["median"].title == "Median of the scores"
    assert engine.evaluate(plan, [d("2012-12-31")]).latest.score == 100.0


def test_every_test_the_reliability_page_names_exists():
    # The page is the list of promises and their proofs: a renamed test must not leave it
    # pointing at nothing.
    text = (ROOT / "docs" / "reliability.md").read_text("utf-8")
    named = []
    for cell in re.findall(r"`(tests/[^`]+|::[^`]+)`", text):
        if cell.startswith("tests/"):
            file, _, test = cell.partition("::")
        else:
            test = cell[2:]
        named.append((file, test))
    assert len(named) > 60
    for file, test in named:
        path = ROOT / file.split(" ")[0]
        assert path.exists(), file
        if test:
            assert f"def {test}(" in path.read_text("utf-8"), f"{file}::{test}"


def test_every_name_the_guide_calls_comes_from_the_package():
    import builtins
    import re

    import vpcp_indicators
    import vpcp_indicators.testing

    text = GUIDE.read_text("utf-8")
    called = set(re.findall(r"\b([A-Z][A-Za-z]+)\(", text)) | set(
        re.findall(r"`([A-Z][A-Za-z]+)`", text)
    )
    own = set(re.findall(r"^\s*class (\w+)", text, re.M)) | {"SERVICES"}
    unknown = {
        name
        for name in called - own
        if not hasattr(vpcp_indicators, name)
        and not hasattr(vpcp_indicators.testing, name)
        and not hasattr(builtins, name)
    }
    assert unknown == set()
