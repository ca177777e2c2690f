"""docs/embedding.md does what it says: each example runs from the repository root, as a
reader would run it, and shows what the guide promises."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
import runpy
import statistics
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Callable
from itertools import product
from pathlib import Path
from typing import Any
from wsgiref.simple_server import make_server
from wsgiref.util import setup_testing_defaults

import pytest
from conftest import ROOT, SEED_PLAN

from vpcp_indicators import Engine, PluginError, default_as_of, hookimpl, load_plan

GUIDE = ROOT / "docs" / "embedding.md"
_EXAMPLE = re.compile(r"<!-- example: (\w+) -->\n```python\n(.*?)```", re.S)

#: The dates the program example evaluates.
PROGRAM_DATES = [dt.date(2011, 12, 31), dt.date(2012, 12, 31), dt.date(2013, 12, 31)]


def examples() -> list[tuple[str, str]]:
    """The guide's runnable examples, (name, code), in the order of the guide."""
    return _EXAMPLE.findall(GUIDE.read_text("utf-8"))


def example(name: str) -> str:
    found = dict(examples())
    assert name in found, f"docs/embedding.md has no example '{name}'"
    return found[name]


def run_example(
    tmp_path: Path, name: str, code: str | None = None, run_name: str = "__main__"
) -> dict[str, Any]:
    """Run an example as a script from the repository root; its globals."""
    script = tmp_path / f"{name}.py"
    script.write_text(example(name) if code is None else code, "utf-8")
    return runpy.run_path(str(script), run_name=run_name)


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples use paths relative to the repository root, as a reader runs them."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def broken_plan(tmp_path: Path) -> Path:
    """The seed plan with an indicator filed under a task that does not exist."""
    text, changed = re.subn(
        r'^task = "NV\d"', 'task = "NV9"', SEED_PLAN.read_text("utf-8"), count=1, flags=re.M
    )
    assert changed
    path = tmp_path / "broken.toml"
    path.write_text(text, "utf-8")
    return path


def e_documents_in(year: int) -> tuple[int, int]:
    """The e-documents figure of a year, counted by hand from the sample data: documents of
    the government or the prime minister, not secret, issued in the year; sent
    electronically (alone or with paper) over all of them."""
    numerator = denominator = 0
    with (ROOT / "plans" / "data" / "documents.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            try:
                issued = dt.date.fromisoformat(row["issued_on"])
            except ValueError:  # the row broken on purpose, left out with a data warning
                continue
            if (
                issued.year == year
                and row["issuer"] in ("government", "prime_minister")
                and row["classification"] == "normal"
            ):
                denominator += 1
                numerator += row["channel"] in ("electronic", "both")
    return numerator, denominator


def test_the_guide_has_its_examples_in_order():
    assert [name for name, _ in examples()] == [
        "program",
        "observer",
        "timing",
        "extending",
        "web",
        "untrusted",
    ]


# -- 1. A program ---------------------------------------------------------------------------


def test_the_program_prints_the_figures_and_writes_the_report(tmp_path, monkeypatch, capsys):
    output = tmp_path / "out" / "report.html"
    output.parent.mkdir()
    monkeypatch.setattr(sys, "argv", ["program.py", str(output)])
    with pytest.raises(SystemExit) as exited:
        run_example(tmp_path, "program")
    assert exited.value.code == 0
    printed = capsys.readouterr().out

    expected = Engine().evaluate(SEED_PLAN, PROGRAM_DATES)
    sections = re.split(r"^(?=\d{4}-\d\d-\d\d: )", printed, flags=re.M)[1:]
    assert len(sections) == len(PROGRAM_DATES)
    for evaluation, section in zip(expected.evaluations, sections, strict=True):
        assert section.startswith(
            f"{evaluation.as_of}: plan score {evaluation.score:.1f} ({evaluation.status})\n"
        )
        for result in evaluation.indicators:
            line = re.search(rf"^  {re.escape(result.id)} .*$", section, re.M)
            assert line, f"{result.id} missing on {evaluation.as_of}"
            assert line.group().endswith(f"  {result.status}")
            if result.denominator:
                assert f" {result.numerator}/{result.denominator} " in line.group()

    # The e-documents figure of 2012, against a count made here from the CSV file.
    numerator, denominator = e_documents_in(2012)
    assert (numerator, denominator) == (925, 1249)
    line = re.search(r"^  e-documents .*$", sections[1], re.M)
    assert line
    assert f"{numerator / denominator:.1%}" in line.group()
    assert f" {numerator}/{denominator} " in line.group()
    assert "warning: e-documents: data/documents.csv: 1 row skipped" in printed

    page = output.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert printed.endswith(f"report written to {output}\n")


def test_the_program_writes_to_a_temporary_directory_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["program.py"])
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(SystemExit) as exited:
        run_example(tmp_path, "program")
    assert exited.value.code == 0
    written = re.search(r"^report written to (.*)$", capsys.readouterr().out, re.M)
    assert written
    path = Path(written.group(1))
    assert path.parent.parent == tmp_path
    assert path.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_the_program_prints_a_plan_problem_and_exits_2(tmp_path, monkeypatch, capsys, broken_plan):
    code = example("program")
    seed = 'PLAN = "plans/vpcp-2011-2015.toml"'
    assert seed in code
    code = code.replace(seed, f"PLAN = {str(broken_plan)!r}")
    monkeypatch.setattr(sys, "argv", ["program.py", str(tmp_path / "report.html")])
    with pytest.raises(SystemExit) as exited:
        run_example(tmp_path, "program", code)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.fullmatch(
        rf"{re.escape(str(broken_plan))}:\d+:\d+: indicators\[\d\]\.task: "
        r"task 'NV9' does not exist \(tasks: NV1, NV2, NV3, NV4\)\n",
        captured.err,
    )
    assert not (tmp_path / "report.html").exists()


