"""JSON Lines sources: keys as columns, values as text, broken lines."""

from __future__ import annotations

import pytest

from vpcp_indicators import SourceError
from vpcp_indicators.sources.jsonl import JsonLinesReader


def test_columns_are_the_keys_of_the_first_records_in_the_order_seen(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('\n{"b": 1, "a": "x"}\nnot json\n{"c": 2, "a": 3}\n', "utf-8")
    assert JsonLinesReader().columns(path) == ["b", "a", "c"]


def test_only_the_first_thousand_records_are_looked_at_for_columns(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n' * 1000 + '{"late": 2}\n', "utf-8")
    assert JsonLinesReader().columns(path) == ["a"]


def test_values_become_text_and_null_or_missing_is_no_value(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"a": "Vụ", "b": 12, "c": null}\n'
        "\n"
        '{"a": true, "b": 1.5}\n'
        "not json\n"
        "[1, 2]\n"
        '{"a": "x", "b": ["y"]}\n',
        "utf-8",
    )
    # Rows are lines; the blank line 2 is skipped.
    assert list(JsonLinesReader().rows(path, ["a", "b", "c"])) == [
        (1, ("Vụ", "12", "")),
        (3, ("true", "1.5", "")),
        (4, "not valid JSON"),
        (5, "not a JSON object"),
        (6, "a value is an array or an object"),
    ]


def test_numbers_are_taken_in_shortest_form_and_nan_is_not_json(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1.50, "b": 1e3}\n{"a": NaN, "b": 1}\n', "utf-8")
    assert list(JsonLinesReader().rows(path, ["a", "b"])) == [
        (1, ("1.5", "1000.0")),
        (2, "not valid JSON"),
    ]


def test_a_file_without_records_is_a_source_error(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n\n", "utf-8")
    with pytest.raises(SourceError, match="no record"):
        JsonLinesReader().columns(path)


def read(tmp_path, data: bytes, columns=("a",)):
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    return list(JsonLinesReader().rows(path, list(columns)))


def test_only_json_whitespace_makes_a_blank_line(tmp_path):
    # Space, tab and CR are JSON's whitespace; a form feed is not, and breaks the line.
    assert read(tmp_path, b'{"a": "x"}\n\t\n \r\n\x0c\n{"a": "y"}\r\n') == [
        (1, ("x",)),
        (4, "not valid JSON"),
        (5, ("y",)),
    ]


def test_a_byte_order_mark_is_skipped_at_the_start_only(tmp_path):
    data = b'\xef\xbb\xbf{"a": "x"}\n\xef\xbb\xbf{"a": "y"}\n'
    assert read(tmp_path, data) == [(1, ("x",)), (2, "not valid JSON")]


def test_a_utf16_file_is_refused_whole(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes('{"a": "x"}\n'.encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-16 or UTF-32"):
        JsonLinesReader().columns(path)


def test_a_key_given_twice_makes_the_row_unreadable(tmp_path):
    # First wins in some parsers, last in others: the figure would depend on the reader.
    assert read(tmp_path, b'{"a": "x", "a": "y"}\n{"b": {"c": 1, "c": 2}, "a": "z"}\n') == [
        (1, "a key appears twice"),
        (2, "a key appears twice"),
    ]


def test_strings_must_be_text_and_numbers_must_fit_a_double(tmp_path):
    data = (
        b'{"a": "\\ud800"}\n'  # a surrogate that pairs with nothing
        b'{"a": "\\ud83d\\ude00"}\n'  # a pair: one character
        b'{"a": 1e999}\n'
        b'{"a": -Infinity}\n'
        b'{"a": 12345678901234567890}\n'
        b'{"a": "\xff"}\n'
    )
    assert read(tmp_path, data) == [
        (1, "not valid JSON"),
        (2, ("\U0001f600",)),
        (3, "not valid JSON"),
        (4, "not valid JSON"),
        (5, ("12345678901234567890",)),
        (6, "not UTF-8 text"),
    ]


def test_a_cr_inside_a_line_is_whitespace_between_tokens_but_not_in_a_string(tmp_path):
    data = b'{"a":\r "x"}\n{"a": "x\ry"}\n'
    assert read(tmp_path, data) == [(1, ("x",)), (2, "not valid JSON")]


def test_nesting_deeper_than_the_limit_breaks_the_line_whatever_the_stack(tmp_path):
    def nested(depth):
        return b'{"a": "x", "n": ' + b"[" * depth + b"]" * depth + b"}\n"

    # 511 arrays inside the record's object are 512 levels: the limit, still read.
    assert read(tmp_path, nested(511) + nested(512) + nested(100_000)) == [
        (1, ("x",)),
        (2, "not valid JSON"),
        (3, "not valid JSON"),
    ]
