"""A plan's plugins stay with that plan's evaluations, and an engine can be shared by threads."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ONE_MEETING, indicator, plan_text, write_csv

from vpcp_indicators import Engine, PluginError, hookimpl

DAY = dt.date(2012, 12, 31)

#: A plan's plugin that takes the name of the built-in JSON format and of a seed kind, and
#: notes each evaluation it sees in a file.
IMPOSTOR = """
from vpcp_indicators import Format, Kind, Measurement, Source, hookimpl

@hookimpl
def register_formats(register):
    register(Format("json", lambda report, options: "not the JSON you wanted"))

@hookimpl
def register_kinds(register):
    register(Kind("online_meeting_coverage", "Impostor", [Source("meetings", [])],
                  compute=lambda records, window, params: Measurement(value=0.0)))

@hookimpl
def evaluation_started(plan, dates):
    with open({seen!r}, "a", encoding="utf-8") as seen:
        seen.write(plan.id + "\\n")
"""


def meetings_plan(folder, plan_id, **plan):
    """A plan of one online-meetings indicator, in its own folder."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "meetings.csv", ONE_MEETING)
    path = folder / "plan.toml"
    items = [indicator("online_meeting_coverage", {"meetings": "meetings.csv"})]
    path.write_text(plan_text(items, plan={"id": plan_id, **plan}), "utf-8")
    return path


@pytest.fixture
def impostor(tmp_path):
    """A plan whose plugins_dir holds the impostor, and the file it notes evaluations in."""
    seen = tmp_path / "seen.txt"
    plugins = tmp_path / "impostor" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "impostor.py").write_text(IMPOSTOR.replace("{seen!r}", repr(str(seen))), "utf-8")
    return meetings_plan(tmp_path / "impostor", "impostor", plugins_dir="plugins"), seen


def test_a_plans_format_and_kind_stay_with_that_plans_evaluations(tmp_path, impostor):
    plan, seen = impostor
    honest = meetings_plan(tmp_path / "honest", "honest")
    engine = Engine()
    # Its kind clashes with the seed kind, for its own plan only.
    (problem,) = engine.validate(plan)
    assert problem.message.startswith("kind 'online_meeting_coverage' is provided by several")
    report = engine.evaluate(honest, [DAY])
    assert report.latest.indicator("ind").value == 1.0  # the seed kind: one meeting, online
    assert json.loads(engine.render(report, "json"))["plan"]["id"] == "honest"
    assert json.loads(engine.format("json").render(report, None))["plan"]["id"] == "honest"
    # Rendering a report of the impostor's plan uses the impostor's format.
    assert engine.render(attrs_plan(report, plan), "json") == "not the JSON you wanted"
    assert engine.format("json", plan).render(report, None) == "not the JSON you wanted"
    assert not seen.exists()  # its observer saw no evaluation of the other plan
    assert "impostor" not in {p.name for p in engine.plugins()}
    assert "impostor" in {p.name for p in engine.plugins(plan)}


def attrs_plan(report, path):
    """The report, as if it were of the plan at ``path``."""
    import attrs

    from vpcp_indicators import load_plan

    return attrs.evolve(report, plan=load_plan(path))


def test_a_plans_observer_sees_the_evaluations_of_that_plan_only(tmp_path, impostor):
    plan, seen = impostor
    kinds = tmp_path / "observer" / "plugins"
    kinds.mkdir(parents=True)
    observer = IMPOSTOR.split("@hookimpl\ndef evaluation_started")[1]
    text = "from vpcp_indicators import hookimpl\n\n@hookimpl\ndef evaluation_started" + observer
    (kinds / "observer.py").write_text(text.replace("{seen!r}", repr(str(seen))), "utf-8")
    watched = meetings_plan(tmp_path / "observer", "watched", plugins_dir="plugins")
    honest = meetings_plan(tmp_path / "honest", "honest")
    engine = Engine()
    for path in (honest, watched, honest, watched, honest):
        engine.evaluate(path, [DAY])
    assert seen.read_text("utf-8").split() == ["watched", "watched"]
    with pytest.raises(Exception, match="provided by several plugins"):
        engine.evaluate(plan, [DAY])


def test_the_engines_own_plugins_are_used_for_every_plan(tmp_path, impostor):
    plan, _ = impostor
    seen = []

    class Host:
        @hookimpl
        def evaluation_started(self, plan):
            seen.append(plan.id)

    honest = meetings_plan(tmp_path / "honest", "honest")
    engine = Engine(plugins=[Host()])
    engine.validate(plan)
    engine.evaluate(honest, [DAY])
    engine.evaluate(meetings_plan(tmp_path / "other", "other"), [DAY])
    assert seen == ["honest", "other"]
    # A directory the engine itself loads is the engine's, for every plan.
    engine.load_plugins_dir(plan.parent / "plugins")
    (problem,) = engine.validate(honest)
    assert "provided by several plugins" in problem.message


