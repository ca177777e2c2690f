"""The Python and DuckDB backends give the same figures, data warnings included.

Hypothesis writes random records for every seed kind that counts, as bytes with the faults
real files have (see ``faulty_files``), in CSV, JSON Lines, Parquet or a workbook, or as an
SQLite table with the values databases hold, and evaluates them at random dates with both
backends. The two reports must be equal, down to the last warning's row numbers; where one
refuses a file, the other must refuse it with the same message.

CI runs VPCP_DIFFERENTIAL_EXAMPLES (default 500) examples per kind; a long hunt sets it higher.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import tempfile
from pathlib import Path
from typing import Any

from conftest import indicator, plan_text
from faulty_files import HOSTILE, csv_file, jsonl_file, sqlite_table, xlsx_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpcp_indicators import Engine, VpcpError
from vpcp_indicators.convert import csv_to_parquet

DATES = st.sampled_from(
    [
        "2011-12-31",
        "2012-01-01",
        "2012-03-31",
        "2012-04-01",
        "2012-06-30",
        "2012-12-31",
        "2013-01-01",
        "",
        "",
        "2012-02-30",
        "x",
        "2012-1-5",
        "0000-01-01",
        " 2012-05-05",
    ]
) | st.dates(dt.date(2010, 6, 1), dt.date(2013, 12, 31)).map(dt.date.isoformat)
AS_OF = st.lists(
    st.sampled_from(
        [
            dt.date(2011, 12, 31),
            dt.date(2012, 3, 31),
            dt.date(2012, 6, 30),
            dt.date(2012, 12, 31),
            dt.date(2013, 6, 30),
        ]
    ),
    min_size=1,
    max_size=3,
    unique=True,
)
FORMATS = st.sampled_from(["csv", "csv", "csv", "jsonl", "parquet", "sqlite", "xlsx"])
# Its tally cache is a folder of this test's: the second DuckDB evaluation of each example
# reads the tallies the first kept.
CACHE = tempfile.TemporaryDirectory(prefix="vpcp-differential-cache-")
ENGINE = Engine(cache=CACHE.name)
STAMPS = itertools.count(1_600_000_000, 7)
SETTINGS = settings(
    max_examples=int(os.environ.get("VPCP_DIFFERENTIAL_EXAMPLES", "500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def rows_of(columns: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[dict[str, str]]]:
    values = {name: strategy | HOSTILE for name, strategy in columns.items()}
    return st.lists(st.fixed_dictionaries(values), max_size=20)


def clean_csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([row[c] for c in header] for row in rows)
    return buffer.getvalue().encode()


def write(
    draw: st.DrawFn,
    directory: Path,
    name: str,
    header: list[str],
    rows: list[dict[str, str]],
    format: str,
) -> str | dict[str, Any]:
    """Write a source; return how the plan names it (Parquet only for files convert takes;
    a workbook's sheet when the plan must name it)."""
    if format == "sqlite":
        # One database for every source: a count that looks into another source reads it there.
        return draw(sqlite_table(directory / "records.sqlite", name, header, rows))
    if format == "xlsx":
        content, sheet = draw(xlsx_file(header, rows))
        (directory / f"{name}.xlsx").write_bytes(content)
        return f"{name}.xlsx" if sheet is None else {"path": f"{name}.xlsx", "sheet": sheet}
    if format == "jsonl":
        (directory / f"{name}.jsonl").write_bytes(draw(jsonl_file(rows)))
        return f"{name}.jsonl"
    path = directory / f"{name}.csv"
    if format == "parquet":
        path.write_bytes(clean_csv(header, rows))
        try:
            csv_to_parquet(path, directory / f"{name}.parquet")
            return f"{name}.parquet"
        except VpcpError:
            pass
    path.write_bytes(draw(csv_file(header, rows)))
    return f"{name}.csv"


def both(
    kind: str,
    files: dict[str, Any],
    directory: Path,
    dates: list[dt.date],
    units: tuple[dict[str, str], ...] = (),
    unit: str | None = None,
    **keys: object,
) -> Any:
    """The report of the Python engine, which DuckDB's must equal: reading the files, and
    again from the tallies it kept of them (the plan's ``units``, seen from ``unit``)."""
    plan = directory / "plan.toml"
    plan.write_text(plan_text([indicator(kind, files, **keys)], units=units), "utf-8")
    # Dated in the past, as exports are (a file just written is not kept), each example
    # at another time, so that no file looks like one of an earlier example.
    stamp = next(STAMPS)
    for path in directory.iterdir():
        if path != plan:
            os.utime(path, (stamp, stamp))
    results = []
    for backend in ("python", "duckdb", "duckdb"):
        try:
            results.append(ENGINE.evaluate(plan, dates, backend=backend, unit=unit).figures())
        except VpcpError as error:  # an empty file, say: both must refuse it alike
            results.append(error.lines())
    assert results[1] == results[0]
    assert results[2] == results[0], "from the cache"
    return results[0]


MEETINGS = {
    "meeting_id": st.sampled_from(["M1", "M2", ""]),
    "held_on": DATES,
    "chair": st.sampled_from(["prime_minister", "prime_minister", "deputy", ""]),
    "counterpart_kind": st.sampled_from(
        ["ministry", "province", "corporation_91", "foreign", "Ministry", 'tỉnh, "thành"']
    ),
    "mode": st.sampled_from(["online", "hybrid", "in_person", "Online", ""]),
}


@SETTINGS
@given(
    rows=rows_of(MEETINGS),
    data=st.data(),
    window=st.sampled_from(["year", "quarter", "month", "cumulative"]),
    dates=AS_OF,
    format=FORMATS,
)
def test_online_meeting_coverage(rows, data, window, dates, format):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(data.draw, directory, "meetings", list(MEETINGS), rows, format)
        both("online_meeting_coverage", {"meetings": file}, directory, dates, window=window)


@SETTINGS
@given(
    rows=rows_of(MEETINGS),
    data=st.data(),
    window=st.sampled_from(["year", "quarter", "month", "cumulative"]),
    dates=AS_OF,
)
def test_online_meeting_coverage_in_workbooks(rows, data, window, dates):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(data.draw, directory, "meetings", list(MEETINGS), rows, "xlsx")
        both("online_meeting_coverage", {"meetings": file}, directory, dates, window=window)


DOCUMENTS = {
    "doc_id": st.sampled_from(["D1", "D2", ""]),
    "issued_on": DATES,
    "issuer": st.sampled_from(["government", "prime_minister", "office", ""]),
    "classification": st.sampled_from(
        ["normal", "normal", "secret", "top_secret", "Normal", "mật", ""]
    ),
    "channel": st.sampled_from(["electronic", "both", "paper", ""]),
}


@SETTINGS
@given(
    rows=rows_of(DOCUMENTS),
    data=st.data(),
    dates=AS_OF,
    format=FORMATS,
    open_classifications=st.sampled_from([["normal"], ["normal", "mật"]]),
)
def test_e_document_dispatch(rows, data, dates, format, open_classifications):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(data.draw, directory, "documents", list(DOCUMENTS), rows, format)
        both(
            "e_document_dispatch",
            {"documents": file},
            directory,
            dates,
            params={"open_classifications": open_classifications},
        )


STAFF = {
    "staff_id": st.sampled_from(["S1", "S2", "S3", "S4", ""]),
    "unit": st.sampled_from(["Vụ A", "Vụ B", 'Trung tâm, "Tin" học', ""]),
    "unit_kind": st.sampled_from(["advisory", "advisory", "public_service", ""]),
    "joined_on": DATES,
    "left_on": DATES,
    "signature_issued_on": DATES,
    "email_issued_on": DATES,
}


@SETTINGS
@given(
    rows=rows_of(STAFF),
    data=st.data(),
    dates=AS_OF,
    format=FORMATS,
    require=st.sampled_from([["signature", "email"], ["email"], ["signature"]]),
    units=st.sampled_from(["none", "tree", "seen", "column"]),
)
def test_digital_signature_issuance(rows, data, dates, format, require, units):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(data.draw, directory, "staff", list(STAFF), rows, format)
        tied: dict[str, Any] = {}
        if units != "none":
            # A tree that holds two of the units the records name (not "Vụ B", nor ""),
            # tied by the kind's column, or by another column of the source.
            column = {"column": "unit_kind"} if units == "column" else {}
            tied = {
                "breakdown": {**column, "units": True},
                "units": UNITS,
                "unit": "R" if units == "seen" else None,
            }
        both(
            "digital_signature_issuance",
            {"staff": file},
            directory,
            dates,
            params={"require": require},
            **tied,
        )


UNITS = (
    {"id": "R", "title": "The office"},
    {"id": "Vụ A", "title": "Department A", "parent": "R"},
    {"id": 'Trung tâm, "Tin" học', "title": "Centre", "parent": "Vụ A"},
    {"id": "advisory", "title": "Advisory", "parent": "R"},
)

TRAININGS = {
    "staff_id": st.sampled_from(["S1", "S2", "S3", "S4", "S9", ""]),
    "course": st.sampled_from(["A", "B", "C", ""]),
    "completed_on": DATES,
}


@SETTINGS
@given(
    staff=rows_of(STAFF),
    trainings=rows_of(TRAININGS),
    data=st.data(),
    dates=AS_OF,
    formats=st.tuples(FORMATS, FORMATS),
    courses=st.sampled_from([[], ["A"], ["A", "B"]]),
    unit_kinds=st.sampled_from([[], ["advisory"]]),
)
def test_training_completion(staff, trainings, data, dates, formats, courses, unit_kinds):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        staff_file = write(data.draw, directory, "staff", list(STAFF), staff, formats[0])
        training_file = write(
            data.draw, directory, "trainings", list(TRAININGS), trainings, formats[1]
        )
        both(
            "training_completion",
            {"staff": staff_file, "trainings": training_file},
            directory,
            dates,
            params={"courses": courses, "unit_kinds": unit_kinds},
        )