# -- 2. An observer -------------------------------------------------------------------------


def test_the_observer_sees_every_indicator_at_every_date(tmp_path, capsys):
    names = run_example(tmp_path, "observer")
    printed = capsys.readouterr().out
    outbox = names["watcher"].outbox

    plan = load_plan(SEED_PLAN)
    dates = [dt.date(year, 12, 31) for year in range(2011, 2016)]
    wanted = [(day.isoformat(), i.id) for day, i in product(dates, plan.indicators)]
    assert [(item["as_of"], item["indicator"]) for item in outbox] == wanted
    # What it kept is what the evaluation found.
    expected = Engine().evaluate(SEED_PLAN, dates)
    for item in outbox:
        evaluation = expected.evaluations[dates.index(dt.date.fromisoformat(item["as_of"]))]
        result = evaluation.indicator(item["indicator"])
        assert item["plan"] == "vpcp-2011-2015"
        assert (item["value"], item["score"], item["status"]) == (
            result.value,
            result.score,
            result.status,
        )
    total = len(wanted)
    assert printed.startswith(f"vpcp-2011-2015: {len(plan.indicators)} indicators at 5 dates\n")
    assert f"[{total}/{total}] 2015-12-31 internal-it: " in printed
    latest = expected.latest
    assert printed.endswith(
        f"done: plan score {latest.score:.1f} ({latest.status}) on 2015-12-31\n"
    )


def test_an_observer_that_raises_is_logged_and_the_evaluation_goes_on(caplog):
    class Broken:
        @hookimpl
        def indicator_computed(self, result):
            raise RuntimeError(f"cannot send {result.id}")

    engine = Engine()
    engine.register(Broken(), name="broken")
    dates = [dt.date(2012, 12, 31), dt.date(2013, 12, 31)]
    with caplog.at_level(logging.WARNING, logger="vpcp_indicators"):
        report = engine.evaluate(SEED_PLAN, dates)
    assert report.to_dict() == Engine().evaluate(SEED_PLAN, dates).to_dict()
    logged = [r.getMessage() for r in caplog.records if r.name == "vpcp_indicators"]
    assert len(logged) == 1
    assert "plugin 'broken': indicator_computed raised RuntimeError" in logged[0]


