"""CSV sources: header, BOM, quoting, broken rows, line numbers."""

from __future__ import annotations

import pytest

from vpcp_indicators import SourceError
from vpcp_indicators.sources.csv import CsvReader


def rows(path, columns):
    return list(CsvReader().rows(path, columns))


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\n1,An\n")
    assert CsvReader().columns(path) == ["id", "name"]
    assert rows(path, ["name", "id"]) == [(2, ("An", "1"))]


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    # The header is row 1; a record spanning two lines is one row; a blank line is a row.
    path = tmp_path / "a.csv"
    path.write_text('id,note\n1,"two\nlines"\n\n3,plain\n4,x\n', "utf-8")
    assert rows(path, ["id"]) == [(2, ("1",)), (4, ("3",)), (5, ("4",))]


def test_rows_with_the_wrong_number_of_fields_are_reported(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n1,2,3\n1\n4,5\n", "utf-8")
    assert rows(path, ["a", "b"]) == [
        (2, ("1", "2")),
        (3, "too many fields"),
        (4, "too few fields"),
        (5, ("4", "5")),
    ]


def test_a_stray_quote_breaks_its_row_only(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('a,b\n"x"y,2\n3,4\n', "utf-8")
    assert rows(path, ["a", "b"]) == [(2, "misplaced quote"), (3, ("3", "4"))]


def test_a_row_with_bytes_that_are_not_utf8_is_reported_alone(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("a,b\nVụ,1\n".encode() + b"x\xff,2\n" + "Cục,3\n".encode())
    assert rows(path, ["a", "b"]) == [(2, ("Vụ", "1")), (3, "not UTF-8 text"), (4, ("Cục", "3"))]


def test_values_are_kept_exactly_as_written(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('a,b\n" x ",Normal\n', "utf-8")
    assert rows(path, ["a", "b"]) == [(2, (" x ", "Normal"))]


def test_an_empty_file_and_a_missing_file_are_source_errors(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", "utf-8")
    with pytest.raises(SourceError, match="empty"):
        CsvReader().columns(path)
    with pytest.raises(SourceError, match="cannot open"):
        CsvReader().columns(tmp_path / "missing.csv")
