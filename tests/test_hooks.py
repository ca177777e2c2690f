"""The lifecycle hooks a host implements to watch an evaluation, and what the library
promises a host: no printing, no exiting, no global state it cannot set."""

from __future__ import annotations

import ast
import datetime as dt
import logging

from click.testing import CliRunner
from conftest import ROOT, SEED_PLAN, d

from vpcp_indicators import Engine, hookimpl
from vpcp_indicators.cli import cli

LIBRARY = ROOT / "src" / "vpcp_indicators"


class Recorder:
    """A host's observer: notes every call, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    @hookimpl
    def evaluation_started(self, plan, dates):
        self.calls.append(("started", plan.id, tuple(dates)))

    @hookimpl
    def indicator_computed(self, as_of, result):  # a hook may take fewer arguments
        self.calls.append(("computed", as_of, result.id, result.status))

    @hookimpl
    def evaluation_finished(self, report):
        self.calls.append(("finished", report))


def test_a_host_watches_an_evaluation_from_start_to_finish():
    recorder = Recorder()
    engine = Engine()
    engine.register(recorder)
    dates = [d("2013-12-31"), d("2012-12-31"), d("2013-12-31")]
    report = engine.evaluate(SEED_PLAN, dates)
    ids = [r.id for r in report.latest.indicators]
    assert len(ids) == 7
    days = (d("2012-12-31"), d("2013-12-31"))
    assert recorder.calls[0] == ("started", "vpcp-2011-2015", days)
    computed = recorder.calls[1:-1]
    # Each indicator at each date once, dates in order, indicators in plan order.
    assert [(c[1], c[2]) for c in computed] == [(day, i) for day in days for i in ids]
    assert computed[-1][3] == report.latest.indicators[-1].status
    assert recorder.calls[-1] == ("finished", report)


def test_an_object_registered_on_the_plugin_manager_itself_is_called():
    recorder = Recorder()
    engine = Engine()
    engine.plugin_manager.register(recorder)
    engine.evaluate(SEED_PLAN, [d("2012-12-31")])
    assert [c[0] for c in recorder.calls] == ["started", *["computed"] * 7, "finished"]


class Broken:
    @hookimpl
    def indicator_computed(self, result):
        raise RuntimeError(f"cannot send {result.id}")


def test_an_observer_that_raises_is_logged_once_and_the_evaluation_goes_on(caplog):
    recorder = Recorder()
    engine = Engine(plugins=[Broken(), recorder])
    with caplog.at_level(logging.WARNING, logger="vpcp_indicators"):
        report = engine.evaluate(SEED_PLAN, [d("2012-12-31"), d("2013-12-31")])
    assert len(report.evaluations) == 2
    assert len([c for c in recorder.calls if c[0] == "computed"]) == 14
    (record,) = caplog.records
    assert (
        "indicator_computed raised RuntimeError: cannot send online-meetings" in record.getMessage()
    )


def test_the_cli_shows_an_observers_failure_as_one_warning(tmp_path, cli_env):
    plugins = tmp_path / "p"
    plugins.mkdir()
    (plugins / "noisy.py").write_text(
        "from vpcp_indicators import hookimpl\n\n"
        "@hookimpl\n"
        "def evaluation_finished(report):\n"
        "    raise OSError('dashboard unreachable')\n",
        "utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["evaluate", str(SEED_PLAN), "--as-of", "2012-12-31", "--plugins-dir", str(plugins),
         "--format", "json", "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "noisy" in line]
    assert warnings == [
        "warning: plugin 'noisy': evaluation_finished raised OSError: dashboard unreachable "
        "(later failures of this hook are not shown)"
    ]


WATCHED = {("os", "environ"), ("sys", "stdout"), ("sys", "stderr")}


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.add(f"{func.value.id}.{func.attr}")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in WATCHED
        ):
            names.add(f"{node.value.id}.{node.attr}")
    return names


def test_the_library_never_prints_exits_or_reads_the_environment():
    # Only the command line (cli/) talks to a terminal, exits, or reads variables of the
    # environment; a host sets everything else through the Engine.
    forbidden = {"print", "exit", "quit", "sys.exit", "os._exit", "os.getenv", "os.environ",
                 "sys.stdout", "sys.stderr", "input"}  # fmt: skip
    found = {}
    modules = [p for p in LIBRARY.rglob("*.py") if "cli" not in p.relative_to(LIBRARY).parts]
    assert len(modules) > 30
    for path in modules:
        used = _calls(ast.parse(path.read_text("utf-8"))) & forbidden
        if used:
            found[str(path.relative_to(LIBRARY))] = sorted(used)
    assert found == {}


def test_two_engines_evaluate_side_by_side_with_their_own_observers():
    first, second = Recorder(), Recorder()
    one, two = Engine(plugins=[first]), Engine(plugins=[second], entry_points=["e_documents"])
    report = one.evaluate(SEED_PLAN, [dt.date(2012, 12, 31)])
    assert len(report.latest.indicators) == 7
    assert second.calls == []
    # The second engine only has the e-documents kind: the seed plan is not valid there.
    assert {p.text.render() for p in two.validate(SEED_PLAN)} >= {
        "kind 'online_meeting_coverage' is not provided by any plugin (kinds: e_document_dispatch)"
    }
    assert len([c for c in first.calls if c[0] == "computed"]) == 7
