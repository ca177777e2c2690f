"""Counts that look into another source (``HasRelated``), in every form the engine compiles:
reduced to each key's earliest date ("on or before the date", alone or with static
conditions), or evaluated per date (a window, a date after), with and without covering
values. The seed's training kind has only the first; a kind of this test has them all.

The reference (the Python backend) gives the figures; DuckDB over files and SQLite, holding
both sources in one database and counting there, must give the same report.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import indicator, plan_text, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_differential import DATES, rows_of, write

from vpcp_indicators import (
    After,
    AllOf,
    AnyOf,
    Column,
    Count,
    Engine,
    HasRelated,
    In,
    InWindow,
    Kind,
    Not,
    OnOrBefore,
    Param,
    Source,
    VpcpError,
    hookimpl,
)

PEOPLE = Source("people", [Column("person_id"), Column("unit", required=False)])
EVENTS = Source(
    "events",
    [
        Column("person_id"),
        Column("course", required=False),
        Column("status", required=False),
        Column("held_on", type="date"),
    ],
)

#: Each form's test of an event row.
FORMS = {
    "on_or_before": OnOrBefore("held_on"),
    "passed_by": AllOf((OnOrBefore("held_on"), In("status", ["passed"]))),
    "in_window": InWindow("held_on"),
    "after": AnyOf((After("held_on"), Not(In("status", ["passed"])))),
    "passed_in_window": AllOf((InWindow("held_on"), In("status", ["passed"]))),
}


class Probe:
    """The kind ``related_probe``: people with events of a form (and courses, if given)."""

    @hookimpl
    def register_kinds(self, register):
        def count(params):
            where = FORMS[params["form"]]
            courses = params["courses"]
            return Count(
                "people",
                population=Not(In("unit", ["gone"])),
                numerator=HasRelated(
                    "events",
                    key="person_id",
                    where=where,
                    covering=("course", courses) if courses else None,
                ),
                group_by="unit",
            )

        register(
            Kind(
                "related_probe",
                "People with events",
                [PEOPLE, EVENTS],
                count=count,
                params=[Param("form", "text"), Param("courses", "texts", default=[])],
                windows=("point", "year", "month"),
                default_window="year",
            )
        )


ENGINE = Engine(plugins=[Probe()])
SETTINGS = settings(
    max_examples=int(os.environ.get("VPCP_DIFFERENTIAL_EXAMPLES", "500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PEOPLE_ROWS = {
    "person_id": st.sampled_from(["P1", "P2", "P3", ""]),
    "unit": st.sampled_from(["A", "B", "gone", ""]),
}
EVENT_ROWS = {
    "person_id": st.sampled_from(["P1", "P2", "P3", "P9", ""]),
    "course": st.sampled_from(["x", "y", ""]),
    "status": st.sampled_from(["passed", "failed", ""]),
    "held_on": DATES,
}


def evaluated(plan: Path, dates: list[dt.date], backend: str):
    try:
        return ENGINE.evaluate(plan, dates, backend=backend).figures()
    except VpcpError as error:
        return error.lines()


@SETTINGS
@given(
    people=rows_of(PEOPLE_ROWS),
    events=rows_of(EVENT_ROWS),
    data=st.data(),
    form=st.sampled_from(sorted(FORMS)),
    courses=st.sampled_from([[], ["x"], ["x", "y"]]),
    window=st.sampled_from(["point", "year", "month"]),
    dates=st.lists(
        st.dates(dt.date(2011, 6, 1), dt.date(2013, 6, 30)), min_size=1, max_size=3, unique=True
    ),
    format=st.sampled_from(["csv", "sqlite"]),
)
def test_every_form_counts_alike_everywhere(
    people, events, data, form, courses, window, dates, format
):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        files = {
            "people": write(data.draw, directory, "people", list(PEOPLE_ROWS), people, format),
            "events": write(data.draw, directory, "events", list(EVENT_ROWS), events, format),
        }
        plan = directory / "plan.toml"
        params = {"form": form, "courses": courses}
        plan.write_text(
            plan_text([indicator("related_probe", files, params=params, window=window)]), "utf-8"
        )
        reference = evaluated(plan, dates, "python")
        assert evaluated(plan, dates, "duckdb") == reference


PEOPLE_TABLE = [
    {"person_id": "P1", "unit": "A"},
    {"person_id": "P2", "unit": "A"},
    {"person_id": "P3", "unit": "B"},
    {"person_id": "P4", "unit": "gone"},
]
EVENT_TABLE = [
    {"person_id": "P1", "course": "x", "status": "passed", "held_on": "2012-03-01"},
    {"person_id": "P1", "course": "y", "status": "failed", "held_on": "2012-11-30"},
    {"person_id": "P2", "course": "x", "status": "failed", "held_on": "2011-05-01"},
    {"person_id": "P2", "course": "y", "status": "passed", "held_on": "2012-12-01"},
    {"person_id": "P3", "course": "x", "status": "passed", "held_on": "2013-02-01"},
    {"person_id": "P9", "course": "x", "status": "passed", "held_on": "2012-01-01"},
    {"person_id": "P3", "course": "y", "status": "passed", "held_on": "2012-13-01"},
]


def _sqlite(
    directory: Path, names: tuple[str, str] = ("people", "events"), apart: bool = False
) -> dict[str, dict[str, str]]:
    """The two tables in one SQLite database, or (``apart``) each in a database of its own."""
    files = ("people.sqlite", "events.sqlite") if apart else ("records.sqlite",) * 2
    for name, rows, file in zip(names, (PEOPLE_TABLE, EVENT_TABLE), files, strict=True):
        with sqlite3.connect(directory / file) as connection:
            header = list(rows[0])
            connection.execute(f'CREATE TABLE "{name}" ({", ".join(header)})')
            marks = ", ".join("?" for _ in header)
            connection.executemany(
                f'INSERT INTO "{name}" VALUES ({marks})', [[r[c] for c in header] for r in rows]
            )
        connection.close()
    return {
        "people": {"url": f"sqlite:{files[0]}", "table": names[0]},
        "events": {"url": f"sqlite:{files[1]}", "table": names[1]},
    }


def _tables(directory: Path, where: str) -> dict[str, Any]:
    """The two tables above as CSV files, as tables of one SQLite database, or of two (which
    no one statement can read: the count reads their rows)."""
    if where in ("sqlite", "sqlite apart"):
        return _sqlite(directory, apart=where == "sqlite apart")
    write_csv(directory / "people.csv", PEOPLE_TABLE)
    write_csv(directory / "events.csv", EVENT_TABLE)
    return {"people": "people.csv", "events": "events.csv"}


# Hand-counted on the tables above, at 2012-12-31 (the window: the year 2012). People kept:
# P1, P2, P3 (P4's unit is "gone"). P3's event of 2012-13-01 is a bad date: left out, warned.
# P9's event is of no person: left out, warned.
CASES = [
    # Any event on or before the date: P1 (2012-03-01), P2 (2011-05-01); P3's is in 2013.
    ("on_or_before", [], 2, {"A": (2, 2), "B": (0, 1)}),
    # Passed by the date: P1 (x, March), P2 (y, December).
    ("passed_by", [], 2, {"A": (2, 2), "B": (0, 1)}),
    # Passed every course by the date: P1 passed only x; P2 only y: nobody.
    ("passed_by", ["x", "y"], 0, {"A": (0, 2), "B": (0, 1)}),
    # Events in 2012: P1 (two), P2 (December); with both courses: P1 (x and y), P2 has only y.
    ("in_window", [], 2, {"A": (2, 2), "B": (0, 1)}),
    ("in_window", ["x", "y"], 1, {"A": (1, 2), "B": (0, 1)}),
    # An event after the date, or not passed: P1 (failed y), P2 (failed x), P3 (2013).
    ("after", [], 3, {"A": (2, 2), "B": (1, 1)}),
]


@pytest.mark.parametrize(("form", "courses", "numerator", "groups"), CASES)
@pytest.mark.parametrize("where", ["csv", "sqlite", "sqlite apart"])
@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_hand_counted_figures(tmp_path, form, courses, numerator, groups, where, backend):
    files = _tables(tmp_path, where)
    plan = tmp_path / "plan.toml"
    params = {"form": form, "courses": courses}
    plan.write_text(plan_text([indicator("related_probe", files, params=params)]), "utf-8")
    report = ENGINE.evaluate(plan, [dt.date(2012, 12, 31)], backend=backend).figures()
    found = report["evaluations"][0]["indicators"][0]
    assert (found["numerator"], found["denominator"]) == (numerator, 3)
    breakdown = {g["group"]: (g["numerator"], g["denominator"]) for g in found["breakdown"]}
    assert breakdown == groups
    warnings = {
        (w["source"], w["problem"], w["count"], tuple(w["rows"])) for w in found["warnings"]
    }
    # A CSV file's rows are numbered from its header's 1, a table's from 1.
    first = 2 if where == "csv" else 1
    expected = {("events", "unknown_key", 1, (first + 5,)), ("events", "bad_date", 1, (first + 6,))}
    assert warnings == expected


@pytest.mark.parametrize(
    "names", [("m", "o0"), ("vpcp_o0", "vpcp_m"), ("VPCP_M", "vpcp_m_1"), ("u", "w"), ("c", "r")]
)
def test_tables_named_like_the_statement_s_own_names(tmp_path, names):
    # The statement's WITH clauses and aliases must not be taken for a source's table.
    plan = tmp_path / "plan.toml"
    params = {"form": "on_or_before", "courses": []}
    files = _sqlite(tmp_path, names)
    plan.write_text(plan_text([indicator("related_probe", files, params=params)]), "utf-8")
    report = ENGINE.evaluate(plan, [dt.date(2012, 12, 31)], backend="duckdb").figures()
    found = report["evaluations"][0]["indicators"][0]
    assert (found["numerator"], found["denominator"], found["error"]) == (2, 3, None)


@pytest.mark.parametrize("where", ["csv", "sqlite"])
def test_several_related_counts_of_one_source_in_one_statement(tmp_path, where):
    # Every case of CASES as an indicator of one plan: in a database they are one statement
    # over the same two tallies, and each must still give its own hand-counted figures.
    files = _tables(tmp_path, where)
    indicators = [
        indicator("related_probe", files, id=f"i{n}", params={"form": form, "courses": courses})
        for n, (form, courses, _, _) in enumerate(CASES)
    ]
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text(indicators), "utf-8")
    report = ENGINE.evaluate(plan, [dt.date(2012, 12, 31)], backend="duckdb").figures()
    found = {r["id"]: r for r in report["evaluations"][0]["indicators"]}
    for n, (_, _, numerator, groups) in enumerate(CASES):
        result = found[f"i{n}"]
        assert (result["numerator"], result["denominator"]) == (numerator, 3)
        breakdown = {g["group"]: (g["numerator"], g["denominator"]) for g in result["breakdown"]}
        assert breakdown == groups
        assert {w["problem"] for w in result["warnings"]} == {"bad_date", "unknown_key"}


@pytest.mark.parametrize("where", ["csv", "sqlite", "sqlite apart"])
@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_every_course_counts_from_the_latest_of_their_first_dates(tmp_path, where, backend):
    # On or before the date, courses x and y: P1 has x on 2012-03-01 and y on 2012-11-30,
    # P2 x on 2011-05-01 and y on 2012-12-01 (passed or not: this form does not ask). By
    # mid-2012 neither has both; by the end of 2012 both have.
    files = _tables(tmp_path, where)
    plan = tmp_path / "plan.toml"
    params = {"form": "on_or_before", "courses": ["x", "y"]}
    plan.write_text(plan_text([indicator("related_probe", files, params=params)]), "utf-8")
    dates = [dt.date(2012, 6, 30), dt.date(2012, 12, 31)]
    report = ENGINE.evaluate(plan, dates, backend=backend).figures()
    found = [(e["indicators"][0]["numerator"], e["indicators"][0]["denominator"])
             for e in report["evaluations"]]  # fmt: skip
    assert found == [(0, 3), (2, 3)]
