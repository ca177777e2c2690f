"""The command line, end to end on real files: outputs, exit statuses, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators.cli import cli

DATES = ["--as-of", "2013-12-31", "--as-of", "2011-12-31", "--as-of", "2012-12-31"]


@pytest.fixture(autouse=True)
def _clean_env(cli_env):
    pass


LANG_COMMANDS = {"evaluate", "validate", "explain", "convert"}


def run(*args, env=None):
    """The command, in English unless the test asks for a language."""
    args = [str(a) for a in args]
    if args and args[0] in LANG_COMMANDS and "--lang" not in args:
        args[1:1] = ["--lang", "en"]
    return CliRunner().invoke(cli, args, env=env)


def test_evaluate_json_follows_the_contract(tmp_path):
    result = run("evaluate", SEED_PLAN, *DATES, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"plan", "evaluations", "milestone_dates", "grid", "provenance"}
    assert data["milestone_dates"] == ["2011-12-31", "2012-12-31", "2013-12-31"]
    assert {"id", "title", "decision", "start", "end", "tasks", "indicators"} <= set(data["plan"])
    assert [e["as_of"] for e in data["evaluations"]] == ["2011-12-31", "2012-12-31", "2013-12-31"]
    evaluation = data["evaluations"][1]
    assert set(evaluation) == {"as_of", "score", "status", "tasks", "indicators", "milestones"}
    assert set(evaluation["tasks"][0]) == {
        "id",
        "title",
        "score",
        "status",
        "indicators",
        "milestones",
        "held_back_by",
    }
    documents = next(i for i in evaluation["indicators"] if i["id"] == "e-documents")
    assert {
        "id",
        "task",
        "kind",
        "value",
        "numerator",
        "denominator",
        "expected",
        "target",
        "score",
        "status",
        "window",
        "breakdown",
        "excluded",
        "warnings",
        "error",
        "milestones",
        "trend",
    } <= set(documents)
    assert documents["window"] == {"kind": "year", "start": "2012-01-01", "end": "2012-12-31"}
    assert documents["value"] == documents["numerator"] / documents["denominator"]
    assert documents["expected"] == 0.7 and documents["target"] == 0.7
    assert documents["excluded"]["secret"] > 0
    assert sum(g["denominator"] for g in documents["breakdown"]) == documents["denominator"]


def test_the_same_input_gives_the_same_bytes(tmp_path):
    first = run("evaluate", SEED_PLAN, *DATES, "--format", "json").stdout_bytes
    second = run("evaluate", SEED_PLAN, *reversed(DATES[::-1]), "--format", "json").stdout_bytes
    assert first == second


def test_the_default_date_is_today_but_not_after_the_plan_end():
    data = json.loads(run("evaluate", SEED_PLAN, "--format", "json").stdout)
    assert [e["as_of"] for e in data["evaluations"]] == ["2015-12-31"]


def test_table_output_names_tasks_indicators_and_statuses():
    result = run("evaluate", SEED_PLAN, "--as-of", "2012-12-31")
    assert result.exit_code == 0
    out = result.stdout
    assert "As of 2012-12-31: plan score" in out
    for name in (
        "NV1",
        "NV4",
        "online-meetings",
        "e-documents",
        "digital-signatures",
        "it-training",
        "on track",
        "at risk",
        "secret documents left out",
    ):
        assert name in out


def test_output_file_is_written_whole(tmp_path):
    target = tmp_path / "out.json"
    result = run(
        "evaluate", SEED_PLAN, "--as-of", "2012-12-31", "--format", "json", "--output", target
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["evaluations"][0]["as_of"] == "2012-12-31"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failed_run_leaves_an_existing_output_untouched(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous", "utf-8")
    result = run("evaluate", tmp_path / "missing.toml", "--output", target)
    assert result.exit_code == 2
    assert target.read_text("utf-8") == "previous"


def bad_plan(tmp_path):
    path = tmp_path / "plan.toml"
    write_csv(tmp_path / "m.csv", "meeting_id,held_on,chair,counterpart_kind\n")
    path.write_text(
        plan_text(
            [
                indicator("online_meeting_coverage", {"meetings": "m.csv"}, task="T9"),
                indicator("no_such_kind", {"x": "x.csv"}, id="other"),
            ]
        ),
        "utf-8",
    )
    return path


def test_plan_mistakes_are_one_line_each_exit_2_and_no_traceback(tmp_path):
    result = run("evaluate", bad_plan(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [
        f"{tmp_path}/plan.toml:13:1: indicators[0].task: task 'T9' does not exist (tasks: T1)"
    ]
    assert "Traceback" not in result.stderr


def test_validate_lists_every_problem(tmp_path):
    path = bad_plan(tmp_path)
    text = path.read_text("utf-8").replace('task = "T9"', 'task = "T1"')
    path.write_text(text, "utf-8")
    result = run("validate", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0] == (
        f"{tmp_path}/plan.toml:17:13: indicators[0].sources.meetings: {tmp_path}/m.csv:1: lacks "
        "column 'mode' that kind 'online_meeting_coverage' needs"
    )
    assert lines[1].startswith(
        f"{tmp_path}/plan.toml:22:1: indicators[1].kind: kind "
        "'no_such_kind' is not provided by any plugin"
    )


def test_validate_a_sound_plan():
    result = run("validate", SEED_PLAN)
    assert result.exit_code == 0
    assert "plan 'vpcp-2011-2015' is sound (4 tasks, 7 indicators)" in result.stdout


def boom_plan(tmp_path, body):
    """A plan whose one indicator's kind computes ``body`` (line 3 of plugins/boom.py)."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "boom.py").write_text(
        "from vpcp_indicators import Kind, Source, hookimpl\n"
        "def compute(records, window, params):\n"
        f"    {body}\n"
        "@hookimpl\n"
        "def register_kinds(register):\n"
        "    register(Kind('boom', 'Boom', [Source('x', [])], compute=compute))\n",
        "utf-8",
    )
    write_csv(tmp_path / "x.csv", "a\n1\n")
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([indicator("boom", {"x": "x.csv"})]), "utf-8")
    return path, plugins


