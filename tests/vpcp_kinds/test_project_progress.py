"""project_progress: the share of a task's projects completed on schedule."""

from __future__ import annotations

import pytest

from vpcp_indicators import PlanError
from vpcp_indicators.testing import assert_figures, indicator


def project(pid: str, task: str, lead: str, planned: str, done: str = "", pct: str = "") -> dict:
    return {
        "project_id": pid,
        "task": task,
        "lead": lead,
        "planned_end": planned,
        "completed_on": done,
        "percent_done": pct,
    }


PROJECTS = [
    project("P1", "T1", "A", "2012-06-30", "2012-06-30"),  # on the planned day: on time
    project("P2", "T1", "A", "2012-06-30", "2012-07-01", "100"),  # a day late
    project("P3", "T1", "B", "2013-12-31", "2013-03-01"),  # early
    project("P4", "T1", "B", "2014-12-31", "", "60"),  # not done
    project("P5", "T2", "A", "2012-01-31", "2012-01-02"),  # another task's
]


def test_projects_done_on_schedule_by_the_date_count(run_kind):
    results = run_kind("project_progress", {"projects": PROJECTS}, ["2012-06-29", "2013-12-31"])
    # Denominator: T1's four projects whatever the date. Numerator on 2012-06-29: none yet;
    # on 2013-12-31: P1 and P3 (P2 was late, P4 is not done).
    assert_figures(results[0], numerator=0, denominator=4, value=0.0)
    assert_figures(
        results[1], numerator=2, denominator=4, value=0.5, breakdown={"A": (1, 2), "B": (1, 2)}
    )


def test_the_task_defaults_to_the_indicators_own(run_kind):
    (result,) = run_kind("project_progress", {"projects": PROJECTS}, ["2013-12-31"], task="T1")
    assert (result.numerator, result.denominator) == (2, 4)
    (other,) = run_kind(
        "project_progress", {"projects": PROJECTS}, ["2013-12-31"], params={"task": "T2"}
    )
    assert (other.numerator, other.denominator) == (1, 1)


def test_grace_days_forgive_a_short_delay(run_kind):
    (result,) = run_kind(
        "project_progress", {"projects": PROJECTS}, ["2013-12-31"], params={"grace_days": 1}
    )
    assert (result.numerator, result.denominator) == (3, 4)


@pytest.mark.parametrize("days", [-3, 3651, 10**9])
def test_grace_out_of_range_is_a_plan_mistake(evaluate_plan, days):
    wrong = indicator("project_progress", {"projects": "p.csv"}, params={"grace_days": days})
    with pytest.raises(PlanError) as raised:
        evaluate_plan([wrong], {"p.csv": PROJECTS})
    assert "grace_days must be from 0 to 3650" in str(raised.value)


def test_a_project_without_a_planned_end_is_a_data_warning(run_kind):
    rows = [*PROJECTS, project("P6", "T1", "C", "", "2012-01-01")]
    (result,) = run_kind("project_progress", {"projects": rows}, ["2013-12-31"])
    assert (result.numerator, result.denominator) == (2, 4)
    assert [(w.problem, w.column, w.rows) for w in result.warnings] == [
        ("missing_value", "planned_end", (7,))
    ]
