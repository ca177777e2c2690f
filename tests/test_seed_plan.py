"""The seed plan and its sample data, as the README's run command evaluates them."""

from __future__ import annotations

import runpy
import subprocess
import sys

from conftest import ROOT, d, indicator, plan_text, write_csv

from vpcp_indicators import Engine


def test_the_shipped_sample_data_is_what_the_script_makes(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample_data.py"), str(tmp_path)], check=True
    )
    shipped = ROOT / "plans" / "data"
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in shipped.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name


def test_statuses_differ_across_the_years(seed_report):
    statuses = {r.status for e in seed_report.evaluations for r in e.indicators}
    assert {"achieved", "on_track", "at_risk", "off_track"} <= statuses
    tasks = {t.status for e in seed_report.evaluations for t in e.tasks}
    assert "no_data" in tasks  # NV3 has no indicator of its own yet


def test_every_seed_kind_produces_a_figure_with_its_breakdown(seed_report):
    latest = seed_report.latest
    for result in latest.indicators:
        assert result.value is not None, result.id
        assert sum(g.denominator for g in result.breakdown) == result.denominator
        assert sum(g.numerator for g in result.breakdown) == result.numerator


def readme_example(marker: str) -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return readme.split(f"<!-- test: {marker} -->\n```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_embedding_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    script = tmp_path / "embedding.py"
    script.write_text(readme_example("embedding"), "utf-8")
    runpy.run_path(str(script))


def test_the_readme_plugin_example_works_from_a_plugins_dir(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "online_services.py").write_text(readme_example("plugin"), "utf-8")
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