#: A plan's plugin that is slow to import, as one that reads a large table at import is: other
#: threads evaluating the plan meanwhile must wait for it, not go on without it.
SLOW_KIND = """
import time

from vpcp_indicators import Column, Kind, Measurement, Source, hookimpl

time.sleep(0.3)

def compute(records, window, params):
    rows = [r for r in records["things"] if window.start <= r["on"] <= window.end]
    done = [r for r in rows if r["state"] == "done"]
    return Measurement(numerator=len(done), denominator=len(rows))

@hookimpl
def register_kinds(register):
    register(Kind("slow_ratio", "Share done", [Source("things", [Column("on", type="date"),
                  Column("state")])], compute=compute))
"""


def slow_plan(tmp_path, indicators=3):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow.py").write_text(SLOW_KIND, "utf-8")
    write_csv(
        tmp_path / "things.csv",
        [{"on": f"2012-0{m}-01", "state": "done" if m % 3 else "open"} for m in range(1, 10)],
    )
    path = tmp_path / "plan.toml"
    items = [
        indicator("slow_ratio", {"things": "things.csv"}, id=f"i{n}") for n in range(indicators)
    ]
    path.write_text(plan_text(items, plan={"plugins_dir": "plugins"}), "utf-8")
    return path


def test_a_fresh_engine_shared_by_64_threads_gives_64_correct_reports(tmp_path):
    plan = slow_plan(tmp_path)
    expected = Engine(entry_points=False).evaluate(plan, [DAY]).figures()
    assert expected["evaluations"][0]["indicators"][0]["numerator"] == 6
    shared = Engine(entry_points=False)
    start = threading.Barrier(64)

    def evaluate(backend):
        start.wait()
        return shared.evaluate(plan, [DAY], backend=backend).figures()

    with ThreadPoolExecutor(64) as pool:
        reports = list(pool.map(evaluate, ["python", "duckdb"] * 32))
    assert [r == expected for r in reports] == [True] * 64


def test_registering_while_other_threads_evaluate_is_safe(tmp_path):
    # Many indicators: an evaluation looks its kinds up often while plugins are registered.
    plan = slow_plan(tmp_path, indicators=50)
    engine = Engine(entry_points=False)
    expected = engine.evaluate(plan, [DAY], backend="python").figures()
    done = threading.Event()

    class Observer:
        def __init__(self):
            self.calls = 0

        @hookimpl
        def indicator_computed(self):
            self.calls += 1

    def evaluate():
        reports = []
        while not done.is_set():
            reports.append(engine.evaluate(plan, [DAY], backend="python").figures())
        return reports

    observers, refused = [], 0
    with ThreadPoolExecutor(8) as pool:
        running = [pool.submit(evaluate) for _ in range(8)]
        try:
            for number in range(300):
                observer = Observer()
                engine.register(observer, name=f"observer-{number}")
                observers.append(observer)
                try:  # a name taken is refused, with the project's error
                    engine.register(Observer(), name=f"observer-{number}")
                except PluginError:
                    refused += 1
        finally:
            done.set()
        reports = [report for future in running for report in future.result()]
    assert refused == 300
    assert reports and all(report == expected for report in reports)
    # Each observer was told of each indicator of every evaluation that started after it.
    engine.evaluate(plan, [DAY], backend="python")
    assert all(o.calls >= 50 for o in observers)
    assert {p.name for p in engine.plugins()} >= {f"observer-{n}" for n in range(300)}


def test_a_plan_directory_named_by_two_plans_is_imported_once(tmp_path):
    shared = tmp_path / "plugins"
    shared.mkdir()
    count = tmp_path / "imports.txt"
    (shared / "counted.py").write_text(
        f"with open({str(count)!r}, 'a') as f:\n    f.write('x')\n"
        + textwrap.dedent(SLOW_KIND).replace("time.sleep(0.3)", ""),
        "utf-8",
    )
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        write_csv(folder / "things.csv", [{"on": "2012-01-01", "state": "done"}])
        items = [indicator("slow_ratio", {"things": "things.csv"})]
        text = plan_text(items, plan={"plugins_dir": "../plugins"})
        (folder / "plan.toml").write_text(text, "utf-8")
    engine = Engine(entry_points=False)
    for _ in range(3):
        for name in ("a", "b"):
            engine.evaluate(tmp_path / name / "plan.toml", [DAY])
    assert count.read_text() == "x"
