"""The CSV output, read back with a CSV reader: the JSON's figures, to the last digit."""

from __future__ import annotations

import csv
import io

from conftest import ONE_MEETING, indicator

from vpcp_indicators import Engine, RenderOptions


def test_every_figure_of_the_csv_matches_the_json(seed_report):
    text = Engine().render(seed_report, "csv", RenderOptions(lang="en"))
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = [
        (e["as_of"], i) for e in seed_report.to_dict()["evaluations"] for i in e["indicators"]
    ]
    assert len(rows) == len(expected)
    for row, (as_of, found) in zip(rows, expected, strict=True):
        assert (row["Date"], row["Indicator"], row["Task"]) == (as_of, found["id"], found["task"])
        for column, key in (
            ("Value", "value"),
            ("Expected", "expected"),
            ("Score", "score"),
            ("Target", "target"),
        ):
            assert float(row[column]) == found[key]
        # A kind that gives a value alone (reported_value) leaves the counts empty.
        assert (int(row["Numerator"]) if row["Numerator"] else None) == found["numerator"]
        assert (int(row["Denominator"]) if row["Denominator"] else None) == found["denominator"]
        assert row["Status"] == found["status"].replace("_", " ")
        assert row["Window start"] == found["window"]["start"]
        assert int(row["Rows with data warnings"]) == sum(w["count"] for w in found["warnings"])


def test_the_csv_speaks_vietnamese_and_keeps_numbers_as_numbers(seed_report):
    text = Engine().render(seed_report, "csv", RenderOptions(lang="vi"))
    header, first = list(csv.reader(io.StringIO(text)))[:2]
    assert header[:3] == ["Ngày", "Chỉ tiêu", "Nhiệm vụ"]
    assert float(first[header.index("Giá trị")]) == seed_report.evaluations[0].indicators[0].value


def test_text_a_spreadsheet_would_run_is_kept_as_text(evaluate_plan):
    title = '=HYPERLINK("http://x","y")'
    item = indicator("online_meeting_coverage", {"meetings": "m.csv"}, title=title)
    report = evaluate_plan([item], {"m.csv": ONE_MEETING}, ["2012-12-31"])
    rows = list(
        csv.DictReader(io.StringIO(Engine().render(report, "csv", RenderOptions(lang="en"))))
    )
    assert rows[0]["Title"] == '\'=HYPERLINK("http://x","y")'
