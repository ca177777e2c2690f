"""Where every figure came from: each source's size, time and SHA-256, the plan's SHA-256,
the versions and the options in every report; and ``verify``, which recomputes a report
and says which figures and which sources changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import SEED_PLAN

from vpcp_indicators import Engine, load_plan, report_from_dict
from vpcp_indicators.cli import cli

DATES = [dt.date(2012, 12, 31), dt.date(2013, 6, 30)]


@pytest.fixture
def seed(tmp_path):
    """The seed plan and its data, copied where the test may change them."""
    shutil.copytree(SEED_PLAN.parent, tmp_path / "plans")
    return tmp_path / "plans" / SEED_PLAN.name


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("backend", ["duckdb", "python"])
@pytest.mark.parametrize("cached", [False, True])
def test_every_source_has_its_size_time_and_sha256(seed, tmp_path, backend, cached):
    engine = Engine(cache=tmp_path / "cache" if cached else None)
    if cached:  # the second evaluation reads no file: the hashes come from the cache
        engine.evaluate(seed, DATES, backend=backend)
    found = engine.evaluate(seed, DATES, backend=backend).provenance
    data = seed.parent / "data"
    assert [s.source for s in found.sources] == [
        "data/documents.csv",
        "data/meetings.csv",
        "data/projects.csv",
        "data/reports.csv",
        "data/staff.csv",
        "data/trainings.jsonl",
    ]
    for source in found.sources:
        path = seed.parent / source.source
        stat = path.stat()
        assert (source.size, source.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
        assert source.sha256 == sha256(path)
    assert found.plan_sha256 == sha256(seed)
    assert found.plan_path == str(seed.resolve())
    assert found.options == {
        "as_of": ["2012-12-31", "2013-06-30"],
        "grid": None,
        "engine": backend,
    }
    if backend == "duckdb":
        import duckdb

        assert (found.engine, found.engine_version) == ("duckdb", duckdb.__version__)
    kinds = {kind for plugin in found.plugins for kind in plugin.kinds}
    assert kinds == {i.kind for i in load_plan(seed).indicators}  # each kind of the plan
    assert all(plugin.version == "0.1.0" for plugin in found.plugins)
    assert (data / "documents.csv").exists()


def test_the_json_carries_it_and_reads_it_back(seed):
    engine = Engine(cache=None)
    report = engine.evaluate(seed, DATES)
    data = json.loads(str(engine.render(report, "json")))
    documents = data["provenance"]["sources"][0]
    assert documents["source"] == "data/documents.csv"
    assert documents["modified"].endswith("Z")
    assert report_from_dict(data).provenance == report.provenance


def written(engine, plan, tmp_path):
    report = tmp_path / "report.json"
    report.write_text(str(engine.render(engine.evaluate(plan, DATES), "json")), "utf-8")
    return report


def test_verify_says_every_figure_is_the_same(seed, tmp_path, cli_env):
    report = written(Engine(cache=None), seed, tmp_path)
    done = CliRunner().invoke(cli, ["verify", str(report), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{report}: every figure is the same (2 dates, 7 indicators)\n"


def test_verify_names_the_figures_and_the_source_that_changed(seed, tmp_path, cli_env):
    report = written(Engine(cache=None), seed, tmp_path)
    documents = seed.parent / "data" / "documents.csv"
    before = sha256(documents)
    # One document of 2012 sent on paper now says it went electronically.
    lines = documents.read_text("utf-8").splitlines(keepends=True)
    at = next(
        n
        for n, line in enumerate(lines)
        if ",2012-" in line and line.rstrip().endswith(",normal,paper")
    )
    lines[at] = lines[at].replace(",normal,paper", ",normal,electronic")
    documents.write_text("".join(lines), "utf-8")
    done = CliRunner().invoke(cli, ["verify", str(report), "--lang", "en"])
    assert done.exit_code == 1
    out = done.stdout.splitlines()
    assert out[0].startswith(f"{report}: ") and out[0].endswith(" figures differ")
    assert "  2012-12-31 e-documents: numerator" in "\n".join(out)
    assert "Changed since the report:" in out
    assert f"  data/documents.csv: sha256 {before[:12]}… → {sha256(documents)[:12]}…" in out
    assert not any("meetings" in line for line in out)


def test_verify_of_what_is_not_a_report_is_one_line(tmp_path, cli_env):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    done = CliRunner().invoke(cli, ["verify", str(bad), "--lang", "en"])
    assert done.exit_code == 2
    assert len(done.stderr.splitlines()) == 1
    assert "bad.json" in done.stderr and "not a report's JSON" in done.stderr


def test_a_report_that_does_not_change_keeps_its_bytes(seed):
    engine = Engine(cache=None)
    first = engine.render(engine.evaluate(seed, DATES), "json")
    os.utime(seed.parent / "data" / "staff.csv")  # touched, not changed: its time is told
    second = engine.render(engine.evaluate(seed, DATES), "json")
    assert json.loads(str(first))["evaluations"] == json.loads(str(second))["evaluations"]


def test_a_file_is_hashed_in_the_pass_that_reads_it_and_a_cached_one_not_read(
    seed, tmp_path, monkeypatch
):
    import vpcp_indicators.provenance as provenance

    passes = []
    real = provenance.sha256_of

    def counted(path):
        passes.append(path.name)
        return real(path)

    monkeypatch.setattr(provenance, "sha256_of", counted)
    engine = Engine(cache=tmp_path / "cache")
    engine.evaluate(seed, DATES)
    # DuckDB reads the counted CSV files, whose byte checks hash them. The JSON Lines file
    # is fed, the files of kinds that compute in Python are read by Python: each of those
    # is hashed in a pass of its own, as is the plan.
    python = ["projects.csv", "reports.csv"]
    assert sorted(passes) == [*python, "trainings.jsonl", "vpcp-2011-2015.toml"]
    passes.clear()
    engine.evaluate(seed, DATES)
    # The counted files' hashes come from the cache, which serves their tallies.
    assert sorted(passes) == [*python, "vpcp-2011-2015.toml"]
