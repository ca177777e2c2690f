"""The seed plan and its sample data, as the README's run command evaluates them."""

from __future__ import annotations

import runpy
import subprocess
import sys

from conftest import ROOT


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


def test_every_task_has_an_indicator_and_a_score_every_year(seed_report):
    for evaluation in seed_report.evaluations:
        assert [t.id for t in evaluation.tasks] == ["NV1", "NV2", "NV3", "NV4"]
        for task in evaluation.tasks:
            assert task.indicators, task.id
            assert task.score is not None, (evaluation.as_of, task.id)


def test_every_seed_kind_produces_a_figure_with_its_breakdown(seed_report):
    latest = seed_report.latest
    kinds = {r.kind for r in latest.indicators}
    assert kinds == {
        "online_meeting_coverage",
        "e_document_dispatch",
        "digital_signature_issuance",
        "training_completion",
        "project_progress",
        "reported_value",
    }
    for result in latest.indicators:
        assert result.value is not None, result.id
        if result.kind == "reported_value":
            continue  # a value alone: nothing to break down
        assert sum(g.denominator for g in result.breakdown) == result.denominator
        assert sum(g.numerator for g in result.breakdown) == result.numerator


def test_the_projects_of_nv1_and_nv2_as_the_sample_data_has_them(seed_report):
    by_year = {e.as_of.year: e for e in seed_report.evaluations}
    # By the end of 2013: NV1-DA1, DA2 and DA4 done on time, DA3 done late; of NV2, DA1,
    # DA2 and DA4 on time (DA3 is finished in 2014, after its planned end).
    nv1 = by_year[2013].indicator("nv1-projects")
    nv2 = by_year[2013].indicator("nv2-projects")
    assert (nv1.numerator, nv1.denominator) == (3, 6)
    assert (nv2.numerator, nv2.denominator) == (3, 8)
    # NV2's projects by lead unit at the end of 2015: Vụ Hành chính's one is not done.
    groups = {
        g.key: (g.numerator, g.denominator)
        for g in by_year[2015].indicator("nv2-projects").breakdown
    }
    assert groups == {
        "Cổng TTĐT Chính phủ": (2, 3),
        "Trung tâm Tin học": (2, 3),
        "Vụ Hành chính": (0, 1),
        "Vụ Tổng hợp": (1, 1),
    }
    # NV3 takes the December report of each year.
    assert [by_year[y].indicator("internal-it").value for y in range(2011, 2016)] == [
        0.25, 0.5, 0.5, 0.75, 1.0,
    ]  # fmt: skip


def readme_example(marker: str) -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return readme.split(f"<!-- test: {marker} -->\n```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_embedding_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    script = tmp_path / "embedding.py"
    script.write_text(readme_example("embedding"), "utf-8")
    runpy.run_path(str(script))


def test_the_seed_plan_rolls_its_staff_up_the_offices_tree(seed_report):
    latest = seed_report.to_dict()["evaluations"][1]  # 2012-12-31
    training = next(i for i in latest["indicators"] if i["id"] == "it-training")
    [office] = training["units"]["tree"]
    groups = {g["group"]: g for g in training["breakdown"]}
    # The Office's figures are the sums of its departments' groups, and the indicator's.
    assert (
        (office["numerator"], office["denominator"])
        == (
            sum(g["numerator"] for g in groups.values()),
            sum(g["denominator"] for g in groups.values()),
        )
        == (training["numerator"], training["denominator"])
    )
    advisory = office["children"][0]
    assert advisory["numerator"] == sum(
        groups[c["unit"]]["numerator"] for c in advisory["children"]
    )
    assert training["units"]["not_in_tree"] is None
    tasks = {t["id"]: t for t in latest["tasks"]}
    assert tasks["NV4"]["held_back_by"]["indicator"] == "it-training"
    assert tasks["NV3"]["held_back_by"] is None  # its only indicator scores 100