def test_the_timing_wrapper_is_called_around_the_observers_and_sees_their_failures(
    tmp_path, capsys
):
    names = run_example(tmp_path, "timing")
    printed = capsys.readouterr().out.splitlines()
    report = Engine().evaluate(SEED_PLAN, names["dates"])
    off_track = [r for e in report.evaluations for r in e.indicators if r.status == "off_track"]
    assert off_track  # the dashboard fails for each of them, and the others are still sent
    assert names["timer"].failed == {"dashboard": len(off_track)}
    assert names["timer"].spent > 0
    figures = sum(len(e.indicators) for e in report.evaluations)
    assert names["calls"] == {
        "register_kinds": 1,
        "register_source_readers": 1,
        "register_aggregations": 1,
        "register_formats": 1,
        "evaluation_started": 1,
        "indicator_computed": figures,
        "evaluation_finished": 1,
    }
    assert printed[0].startswith("observers took ")
    assert printed[0].endswith(f"ms; failures: {{'dashboard': {len(off_track)}}}")


# -- 3. Extending ---------------------------------------------------------------------------


def test_the_host_format_and_aggregation_are_used(tmp_path, capsys):
    names = run_example(tmp_path, "extending", run_name="extending")
    printed = capsys.readouterr().out.splitlines()

    # The median, worked out here from the indicators' scores of a standard evaluation.
    dates = [dt.date(2012, 12, 31), dt.date(2015, 12, 31)]
    standard = Engine().evaluate(SEED_PLAN, dates)
    for evaluation, line in zip(standard.evaluations, printed[:2], strict=True):
        tasks = {}
        for task in evaluation.tasks:
            scores = [evaluation.indicator(i).score for i in task.indicators]
            tasks[task.id] = statistics.median(s for s in scores if s is not None)
        plan_score = statistics.median(tasks.values())
        assert plan_score != pytest.approx(evaluation.score)  # the median made a difference
        date, score, status, *by_task = line.split()
        assert date == evaluation.as_of.isoformat()
        assert float(score) == pytest.approx(plan_score, abs=0.05)
        assert status in ("achieved", "on_track", "at_risk", "off_track")
        assert by_task == [f"{id}={value:.1f}" for id, value in tasks.items()]
    report = names["report"]
    assert report.plan.scoring.aggregation == "median"
    assert [e.as_of for e in report.evaluations] == dates

    # Each engine has its own plugins.
    assert names["extended"].format("summary").extension == ".txt"
    with pytest.raises(PluginError, match="unknown format 'summary'"):
        names["standard"].format("summary")
    assert printed[2].startswith("standard: plans/vpcp-2011-2015.toml:")
    unknown = "unknown aggregation 'median' (aggregations: geometric_mean, minimum, weighted_mean)"
    assert printed[2].endswith(f"scoring.aggregation: {unknown}")
    assert printed[3].startswith("bare: 7 problems, such as: ")
    assert "is not provided by any plugin" in printed[3]
    assert len(printed) == 4
    host = [p for p in names["extended"].plugins() if p.origin == "host"]
    assert [(p.name, p.hooks) for p in host] == [
        ("extras", ("register_aggregations", "register_formats"))
    ]
    assert not [p for p in names["bare"].plugins() if p.origin != "builtin"]


# -- 4. The web handler ---------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> dict[str, Any]:
    """The web example's globals, without starting its server."""
    return run_example(tmp_path, "web", run_name="web")


def call(
    app: Callable[..., Any], query: str, path: str = "/report"
) -> tuple[str, dict[str, str], bytes]:
    """Call a WSGI application as a server would: (status, headers, body)."""
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query}
    setup_testing_defaults(environ)
    environ["wsgi.errors"] = io.StringIO()
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    assert answer["headers"]["Content-Length"] == str(len(body))
    return answer["status"], answer["headers"], body


def test_the_web_handler_serves_the_json_report(web):
    status, headers, body = call(web["app"], "as_of=2012-12-31&format=json")
    assert status == "200 OK"
    assert headers["Content-Type"] == "application/json"
    data = json.loads(body)
    assert [e["as_of"] for e in data["evaluations"]] == ["2012-12-31"]
    expected = Engine().evaluate(SEED_PLAN, [dt.date(2012, 12, 31)]).to_dict()
    assert data == json.loads(json.dumps(expected))
    documents = data["evaluations"][0]["indicators"][1]
    assert (documents["id"], documents["numerator"], documents["denominator"]) == (
        "e-documents",
        *e_documents_in(2012),
    )


@pytest.mark.parametrize(("query", "lang"), [("&lang=en", "en"), ("&lang=vi", "vi"), ("", "vi")])
def test_the_web_handler_serves_the_html_report(web, query, lang):
    status, headers, body = call(web["app"], f"as_of=2013-06-30&format=html{query}")
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in page