def test_an_indicator_in_error_makes_exit_status_1(tmp_path):
    path, plugins = boom_plan(tmp_path, "raise RuntimeError('boom')")
    result = run(
        "evaluate", path, "--plugins-dir", plugins, "--as-of", "2012-01-01", "--format", "json"
    )
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["evaluations"][0]["indicators"]
    assert (found["status"], found["error"]) == ("error", "RuntimeError: boom")


def test_a_plugins_error_with_line_breaks_is_one_warning_line(tmp_path):
    path, plugins = boom_plan(tmp_path, "raise RuntimeError('one\\ntwo\\x1b[2J')")
    result = run(
        "evaluate", path, "--plugins-dir", plugins, "--as-of", "2012-01-01", "--format", "json"
    )
    assert result.exit_code == 1
    assert result.stderr == "warning: ind: plugin failed: RuntimeError: one\\ntwo\\x1b[2J\n"


def test_an_internal_error_is_one_line_whatever_its_text(tmp_path, monkeypatch):
    def broken(self, plan, **options):
        raise RuntimeError("one\ntwo")

    monkeypatch.setattr("vpcp_indicators.engine.Engine.validate", broken)
    result = run("validate", SEED_PLAN)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: internal error: RuntimeError: one\\ntwo (run again with --debug for the "
        "traceback)\n"
    )


def test_fail_under_checks_the_plan_score_at_the_latest_date():
    ok = run("evaluate", SEED_PLAN, "--as-of", "2012-12-31", "--fail-under", "50")
    assert ok.exit_code == 0
    missed = run("evaluate", SEED_PLAN, "--as-of", "2012-12-31", "--fail-under", "99.5")
    assert missed.exit_code == 1
    assert "under 99.5" in missed.stderr


def test_strict_stops_on_the_sample_datas_deliberate_warnings():
    result = run("evaluate", SEED_PLAN, "--as-of", "2013-12-31", "--strict")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "documents.csv:2502: 'issued_on' is not a date" in result.stderr


def test_an_unknown_format_is_a_usage_error():
    result = run("evaluate", SEED_PLAN, "--format", "pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown format 'pdf' "
        "(formats: csv, csv-breakdown, html, json, markdown, table, xlsx)\n"
    )


