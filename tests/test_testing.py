"""vpcp_indicators.testing: the helpers and fixtures plugin authors test their kinds with."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pytest

from vpcp_indicators.testing import assert_figures

MEETINGS = [
    {"meeting_id": "M1", "held_on": "2012-02-01", "chair": "prime_minister",
     "counterpart_kind": "ministry", "mode": "online"},
    {"meeting_id": "M2", "held_on": "2012-03-01", "chair": "prime_minister",
     "counterpart_kind": "province", "mode": "in_person"},
    {"meeting_id": "M3", "held_on": "2012-04-01", "chair": "prime_minister",
     "counterpart_kind": "province", "mode": "hybrid"},
]  # fmt: skip


def test_assert_figures_passes_on_the_figures_and_names_each_that_differs(run_kind):
    (result,) = run_kind("online_meeting_coverage", {"meetings": MEETINGS}, ["2012-12-31"])
    assert_figures(
        result,
        numerator=2,
        denominator=3,
        value=2 / 3,
        breakdown={"ministry": (1, 1), "province": (1, 2)},
        excluded={},
        warnings=0,
        error=None,
    )
    with pytest.raises(AssertionError) as raised:
        assert_figures(result, numerator=3, denominator=3, value=0.5)
    assert str(raised.value) == (
        "indicator 'ind': numerator: expected 3, found 2; value: expected 0.5, "
        "found 0.6666666666666666"
    )
    with pytest.raises(TypeError, match="no figure colour"):
        assert_figures(result, colour="red")


def test_evaluate_plan_writes_a_plan_and_its_files_and_evaluates_it(evaluate_plan):
    from vpcp_indicators.testing import indicator

    item = indicator("online_meeting_coverage", {"meetings": "data/m.csv"}, window="cumulative")
    report = evaluate_plan([item], {"data/m.csv": MEETINGS}, ["2011-12-31", "2012-12-31"])
    assert [e.indicator("ind").denominator for e in report.evaluations] == [0, 3]
    assert (
        (evaluate_plan.directory / "data" / "m.csv")
        .read_text("utf-8")
        .startswith("meeting_id,held_on,")
    )


def test_the_fixtures_reach_any_project_through_the_pytest_entry_point(tmp_path):
    # A plugin's own test suite: no conftest, no import of the fixtures.
    (tmp_path / "test_kind.py").write_text(
        textwrap.dedent(
            """
            from vpcp_indicators.testing import assert_figures

            def test_it(run_kind):
                rows = [{"meeting_id": "M1", "held_on": "2012-02-01", "chair": "prime_minister",
                         "counterpart_kind": "ministry", "mode": "online"}]
                (result,) = run_kind("online_meeting_coverage", {"meetings": rows}, ["2012-12-31"])
                assert_figures(result, numerator=1, denominator=1)
            """
        ),
        "utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_the_helpers_refuse_or_mend_what_is_easy_to_get_wrong(run_kind):
    from vpcp_indicators.testing import toml_value

    with pytest.raises(TypeError, match="give a list of dates"):
        run_kind("online_meeting_coverage", {"meetings": MEETINGS}, "2012-12-31")
    # Dates come back in date order, whatever order they were given in.
    later, earlier = run_kind(
        "online_meeting_coverage", {"meetings": MEETINGS}, ["2012-03-15", "2012-12-31"]
    )
    assert (later.denominator, earlier.denominator) == (2, 3)
    # plugins=[] means no plugin at all, not every installed one.
    from vpcp_indicators import PlanError

    with pytest.raises(PlanError, match="is not provided by any plugin"):
        run_kind("online_meeting_coverage", {"meetings": MEETINGS}, ["2012-12-31"], plugins=[])
    assert toml_value({"a b": 1, "c": [1, 2]}) == '{ "a b" = 1, c = [1, 2] }'
    (result,) = run_kind("online_meeting_coverage", {"meetings": MEETINGS}, ["2012-12-31"])
    assert_figures(result, breakdown={"ministry": [1, 1], "province": [1, 2]})


def test_loading_the_fixtures_imports_no_engine():
    # pytest loads vpcp_indicators.testing in every session of every project where the
    # package is installed: it must cost nothing until a fixture is used.
    import subprocess
    import sys

    code = (
        "import sys, vpcp_indicators.testing\n"
        "loaded = [m for m in sys.modules if m.startswith('vpcp_indicators.')]\n"
        "print(' '.join(sorted(loaded)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    # Its own two modules, which need neither the engine nor the plan reader.
    assert loaded == ["vpcp_indicators.testing", "vpcp_indicators.testing.files"]


def test_dates_are_iso_text_or_dates_wherever_the_helpers_ask_for_one(run_kind):
    rows = [{"meeting_id": "M1", "held_on": "2013-03-01", "chair": "prime_minister",
             "counterpart_kind": "ministry", "mode": "online"}]  # fmt: skip
    # A plan of 2013 only, with targets and a baseline written as text, as the dates are.
    results = run_kind(
        "online_meeting_coverage",
        {"meetings": rows},
        ["2013-06-30", dt.date(2013, 12, 31)],
        plan={"start": "2013-01-01", "end": "2013-12-31"},
        targets=[{"by": "2013-12-31", "value": 1.0}],
        baseline={"on": "2013-01-01", "value": 0.0},
    )
    # 30 June is 180 days after 1 January 2013, of the 364 to 31 December: 180/364 expected.
    assert [r.value for r in results] == [1.0, 1.0]
    assert results[0].expected == 180 / 364
    assert results[1].window.start == dt.date(2013, 1, 1)


def test_the_fixtures_leave_nothing_in_the_developers_cache_folder(run_kind, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (result,) = run_kind("online_meeting_coverage", {"meetings": MEETINGS}, ["2012-12-31"])
    assert (result.numerator, result.denominator) == (2, 3)
    assert not (tmp_path / "xdg").exists()
