"""The Python and DuckDB backends give the same figures, data warnings included.

Hypothesis writes random records for every seed kind, with the faults real files have (empty
values, impossible dates, rows with too few or too many fields, blank lines, unknown staff,
case that differs), in CSV, JSON Lines or Parquet, and evaluates them at random dates with both
backends. The two reports must be equal, down to the last warning's row numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path

from conftest import indicator, plan_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpcp_indicators import Engine, SourceError, VpcpError
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
FORMATS = st.sampled_from(["csv", "csv", "jsonl", "parquet"])
ENGINE = Engine()
# VPCP_DIFFERENTIAL_EXAMPLES=1000 for a long hunt; CI runs the default.
SETTINGS = settings(
    max_examples=int(os.environ.get("VPCP_DIFFERENTIAL_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def rows_of(columns: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(st.fixed_dictionaries(columns), max_size=25)


@st.composite
def faults(draw: st.DrawFn, count: int) -> dict[int, str]:
    """Rows to break, and how: a missing field, an extra field, a blank line before it."""
    if count == 0 or not draw(st.booleans()):
        return {}
    broken = draw(st.lists(st.integers(0, count - 1), max_size=3, unique=True))
    return {i: draw(st.sampled_from(["short", "long", "blank"])) for i in broken}


def write(
    directory: Path,
    name: str,
    rows: list[dict[str, str]],
    header: list[str],
    format: str,
    broken: dict[int, str],
) -> str:
    """Write rows in a format; return the file name (Parquet only for files it can hold)."""
    if format == "jsonl":
        lines = []
        for i, row in enumerate(rows):
            if broken.get(i) == "blank":
                lines.append("")
            if broken.get(i) == "short":
                lines.append("{not json")
            else:
                record = {k: v for k, v in row.items() if not (v == "" and i % 3 == 0)}
                lines.append(json.dumps(record, ensure_ascii=False))
        (directory / f"{name}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
        return f"{name}.jsonl"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for i, row in enumerate(rows):
        values = [row[c] for c in header]
        fault = broken.get(i)
        if fault == "blank":
            buffer.write("\n")
        writer.writerow(
            values[:-1] if fault == "short" else [*values, "extra"] if fault == "long" else values
        )
    path = directory / f"{name}.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    if format == "parquet":
        try:
            csv_to_parquet(path, directory / f"{name}.parquet")
            return f"{name}.parquet"
        except SourceError:
            pass
    return f"{name}.csv"


def both(
    kind: str, files: dict[str, str], directory: Path, dates: list[dt.date], **keys: object
) -> None:
    plan = directory / "plan.toml"
    plan.write_text(plan_text([indicator(kind, files, **keys)]), "utf-8")
    results = []
    for backend in ("python", "duckdb"):
        try:
            results.append(ENGINE.evaluate(plan, dates, backend=backend).to_dict())
        except VpcpError as error:  # an empty file, say: both must refuse it alike
            results.append(error.lines())
    assert results[1] == results[0]


@SETTINGS
@given(
    rows=rows_of(
        {
            "meeting_id": st.sampled_from(["M1", "M2", ""]),
            "held_on": DATES,
            "chair": st.sampled_from(["prime_minister", "prime_minister", "deputy", ""]),
            "counterpart_kind": st.sampled_from(
                ["ministry", "province", "corporation_91", "foreign", "Ministry", 'tỉnh, "thành"']
            ),
            "mode": st.sampled_from(["online", "hybrid", "in_person", "Online", ""]),
        }
    ),
    data=st.data(),
    window=st.sampled_from(["year", "quarter", "month", "cumulative"]),
    dates=AS_OF,
    format=FORMATS,
)
def test_online_meeting_coverage(rows, data, window, dates, format):
    header = ["meeting_id", "held_on", "chair", "counterpart_kind", "mode"]
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(directory, "meetings", rows, header, format, data.draw(faults(len(rows))))
        both("online_meeting_coverage", {"meetings": file}, directory, dates, window=window)


@SETTINGS
@given(
    rows=rows_of(
        {
            "doc_id": st.sampled_from(["D1", "D2", ""]),
            "issued_on": DATES,
            "issuer": st.sampled_from(["government", "prime_minister", "office", ""]),
            "classification": st.sampled_from(
                ["normal", "normal", "secret", "top_secret", "Normal", "mật", ""]
            ),
            "channel": st.sampled_from(["electronic", "both", "paper", ""]),
        }
    ),
    data=st.data(),
    dates=AS_OF,
    format=FORMATS,
    open_classifications=st.sampled_from([["normal"], ["normal", "mật"]]),
)
def test_e_document_dispatch(rows, data, dates, format, open_classifications):
    header = ["doc_id", "issued_on", "issuer", "classification", "channel"]
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(directory, "documents", rows, header, format, data.draw(faults(len(rows))))
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
STAFF_HEADER = list(STAFF)


@SETTINGS
@given(
    rows=rows_of(STAFF),
    data=st.data(),
    dates=AS_OF,
    format=FORMATS,
    require=st.sampled_from([["signature", "email"], ["email"], ["signature"]]),
)
def test_digital_signature_issuance(rows, data, dates, format, require):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        file = write(directory, "staff", rows, STAFF_HEADER, format, data.draw(faults(len(rows))))
        both(
            "digital_signature_issuance",
            {"staff": file},
            directory,
            dates,
            params={"require": require},
        )


@SETTINGS
@given(
    staff=rows_of(STAFF),
    trainings=rows_of(
        {
            "staff_id": st.sampled_from(["S1", "S2", "S3", "S4", "S9", ""]),
            "course": st.sampled_from(["A", "B", "C", ""]),
            "completed_on": DATES,
        }
    ),
    data=st.data(),
    dates=AS_OF,
    formats=st.tuples(FORMATS, FORMATS),
    courses=st.sampled_from([[], ["A"], ["A", "B"]]),
    unit_kinds=st.sampled_from([[], ["advisory"]]),
)
def test_training_completion(staff, trainings, data, dates, formats, courses, unit_kinds):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        staff_file = write(
            directory, "staff", staff, STAFF_HEADER, formats[0], data.draw(faults(len(staff)))
        )
        training_file = write(
            directory,
            "trainings",
            trainings,
            ["staff_id", "course", "completed_on"],
            formats[1],
            data.draw(faults(len(trainings))),
        )
        both(
            "training_completion",
            {"staff": staff_file, "trainings": training_file},
            directory,
            dates,
            params={"courses": courses, "unit_kinds": unit_kinds},
        )
