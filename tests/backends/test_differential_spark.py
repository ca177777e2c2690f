"""The differential test (see test_differential) on Spark: the DuckDB backend sends each
count to Spark, the Python backend reads the rows Spark gives; the two reports must be
equal, data warnings included. The views' columns are typed as the values allow (dates,
timestamps, doubles, strings), or binary or arrays, which make a row unreadable.

Spark takes about a second a query: CI runs VPCP_SPARK_EXAMPLES (default 15) per kind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from faulty_files import spark_view
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sparksession import URL
from test_differential import AS_OF, DOCUMENTS, MEETINGS, STAFF, TRAININGS, both, rows_of

pytestmark = pytest.mark.spark

SETTINGS = settings(
    max_examples=int(os.environ.get("VPCP_SPARK_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(rows=rows_of(MEETINGS), data=st.data(), dates=AS_OF)
def test_online_meeting_coverage(spark, rows, data, dates):
    with tempfile.TemporaryDirectory() as name:
        source = data.draw(spark_view(spark, URL, "meetings", list(MEETINGS), rows))
        both("online_meeting_coverage", {"meetings": source}, Path(name), dates, window="year")


@SETTINGS
@given(rows=rows_of(DOCUMENTS), data=st.data(), dates=AS_OF)
def test_e_document_dispatch(spark, rows, data, dates):
    with tempfile.TemporaryDirectory() as name:
        source = data.draw(spark_view(spark, URL, "documents", list(DOCUMENTS), rows))
        both("e_document_dispatch", {"documents": source}, Path(name), dates)


@SETTINGS
@given(rows=rows_of(STAFF), data=st.data(), dates=AS_OF)
def test_digital_signature_issuance(spark, rows, data, dates):
    with tempfile.TemporaryDirectory() as name:
        source = data.draw(spark_view(spark, URL, "staff", list(STAFF), rows))
        both("digital_signature_issuance", {"staff": source}, Path(name), dates)


@SETTINGS
@given(staff=rows_of(STAFF), trainings=rows_of(TRAININGS), data=st.data(), dates=AS_OF)
def test_training_completion(spark, staff, trainings, data, dates):
    with tempfile.TemporaryDirectory() as name:
        staff_source = data.draw(spark_view(spark, URL, "staff", list(STAFF), staff))
        training_source = data.draw(spark_view(spark, URL, "trainings", list(TRAININGS), trainings))
        both(
            "training_completion",
            {"staff": staff_source, "trainings": training_source},
            Path(name),
            dates,
            params={"courses": ["A", "B"]},
        )