def test_the_web_handler_takes_the_latest_date_of_the_plan_by_default(web):
    status, _, body = call(web["app"], "")
    assert status == "200 OK"
    plan = load_plan(SEED_PLAN)
    as_of = default_as_of(plan, dt.date.today()).isoformat()
    assert [e["as_of"] for e in json.loads(body)["evaluations"]] == [as_of]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("as_of=2012-13-45", "as_of"),
        ("as_of=yesterday&format=html", "as_of"),
        ("as_of=2012-12-31&format=xlsx", "format"),
        ("as_of=2012-12-31&lang=fr", "lang"),
    ],
)
def test_a_bad_query_is_a_400(web, query, named):
    status, headers, body = call(web["app"], query)
    assert status == "400 Bad Request"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode("utf-8").startswith(f"{named}: ")


def test_a_plan_problem_is_a_500_with_its_lines(web, broken_plan):
    status, headers, body = call(web["make_app"](str(broken_plan)), "as_of=2012-12-31&lang=en")
    assert status == "500 Internal Server Error"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = body.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{broken_plan}:")
    assert lines[0].endswith("task 'NV9' does not exist (tasks: NV1, NV2, NV3, NV4)")
    # Without lang=, in Vietnamese, like the reports.
    _, _, body = call(web["make_app"](str(broken_plan)), "as_of=2012-12-31")
    assert (
        body.decode("utf-8")
        .strip()
        .endswith("không có nhiệm vụ 'NV9' (các nhiệm vụ: NV1, NV2, NV3, NV4)")
    )


def test_other_paths_and_methods_are_refused(web):
    assert call(web["app"], "", path="/")[0] == "404 Not Found"
    environ: dict[str, Any] = {"PATH_INFO": "/report", "REQUEST_METHOD": "POST"}
    setup_testing_defaults(environ)
    statuses = []
    web["app"](environ, lambda status, headers: statuses.append(status))
    assert statuses == ["405 Method Not Allowed"]


def test_the_web_handler_runs_under_the_standard_library_server(web):
    with make_server("127.0.0.1", 0, web["app"]) as server:
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}/report?as_of=2014-12-31&format=json"
            with urllib.request.urlopen(url, timeout=30) as response:
                assert response.status == 200
                assert response.headers["Content-Type"] == "application/json"
                data = json.load(response)
        finally:
            server.shutdown()
            thread.join(timeout=30)
    assert not thread.is_alive()
    assert [e["as_of"] for e in data["evaluations"]] == ["2014-12-31"]


def test_the_web_example_starts_its_server_only_as_a_script():
    code = example("web")
    assert 'if __name__ == "__main__":' in code
    assert 'make_server("127.0.0.1", 8000, app)' in code
    assert 'app = make_app("plans/vpcp-2011-2015.toml")' in code


# -- 5. Plans from others -------------------------------------------------------------------


def test_the_untrusted_example_prints_what_the_guide_shows(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    names = run_example(tmp_path, "untrusted", run_name="untrusted")
    printed = capsys.readouterr().out
    shown = GUIDE.read_text("utf-8").split("<!-- example: untrusted -->", 1)[1]
    shown = shown.split("```text\n", 1)[1].split("```", 1)[0]
    assert printed == shown
    # The honest upload gives the seed plan's figures.
    report, problems = names["evaluate_upload"](names["honest"], dt.date(2012, 12, 31))
    assert problems == []
    assert (
        report.to_dict()["evaluations"]
        == (Engine().evaluate(SEED_PLAN, [dt.date(2012, 12, 31)]).to_dict()["evaluations"])
    )
    assert not names["engine"].trusted


def test_the_untrusted_example_would_have_read_the_files_of_the_server_if_trusted(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    names = run_example(tmp_path, "untrusted", run_name="untrusted")
    capsys.readouterr()
    (names["curious"] / "plugins").mkdir()
    problems = Engine().validate(names["curious"] / "plan.toml")
    # Trusted, the same plan reaches /etc/passwd and /etc/hostname: no refusal, only what
    # the kinds make of those files.
    assert not [p for p in problems if p.text.template.startswith("an untrusted plan")]
    assert {p.key for p in problems} == {
        "indicators[0].sources.meetings",
        "indicators[1].sources.documents",
    }
