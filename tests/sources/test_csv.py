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


def test_a_trailing_delimiter_is_a_field_too_many(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n3,4,\n5,6\n", "utf-8")
    assert rows(path, ["a", "b"]) == [(2, ("1", "2")), (3, "too many fields"), (4, ("5", "6"))]


def test_line_ends_are_lf_crlf_or_cr_outside_quotes(tmp_path):
    # A CR alone ends a row too, wherever it stands outside quotes; inside quotes it is kept.
    path = tmp_path / "a.csv"
    path.write_bytes(b'a,b\r\n1,2\n3,4\r5,"x\ry"\r\n6,x\ry\n')
    assert rows(path, ["a", "b"]) == [
        (2, ("1", "2")),
        (3, ("3", "4")),
        (4, ("5", "x\ry")),
        (5, ("6", "x")),
        (6, "too few fields"),
    ]


def test_a_field_may_hold_131072_characters_and_no_more(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"a,b\n1,{'x' * 131_072}\n2,{'y' * 131_073}\n3,z\n", "utf-8")
    found = rows(path, ["a"])
    assert found == [
        (2, ("1",)),
        (3, "a field is longer than 131072 characters"),
        (4, ("3",)),
    ]


def test_bytes_that_are_not_utf8_matter_only_in_the_columns_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b,note\n1,x,\xff\n2,\xfe,ok\n3,y,z\n")
    assert rows(path, ["b", "a"]) == [(2, ("x", "1")), (3, "not UTF-8 text"), (4, ("y", "3"))]


def test_a_quote_counts_only_at_the_start_of_a_field(tmp_path):
    # Spaces before an opening quote make the quote part of the value; after a closing
    # quote, only a delimiter or a line end may come.
    path = tmp_path / "a.csv"
    path.write_text('a,b\n1, "x"\n2,x"y\n3,"x" \n4,"a ""b"""\n', "utf-8")
    assert rows(path, ["a", "b"]) == [
        (2, ("1", ' "x"')),
        (3, ("2", 'x"y')),
        (4, "misplaced quote"),
        (5, ("4", 'a "b"')),
    ]


def test_a_header_is_read_as_strictly_as_the_rows(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('"a"b,c\n1,2\n', "utf-8")
    with pytest.raises(SourceError, match=r"a\.csv:1: the header row cannot be read \(misplaced"):
        CsvReader().columns(path)


def test_a_header_naming_a_column_twice_is_refused_by_position(tmp_path):
    # Case matters: issuer and ISSUER are two columns; a name given twice is refused, and
    # the message names the positions, not what the file holds.
    path = tmp_path / "a.csv"
    path.write_text("issuer,ISSUER,x,issuer\n1,2,3,4\n", "utf-8")
    with pytest.raises(SourceError) as raised:
        CsvReader().columns(path)
    assert raised.value.lines() == [
        f"{path}:1: the header row gives one name to several columns (columns 1, 4)"
    ]
    path.write_text("issuer,ISSUER\n1,2\n", "utf-8")
    assert rows(path, ["ISSUER", "issuer"]) == [(2, ("2", "1"))]
