"""The Markdown report, parsed back: its figures are the JSON's."""

from __future__ import annotations

import re

from conftest import SEED_PLAN

from vpcp_indicators import Engine, RenderOptions


def parse_tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table of a text, as rows keyed by header."""
    tables, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if (
            line.startswith("| ")
            and i + 1 < len(lines)
            and re.fullmatch(r"\|( -+:? \|)+", lines[i + 1])
        ):
            header = [c.strip() for c in line.strip("|").split(" | ")]
            rows = []
            for row in lines[i + 2 :]:
                if not row.startswith("|"):
                    break
                cells = re.split(r"(?<!\\) \| ", row.strip()[2:-2])
                rows.append(dict(zip(header, [c.replace("\\|", "|") for c in cells], strict=True)))
            tables.append(rows)
    return tables


def test_every_figure_of_the_markdown_matches_the_json(seed_report):
    engine = Engine()
    text = engine.render(seed_report, "markdown", RenderOptions(lang="en"))
    data = seed_report.to_dict()
    tables = parse_tables(text)
    plan_rows = tables[0]
    assert [r["Date"] for r in plan_rows] == [e["as_of"] for e in data["evaluations"]]
    assert [float(r["Plan score"]) for r in plan_rows] == [
        round(e["score"], 1) for e in data["evaluations"]
    ]
    figures = [t for t in tables if t and "Numerator" in t[0] and "Expected" in t[0]]
    assert len(figures) == len(data["plan"]["indicators"])
    for n, table in enumerate(figures):
        for evaluation, row in zip(data["evaluations"], table, strict=True):
            found = evaluation["indicators"][n]
            assert row["Date"] == evaluation["as_of"]
            for column, key in (("Numerator", "numerator"), ("Denominator", "denominator")):
                count = found[key]
                assert row[column].replace(",", "") == ("-" if count is None else str(count))
            assert float(row["Value"].rstrip("%")) == round(found["value"] * 100, 1)
            assert float(row["Expected"].rstrip("%")) == round(found["expected"] * 100, 1)
            assert float(row["Score"]) == round(found["score"], 1)
            assert row["Status"].split(" ", 1)[1] == found["status"].replace("_", " ")


def test_markdown_breakdowns_and_projects(seed_report):
    text = Engine().render(seed_report, "markdown", RenderOptions(lang="en"))
    latest = seed_report.to_dict()["evaluations"][-1]
    tables = parse_tables(text)
    breakdowns = [t for t in tables if t and "Group" in t[0]]
    expected = [i for i in latest["indicators"] if i["breakdown"]]
    assert len(breakdowns) == len(expected)
    for table, found in zip(breakdowns, expected, strict=True):
        assert [(r["Group"], int(r["Numerator"].replace(",", ""))) for r in table] == [
            (g["group"], g["numerator"]) for g in found["breakdown"]
        ]
    projects = [t for t in tables if t and "Lead unit" in t[0]]
    assert [len(t) for t in projects] == [6, 8]
    assert "Left out: 90 secret documents" in text


def test_a_pipe_in_a_title_stays_in_its_cell(tmp_path):
    from vpcp_indicators.formats.markdown import markdown_table

    (row,) = parse_tables("\n".join(markdown_table(["A", "B"], [["x | y", "z"]])))[0:1]
    assert row == [{"A": "x | y", "B": "z"}]
    assert SEED_PLAN.exists()