def test_plugins_lists_each_plugin_with_its_kinds():
    result = run("plugins")
    assert result.exit_code == 0
    assert "e_documents 0.1.0  [entry point, interface 1] (vpcp-indicators)" in result.stdout
    assert "    kind e_document_dispatch: " in result.stdout
    assert (
        "      source documents: doc_id, issued_on (date), issuer, classification, channel"
        in result.stdout
    )
    assert '      param issuers (texts): default ["government", "prime_minister"]' in result.stdout
    assert "      source staff: staff_id, unit, unit_kind, joined_on (date), left_on (date)?," in (
        result.stdout
    )
    assert "      source reports (optional): indicator, reported_on (date), value (number)," in (
        result.stdout
    )
    assert "      param task (text): default: the task's id - " in result.stdout
    data = json.loads(run("plugins", "--format", "json").stdout)
    found = {p["name"]: p for p in data}
    (kind,) = found["training"]["kinds"]
    assert kind["name"] == "training_completion"
    assert [s["name"] for s in kind["sources"]] == ["staff", "trainings"]
    assert {p["name"]: p["default"] for p in kind["params"]} == {"unit_kinds": [], "courses": []}
    (kind,) = found["reported_value"]["kinds"]
    (indicator_param, values_param) = kind["params"]
    assert (indicator_param["default_from"], indicator_param["required"]) == ("indicator", False)
    assert [f["name"] for f in values_param["fields"]] == [
        "reported_on",
        "value",
        "unit",
        "reporter",
    ]
    assert kind["sources"][0]["required"] is False
    assert found["e_documents"]["interface"] == 1
    assert found["vpcp_indicators.sources.csv"]["origin"] == "builtin"


def test_the_plugin_set_can_be_pinned_by_environment():
    data = json.loads(
        run("plugins", "--format", "json", env={"VPCP_INDICATORS_LOAD_PLUGINS": "training"}).stdout
    )
    assert [p["name"] for p in data if p["origin"] == "entry point"] == ["training"]


def test_debug_shows_the_traceback_and_which_plugin_computed_what(tmp_path):
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "vpcp_indicators",
            "evaluate",
            str(SEED_PLAN),
            "--as-of",
            "2012-12-31",
            "--debug",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert process.returncode == 0
    assert (
        "debug: indicator e-documents: kind e_document_dispatch from plugin e_documents"
        in process.stderr
    )
    broken = subprocess.run(
        [sys.executable, "-m", "vpcp_indicators", "evaluate", str(tmp_path / "no.toml"), "--debug"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 2
    assert "Traceback" in broken.stderr


def test_python_dash_m_and_version():
    process = subprocess.run(
        [sys.executable, "-m", "vpcp_indicators", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert process.stdout.startswith("vpcp-indicators, version ")


def test_a_reader_that_fails_is_named_in_one_line(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "flaky.py").write_text(
        "from vpcp_indicators import hookimpl\n"
        "class Flaky:\n"
        "    name = 'flaky'\n"
        "    extensions = ('.flaky',)\n"
        "    def columns(self, path):\n"
        "        return ['meeting_id', 'held_on', 'chair', 'counterpart_kind', 'mode']\n"
        "    def rows(self, path, columns):\n"
        "        yield 2, ('m', '2012-01-01', 'prime_minister', 'ministry', 'online')\n"
        "        raise ConnectionError('the disk went away')\n"
        "@hookimpl\n"
        "def register_source_readers(register):\n"
        "    register(Flaky())\n",
        "utf-8",
    )
    (tmp_path / "m.flaky").write_text("", "utf-8")
    path = tmp_path / "plan.toml"
    plan = plan_text(
        [indicator("online_meeting_coverage", {"meetings": "m.flaky"})],
        plan={"plugins_dir": "plugins"},
    )
    path.write_text(plan, "utf-8")
    result = run("evaluate", path, "--as-of", "2012-12-31")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path}/m.flaky: reader 'flaky' failed: ConnectionError: the disk went away\n"
    )


def test_an_output_that_cannot_be_written_is_one_line(tmp_path):
    result = run(
        "evaluate",
        SEED_PLAN,
        "--as-of",
        "2012-12-31",
        "--output",
        tmp_path / "no" / "such" / "dir.txt",
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: Invalid value for --output: no directory '{tmp_path}/no/such'\n"
    )


def test_an_output_keeps_the_permissions_a_file_written_in_place_would_have(tmp_path):
    existing = tmp_path / "existing.txt"
    existing.write_text("old", "utf-8")
    existing.chmod(0o644)
    assert run("evaluate", SEED_PLAN, "--as-of", "2012-12-31", "-o", existing).exit_code == 0
    assert existing.stat().st_mode & 0o777 == 0o644
    fresh = tmp_path / "fresh.txt"
    umask = os.umask(0o022)
    try:
        assert run("evaluate", SEED_PLAN, "--as-of", "2012-12-31", "-o", fresh).exit_code == 0
    finally:
        os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_data_warnings_reach_the_terminal_when_the_output_goes_elsewhere(tmp_path):
    result = run(
        "evaluate",
        SEED_PLAN,
        "--as-of",
        "2012-12-31",
        "-o",
        tmp_path / "r.json",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: e-documents: data/documents.csv: 1 row skipped: 'issued_on' is not a date "
        "written YYYY-MM-DD (row 2502)",
        "warning: it-training: data/trainings.jsonl: 1 row ignored: 'staff_id' matches no "
        "record of 'staff' (row 146)",
    ]
    # On the terminal table they are part of the output, and not repeated.
    assert run("evaluate", SEED_PLAN, "--as-of", "2012-12-31").stderr == ""
    # At several dates, each is told once: it is about the file, the same at every date.
    several = run("evaluate", SEED_PLAN, *DATES, "-o", tmp_path / "r.json", "--format", "json")
    assert several.stderr.splitlines() == result.stderr.splitlines()


def test_the_json_does_not_depend_on_how_the_plan_path_is_written(monkeypatch):
    first = run("evaluate", SEED_PLAN, "--as-of", "2012-12-31", "--format", "json").stdout
    monkeypatch.chdir(ROOT / "plans")
    second = run(
        "evaluate", "vpcp-2011-2015.toml", "--as-of", "2012-12-31", "--format", "json"
    ).stdout
    assert first == second


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--as-of", "31/12/2012"],
            "error: Invalid value for '--as-of': '31/12/2012' is not a date written YYYY-MM-DD",
        ),
        (
            ["--as-of", "2013-02-29"],
            "error: Invalid value for '--as-of': '2013-02-29' is not a date written YYYY-MM-DD",
        ),
        (
            ["--fail-under", "150"],
            "error: Invalid value for '--fail-under': 150.0 is not in the range 0<=x<=100.",
        ),
        (
            ["--fail-under", "nan"],
            "error: Invalid value for '--fail-under': 'nan' is not a number from 0 to 100",
        ),
        (
            ["--fail-under", "-NaN"],
            "error: Invalid value for '--fail-under': '-NaN' is not a number from 0 to 100",
        ),
        (
            ["--fail-under", "inf"],
            "error: Invalid value for '--fail-under': inf is not in the range 0<=x<=100.",
        ),
        (
            ["--memory-limit", "lots"],
            "error: Invalid value for '--memory-limit': 'lots' is not a size like 512MB or 2GB, "
            "nor 'none'",
        ),
        (
            ["--engine", "spark"],
            "error: Invalid value for '--engine': 'spark' is not one of 'auto', 'python', "
            "'duckdb'.",
        ),
        (
            ["--plugins-dir", "/no/such/dir"],
            "error: Invalid value for '--plugins-dir': Directory '/no/such/dir' does not exist.",
        ),
    ],
)
def test_usage_errors_are_one_line_with_status_2(args, message):
    result = run("evaluate", SEED_PLAN, *args)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"


