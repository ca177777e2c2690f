"""The differential test (see test_differential) on PostgreSQL tables: the DuckDB backend
sends each count to the database, the Python backend reads the rows; the two reports must be
equal, data warnings included. The tables' columns are typed as the values allow (dates,
timestamps, numbers, text), or JSON, which makes a row unreadable."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from conftest import indicator, plan_text
from faulty_files import postgres_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_differential import AS_OF, DOCUMENTS, MEETINGS, STAFF, TRAININGS, both, rows_of
from test_related import EVENT_ROWS, FORMS, PEOPLE_ROWS, evaluated

#: A PostgreSQL example takes most of a second (a table made, two evaluations): CI runs
#: VPCP_POSTGRES_EXAMPLES (default 100) per kind.
SETTINGS = settings(
    max_examples=int(os.environ.get("VPCP_POSTGRES_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def database(postgres):
    admin = postgres.admin()
    yield admin, postgres.url()
    admin.close()


@SETTINGS
@given(
    rows=rows_of(MEETINGS),
    data=st.data(),
    dates=AS_OF,
    window=st.sampled_from(["year", "month", "cumulative"]),
)
def test_online_meeting_coverage(database, rows, data, dates, window):
    admin, url = database
    with tempfile.TemporaryDirectory() as name:
        source = data.draw(postgres_table(admin, url, "meetings", list(MEETINGS), rows))
        both("online_meeting_coverage", {"meetings": source}, Path(name), dates, window=window)


@SETTINGS
@given(rows=rows_of(DOCUMENTS), data=st.data(), dates=AS_OF)
def test_e_document_dispatch(database, rows, data, dates):
    admin, url = database
    with tempfile.TemporaryDirectory() as name:
        source = data.draw(postgres_table(admin, url, "documents", list(DOCUMENTS), rows))
        both("e_document_dispatch", {"documents": source}, Path(name), dates)


@SETTINGS
@given(rows=rows_of(STAFF), data=st.data(), dates=AS_OF)
def test_digital_signature_issuance(database, rows, data, dates):
    admin, url = database
    with tempfile.TemporaryDirectory() as name:
        source = data.draw(postgres_table(admin, url, "staff", list(STAFF), rows))
        both("digital_signature_issuance", {"staff": source}, Path(name), dates)


@SETTINGS
@given(staff=rows_of(STAFF), trainings=rows_of(TRAININGS), data=st.data(), dates=AS_OF)
def test_training_completion(database, staff, trainings, data, dates):
    admin, url = database
    with tempfile.TemporaryDirectory() as name:
        staff_source = data.draw(postgres_table(admin, url, "staff", list(STAFF), staff))
        training_source = data.draw(
            postgres_table(admin, url, "trainings", list(TRAININGS), trainings)
        )
        both(
            "training_completion",
            {"staff": staff_source, "trainings": training_source},
            Path(name),
            dates,
            params={"courses": ["A", "B"]},
        )


def test_dates_a_date_column_holds_but_not_as_yyyy_mm_dd(database):
    # infinity, a day BC and a year past 9999 are dates to PostgreSQL, not to the contract:
    # each is a bad_date with both backends.
    admin, url = database
    admin.execute(
        "CREATE TABLE public.odd_dates (meeting_id text, held_on date, chair text, "
        "counterpart_kind text, mode text)"
    )
    for day in ("2012-05-01", "infinity", "-infinity", "0044-03-15 BC", "10000-01-01"):
        admin.execute(
            "INSERT INTO public.odd_dates VALUES ('M1', %s, 'prime_minister', 'ministry', "
            "'online')",
            [day],
        )
    with tempfile.TemporaryDirectory() as name:
        source = {"url": url, "table": "odd_dates"}
        report = both(
            "online_meeting_coverage",
            {"meetings": source},
            Path(name),
            [dt.date(2012, 12, 31)],
            window="year",
        )
    (result,) = report["evaluations"][0]["indicators"]
    assert (result["numerator"], result["denominator"]) == (1, 1)
    (warning,) = result["warnings"]
    # Rows numbered by their text (no key): -infinity, 0044-03-15 BC, 10000-01-01, 2012-05-01,
    # infinity.
    assert (warning["problem"], warning["count"], warning["rows"]) == ("bad_date", 4, [1, 2, 3, 5])


def test_training_dates_the_count_does_not_keep_are_checked_too(database):
    # A training's date is reduced to each person's earliest, not kept: that it is not a
    # date the contract reads is tested on the value PostgreSQL holds (from year 1 to 9999).
    admin, url = database
    admin.execute(
        "CREATE TABLE public.odd_staff (staff_id text, unit text, unit_kind text, "
        "joined_on date, left_on date, signature_issued_on date, email_issued_on date)"
    )
    admin.execute(
        "INSERT INTO public.odd_staff VALUES ('S1', 'A', 'advisory', '2011-01-01', NULL, "
        "NULL, NULL), ('S2', 'A', 'advisory', '2011-01-01', NULL, NULL, NULL)"
    )
    admin.execute(
        "CREATE TABLE public.odd_trainings (staff_id text, course text, completed_on date)"
    )
    for day in ("2012-05-01", "infinity", "0044-03-15 BC", "10000-01-01", "0001-01-01"):
        admin.execute("INSERT INTO public.odd_trainings VALUES ('S1', 'CNTT', %s)", [day])
    admin.execute("INSERT INTO public.odd_trainings VALUES ('S2', 'CNTT', '9999-12-31')")
    with tempfile.TemporaryDirectory() as name:
        sources = {
            "staff": {"url": url, "table": "odd_staff"},
            "trainings": {"url": url, "table": "odd_trainings"},
        }
        report = both("training_completion", sources, Path(name), [dt.date(2012, 12, 31)])
    (result,) = report["evaluations"][0]["indicators"]
    # S1 trained in year 1 (and in 2012); S2 only in 9999: one of two.
    assert (result["numerator"], result["denominator"]) == (1, 2)
    (warning,) = result["warnings"]
    # Rows numbered by their text (no key): S1's 0001-01-01, 0044-03-15 BC, 10000-01-01,
    # 2012-05-01 and infinity, then S2's.
    assert (warning["problem"], warning["count"], warning["rows"]) == ("bad_date", 3, [2, 3, 5])


@SETTINGS
@given(
    people=rows_of(PEOPLE_ROWS),
    events=rows_of(EVENT_ROWS),
    data=st.data(),
    form=st.sampled_from(sorted(FORMS)),
    courses=st.sampled_from([[], ["x", "y"]]),
    dates=AS_OF,
)
def test_every_form_of_a_related_count(database, people, events, data, form, courses, dates):
    # Both tables in one database: the count looks into the other in the same statement.
    admin, url = database
    with tempfile.TemporaryDirectory() as name:
        files = {
            "people": data.draw(postgres_table(admin, url, "people", list(PEOPLE_ROWS), people)),
            "events": data.draw(postgres_table(admin, url, "events", list(EVENT_ROWS), events)),
        }
        plan = Path(name) / "plan.toml"
        params = {"form": form, "courses": courses}
        plan.write_text(plan_text([indicator("related_probe", files, params=params)]), "utf-8")
        assert evaluated(plan, dates, "duckdb") == evaluated(plan, dates, "python")
