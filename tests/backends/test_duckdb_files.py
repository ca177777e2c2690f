"""Which files DuckDB reads itself, and the same figures for the others.

The examples are the faults the issue found, each evaluated with both backends: the figures
and warnings must be those written out here by hand.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import unittest.mock
from pathlib import Path

import pytest
from conftest import indicator, plan_text
from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators import Engine
from vpcp_indicators.backends.duckdb.files import csv_obstacle
from vpcp_indicators.sources.parquet import duckdb_path

HEADER = b"meeting_id,held_on,chair,counterpart_kind,mode"
ROW = b"M{n},2012-02-01,prime_minister,ministry,online"
OFFLINE = b"M{n},2012-03-01,prime_minister,ministry,in_person"


@pytest.mark.parametrize(
    ("data", "plain"),
    [
        (b"a,b\n1,2\n", True),
        (b"a,b\r\n1,2\r\n", True),
        (b"a,b\r\n1,2\n", False),  # CRLF, then LF
        (b"a,b\n1,2\r\n", False),
        (b"a,b\n1,x\ry\n", False),  # a bare CR
        (b"a,b\r1,2\r", False),  # CR line ends: the contract reads them, DuckDB is not trusted
        (b'a,b\n1,"x, y"\n', True),
        (b'a,b\n1, "x"\n', False),  # a space before a quote: DuckDB would drop it
        (b'a,b\n1,"x" \n', False),
        (b"a,b\n1, x \n", True),  # spaces with no quote in the file are values like any other
        (b"a,b\n1," + b"x" * 70_000 + b"\n", False),
        (b"", True),
    ],
)
def test_duckdb_reads_a_csv_itself_only_when_it_cannot_misread_it(tmp_path, data, plain):
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    assert (csv_obstacle(path) is None) is plain


def test_glob_characters_in_a_path_name_that_one_file():
    assert duckdb_path(Path("/d/x[1]*?.csv")) == "/d/x[[]1][*][?].csv"


def evaluate(tmp_path, files, backend, **keys):
    plan = tmp_path / "plan.toml"
    sources = {"meetings": files.pop("__source__", "meetings.csv")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    plan.write_text(plan_text([indicator("online_meeting_coverage", sources, **keys)]), "utf-8")
    evaluation = Engine().evaluate(plan, [dt.date(2012, 12, 31)], backend=backend)
    return evaluation.latest.indicators[0]


def lines(*rows: bytes, end: bytes = b"\n") -> bytes:
    return b"".join(row + end for row in rows)


BOTH = pytest.mark.parametrize("backend", ["python", "duckdb"])


@BOTH
def test_a_file_duckdb_would_read_otherwise_counts_as_the_contract_reads_it(tmp_path, backend):
    # DuckDB reads the file while the byte checks run; they find that DuckDB would drop
    # the space before the quote, and its tally is thrown away.
    odd = b'M2,2012-03-01,prime_minister,ministry, "online"'
    data = lines(HEADER, ROW.replace(b"{n}", b"1"), odd, ROW.replace(b"{n}", b"3"))
    result = evaluate(tmp_path, {"meetings.csv": data}, backend)
    # M2's mode is not "online" as the contract reads it: M1 and M3 of the three are.
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.warnings == ()


@BOTH
def test_a_trailing_comma_breaks_its_row_in_both(tmp_path, backend):
    data = lines(HEADER, ROW.replace(b"{n}", b"1"), ROW.replace(b"{n}", b"2") + b",")
    result = evaluate(tmp_path, {"meetings.csv": data}, backend)
    assert (result.numerator, result.denominator) == (1, 1)
    (warning,) = result.warnings
    assert (warning.detail, warning.rows) == ("too many fields", (3,))


@BOTH
@pytest.mark.parametrize(
    ("data", "rows", "faults"),
    [
        # CRLF then LF, and a value ending in CR in an LF file: every row reads.
        (HEADER + b"\r\n" + lines(ROW, OFFLINE).replace(b"{n}", b"1"), 2, []),
        (lines(HEADER, ROW.replace(b"{n}", b"1") + b"\r", OFFLINE.replace(b"{n}", b"2")), 2, []),
        # Bytes that are not UTF-8 in a column read, after the header.
        (lines(HEADER, ROW.replace(b"{n}", b"\xff"), OFFLINE.replace(b"{n}", b"2")), 1, [2]),
    ],
)
def test_files_duckdbs_reader_stops_on_read_with_the_same_figures(
    tmp_path, backend, data, rows, faults
):
    result = evaluate(tmp_path, {"meetings.csv": data}, backend)
    assert result.denominator == rows
    assert [w.rows for w in result.warnings] == ([tuple(faults)] if faults else [])


@BOTH
def test_columns_alike_but_for_case_are_two_columns(tmp_path, backend):
    header = HEADER + b",MODE"
    data = lines(header, ROW.replace(b"{n}", b"1") + b",x", OFFLINE.replace(b"{n}", b"2") + b",y")
    result = evaluate(tmp_path, {"meetings.csv": data}, backend)
    assert (result.numerator, result.denominator) == (1, 2)


@BOTH
def test_a_field_too_long_breaks_its_row_and_a_huge_line_is_not_dropped(tmp_path, backend):
    data = lines(
        HEADER + b",note",
        ROW.replace(b"{n}", b"1") + b"," + b"x" * 131_073,
        ROW.replace(b"{n}", b"2") + b"," + b"y" * 3_000_000,
        OFFLINE.replace(b"{n}", b"3") + b",z",
    )
    result = evaluate(tmp_path, {"meetings.csv": data}, backend)
    assert (result.numerator, result.denominator) == (0, 1)
    (warning,) = result.warnings
    assert (warning.count, warning.rows) == (2, (2, 3))
    assert warning.detail == "a field is longer than 131072 characters"


@BOTH
def test_a_file_name_with_glob_characters_is_that_file_alone(tmp_path, backend):
    one = lines(HEADER, ROW.replace(b"{n}", b"1"))
    other = lines(HEADER, OFFLINE.replace(b"{n}", b"2"), OFFLINE.replace(b"{n}", b"3"))
    files = {"m[12].csv": one, "m1.csv": other, "m2.csv": other, "__source__": "m[12].csv"}
    result = evaluate(tmp_path, files, backend)
    assert (result.numerator, result.denominator) == (1, 1)


@BOTH
def test_json_lines_faults_read_alike(tmp_path, backend):
    good = b'{"meeting_id": "M1", "held_on": "2012-02-01", "chair": "prime_minister", '
    data = (
        good + b'"counterpart_kind": "ministry", "mode": "online"}\n'
        b"\t\n"
        b"\xef\xbb\xbf"
        + good
        + b'"counterpart_kind": "ministry", "mode": "online"}\n'
        + good
        + b'"counterpart_kind": "ministry", "mode": "online", "mode": "in_person"}\n'
        + good
        + b'"counterpart_kind": "\\ud800", "mode": "online"}\n'
        + good
        + b'"counterpart_kind": "ministry", "mode": NaN}\n'
        + good
        + b'"counterpart_kind": "ministry",\r "mode": "online"}\r\n'
    )
    files = {"m.jsonl": data, "__source__": "m.jsonl"}
    result = evaluate(tmp_path, files, backend)
    assert (result.numerator, result.denominator) == (2, 2)
    found = {(w.detail, w.rows) for w in result.warnings}
    assert found == {
        ("not valid JSON", (3, 5, 6)),
        ("a key appears twice", (4,)),
    }


def test_debug_says_when_a_file_is_read_by_the_reference_reader(tmp_path):
    data = HEADER + b"\r\n" + lines(ROW.replace(b"{n}", b"1"))
    (tmp_path / "meetings.csv").write_bytes(data)
    plan = tmp_path / "plan.toml"
    plan.write_text(
        plan_text([indicator("online_meeting_coverage", {"meetings": "meetings.csv"})]), "utf-8"
    )
    process = subprocess.run(
        [
            *(sys.executable, "-m", "vpcp_indicators", "evaluate", str(plan)),
            *("--as-of", "2012-12-31", "--engine", "duckdb", "--format", "json", "--debug"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        "meetings.csv: read by the reference reader, as its line ends are not LF throughout, "
        "nor CRLF throughout" in process.stderr
    )


def whole_file_verdict(data: bytes, block: int) -> set[str]:
    """The rules of csv_obstacle applied to the file at once, by their definitions."""
    found = set()
    if b"\r" in data and not (data.count(b"\r") == data.count(b"\n") == data.count(b"\r\n")):
        found.add("line ends")
    full = len(data) - len(data) % block
    if any(b"\n" not in data[i : i + block] for i in range(0, full, block)):
        found.add("long line")
    if b'"' in data and (b' "' in data or b'" ' in data):
        found.add("space")
    return found


@given(
    data=st.lists(st.sampled_from([b"a", b",", b'"', b" ", b"\n", b"\r", b"\r\n", b"xy"])).map(
        b"".join
    ),
    blocks=st.integers(1, 4),
)
def test_reading_in_chunks_finds_what_reading_at_once_finds(data, blocks):
    import vpcp_indicators.backends.duckdb.files as files

    expected = whole_file_verdict(data, 4)
    with (
        tempfile.TemporaryDirectory() as folder,
        unittest.mock.patch.object(files, "_BLOCK", 4),
        unittest.mock.patch.object(files, "_CHUNK", 4 * blocks),
    ):
        path = Path(folder) / "a.csv"
        path.write_bytes(data)
        said = files.csv_obstacle(path)
        blank = files.has_blank_line(path)
    words = {"line ends": "line ends", "long line": "longer", "space": "space"}
    assert (said is None) == (not expected)
    if said is not None:
        # The first fault found is one of those there are.
        assert any(words[k] in said for k in expected)
    assert blank == (b"\n\n" in data or b"\n\r\n" in data)


def parquet_meetings(path: Path, ids: list[str | None]) -> Path:
    """Meetings as Parquet (one row group per two rows), with these meeting ids."""
    import duckdb

    rows = ", ".join(
        f"({'NULL' if i is None else repr(i)}, '2012-0{n % 9 + 1}-01', 'prime_minister', "
        f"'ministry', '{'online' if n % 2 else 'in_person'}')"
        for n, i in enumerate(ids)
    )
    duckdb.execute(
        f"COPY (SELECT * FROM (VALUES {rows}) AS t(meeting_id, held_on, chair, "
        "counterpart_kind, mode)) TO $p (FORMAT parquet, ROW_GROUP_SIZE 2)",
        {"p": str(path)},
    )
    return path


@pytest.mark.parametrize(
    ("ids", "complete"),
    [
        (["M1", "M2", "M3"], True),
        (["M1", None, "M3"], False),  # a NULL in the second row group
        (["M1", "M2", ""], False),  # an empty text: a missing value too
        ([" ", "M2", "M3"], True),  # a space is a value
    ],
)
def test_parquet_statistics_tell_which_columns_hold_a_value_in_every_row(tmp_path, ids, complete):
    import duckdb

    from vpcp_indicators.backends.duckdb.files import COMPLETE_SQL

    path = parquet_meetings(tmp_path / "m.parquet", ids)
    found = {name for (name,) in duckdb.execute(COMPLETE_SQL, {"path": str(path)}).fetchall()}
    assert ("meeting_id" in found) == complete
    assert {"held_on", "chair", "counterpart_kind", "mode"} <= found


@BOTH
@pytest.mark.parametrize("missing", [None, ""])
def test_a_missing_id_in_parquet_is_warned_of_on_its_row(tmp_path, backend, missing):
    # meeting_id is required, and no count reads it but to find missing values: the
    # statistics of its row group show one, so it is read, and found on row 4.
    parquet_meetings(tmp_path / "meetings.parquet", ["M1", "M2", missing, "M4"])
    result = evaluate(tmp_path, {"__source__": "meetings.parquet"}, backend)
    (warning,) = result.warnings
    assert (warning.problem, warning.column, warning.rows) == ("missing_value", "meeting_id", (4,))
    # Of M1, M2 and M4 (the third skipped), M2 and M4 were online.
    assert (result.numerator, result.denominator) == (2, 3)


@BOTH
def test_a_parquet_file_whose_ids_are_all_there_counts_every_row(tmp_path, backend):
    parquet_meetings(tmp_path / "meetings.parquet", ["M1", "M2", "M3", "M4"])
    result = evaluate(tmp_path, {"__source__": "meetings.parquet"}, backend)
    assert result.warnings == ()
    assert (result.numerator, result.denominator) == (2, 4)


def test_a_parquet_files_columns_are_read_without_opening_a_database_each_time(
    tmp_path, monkeypatch
):
    # Opening a DuckDB database takes 25-55 ms: an evaluation asks for each Parquet file's
    # columns twice (checking the plan, then reading), and a plan may name many files.
    import duckdb

    from vpcp_indicators.sources import parquet

    opened = []
    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: opened.append(a) or real(*a, **k))
    monkeypatch.setattr(parquet, "_shared", None)
    path = parquet_meetings(tmp_path / "m.parquet", ["M1", "M2"])
    reader = parquet.ParquetReader()
    for _ in range(3):
        assert reader.columns(path) == [
            "meeting_id",
            "held_on",
            "chair",
            "counterpart_kind",
            "mode",
        ]
    assert [row for row, _ in reader.rows(path, ["meeting_id"])] == [2, 3]
    assert len(opened) == 1