def test_a_date_outside_the_plan_is_evaluated_with_a_warning():
    result = run("evaluate", SEED_PLAN, "--as-of", "2010-06-30", "--as-of", "2012-12-31")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 2010-06-30 is outside the plan period (2011-01-01 to 2015-12-31)\n"
    )
    # In Vietnamese, dates are written as Vietnamese writes them, in warnings too.
    result = run("evaluate", SEED_PLAN, "--as-of", "2010-06-30", "--format", "json", "--lang", "vi")
    assert result.stderr.splitlines()[0] == (
        "cảnh báo: 30/06/2010 nằm ngoài giai đoạn kế hoạch (01/01/2011 đến 31/12/2015)"
    )


def test_debug_shows_a_failing_plugins_traceback(tmp_path):
    path, plugins = boom_plan(tmp_path, "return 1 / 0")
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "vpcp_indicators",
            "evaluate",
            str(path),
            "--plugins-dir",
            str(plugins),
            "--as-of",
            "2012-01-01",
            "--debug",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 1
    assert "Traceback (most recent call last)" in process.stderr
    assert 'boom.py", line 3, in compute' in process.stderr


def test_validate_counts_in_words():
    path = ROOT / "tests" / "plans" / "one.toml"
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("is sound (1 task, 1 indicator)\n")


