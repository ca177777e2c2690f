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