def test_validate_and_explain_show_a_plans_ids_on_one_line(tmp_path):
    shutil.copytree(ROOT / "plans", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "vpcp-2011-2015.toml"
    text = path.read_text("utf-8").replace('id = "vpcp-2011-2015"', 'id = "vpcp\\n\\u001b[2J"')
    path.write_text(text, "utf-8")
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: plan 'vpcp\\n\\x1b[2J' is sound (4 tasks, 7 indicators)\n"
    result = run("explain", path, "no\nsuch", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no indicator 'no\\nsuch' in the plan (indicators: ")
    assert result.stderr.count("\n") == 1


def test_a_plugin_that_fails_to_load_is_mentioned_even_if_no_kind_of_it_is_needed(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken.py").write_text("raise RuntimeError('not today')\n", "utf-8")
    result = run("evaluate", SEED_PLAN, "--as-of", "2012-12-31", "--plugins-dir", plugins)
    assert result.exit_code == 0
    assert result.stderr == ("warning: plugin 'broken' failed to load: RuntimeError: not today\n")


def test_convert_makes_a_parquet_source_that_gives_the_same_figures(tmp_path):
    target = tmp_path / "documents.parquet"
    result = run("convert", ROOT / "plans" / "data" / "documents.csv", target)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{target}: 7,700 records\n"
    plan = tmp_path / "plan.toml"
    text = (ROOT / "tests" / "plans" / "one.toml").read_text("utf-8")
    plan.write_text(text.replace("../../plans/data/documents.csv", "documents.parquet"), "utf-8")
    dates = ["--as-of", "2012-12-31", "--as-of", "2014-06-30", "--format", "json"]
    from_csv = json.loads(run("evaluate", ROOT / "tests" / "plans" / "one.toml", *dates).stdout)
    for engine in ("python", "duckdb"):
        from_parquet = json.loads(run("evaluate", plan, *dates, "--engine", engine).stdout)
        for a, b in zip(from_csv["evaluations"], from_parquet["evaluations"], strict=True):
            (x,), (y,) = a["indicators"], b["indicators"]
            for key in ("value", "numerator", "denominator", "breakdown", "excluded"):
                assert x[key] == y[key]
            # Row 2502 of the CSV is row 2502 of the Parquet file.
            assert [w["rows"] for w in x["warnings"]] == [w["rows"] for w in y["warnings"]]


def test_convert_refuses_a_csv_with_rows_it_cannot_read(tmp_path):
    source = write_csv(tmp_path / "a.csv", "a,b\n1,2\n3\n4,5,6\n")
    result = run("convert", source, tmp_path / "a.parquet")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{source}: 2 rows cannot be read (rows 3, 4); mend them, or evaluate the CSV "
        "itself to see why\n"
    )
    assert not (tmp_path / "a.parquet").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_the_engines_agree_on_the_seed_plan():
    dates = ["--as-of", "2011-12-31", "--as-of", "2013-06-30", "--as-of", "2015-12-31"]
    outputs = [
        run("evaluate", SEED_PLAN, *dates, "--format", "json", "--engine", engine).stdout
        for engine in ("python", "duckdb", "auto")
    ]
    reports = [json.loads(output) for output in outputs]
    made = [report.pop("provenance") for report in reports]
    assert reports[0] == reports[1] == reports[2]
    # What they were made from is the same but for the engine that counted.
    assert [m["engine"]["name"] for m in made] == ["python", "duckdb", "duckdb"]
    assert made[0]["sources"] == made[1]["sources"] == made[2]["sources"]


def test_convert_keeps_values_as_the_contract_reads_them_and_refuses_a_trailing_comma(tmp_path):
    # A space before a quote is part of the value; DuckDB's own reader would drop it.
    source = write_csv(tmp_path / "a.csv", 'a,b\n1, "x"\n2,\n')
    target = tmp_path / "a.parquet"
    assert run("convert", source, target).exit_code == 0
    import duckdb

    rows = duckdb.connect().execute("SELECT * FROM read_parquet($p)", {"p": str(target)}).fetchall()
    # No value is NULL in Parquet, as other tools expect.
    assert rows == [("1", ' "x"'), ("2", None)]
    trailing = write_csv(tmp_path / "t.csv", "a,b\n1,2\n3,4,\n")
    result = run("convert", trailing, tmp_path / "t.parquet")
    assert result.exit_code == 2
    assert "1 rows cannot be read (rows 3)" in result.stderr


def test_convert_writes_through_a_link_and_never_over_its_source(tmp_path):
    source = write_csv(tmp_path / "a.csv", "a,b\n1,2\n")
    real = tmp_path / "real.parquet"
    real.write_bytes(b"stale")
    link = tmp_path / "link.parquet"
    link.symlink_to(real.name)
    assert run("convert", source, link).exit_code == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"PAR1")
    onto = tmp_path / "x.parquet"
    onto.symlink_to(source.name)
    result = run("convert", source, onto)
    assert result.exit_code == 2
    assert result.stderr.endswith("it is the file converted\n")
    assert source.read_text("utf-8") == "a,b\n1,2\n"
