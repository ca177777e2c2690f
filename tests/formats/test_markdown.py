"""The Markdown report, parsed back: its figures are the JSON's."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from conftest import ONE_MEETING, SEED_PLAN, indicator
from hostile import CONTROL, write_hostile_plan

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
    expected = [i for i in latest["indicators"] if i["breakdown"] and "units" not in i]
    assert len(breakdowns) == len(expected)
    for table, found in zip(breakdowns, expected, strict=True):
        assert [(r["Group"], int(r["Numerator"].replace(",", ""))) for r in table] == [
            (g["group"], g["numerator"]) for g in found["breakdown"]
        ]
    # A breakdown tied to the units is its tree instead: each unit's title indented by its
    # depth (an em space a level), with the sums under it, parents first.
    trees = [t for t in tables if t and "Organisation unit" in t[0]]
    tied = [i for i in latest["indicators"] if "units" in i]
    assert [i["id"] for i in tied] == ["digital-signatures", "it-training"]

    def walk(node, depth=0):
        yield depth, node
        for child in node["children"]:
            yield from walk(child, depth + 1)

    for table, found in zip(trees, tied, strict=True):
        units = [pair for root in found["units"]["tree"] for pair in walk(root)]
        assert [
            (r["Organisation unit"], int(r["Numerator"]), int(r["Denominator"])) for r in table
        ] == [("\u2003" * d + u["title"], u["numerator"], u["denominator"]) for d, u in units]
    projects = [t for t in tables if t and "Lead unit" in t[0]]
    assert [len(t) for t in projects] == [6, 8]
    assert "\n90 secret documents left out\n" in text


def test_a_pipe_in_a_title_stays_in_its_cell(tmp_path):
    from vpcp_indicators.formats.markdown import markdown_table

    (row,) = parse_tables("\n".join(markdown_table(["A", "B"], [["x | y", "z"]])))[0:1]
    assert row == [{"A": "x | y", "B": "z"}]
    assert SEED_PLAN.exists()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("![pic](http://x.example/a.png)", "!\\[pic\\](http\\://x.example/a.png)"),
        ("[click](https://x.example)", "\\[click\\](https\\://x.example)"),
        ("<https://x.example> <a@b.example>", "\\<https\\://x.example> \\<a@b.example>"),
        ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
        ("see www.x.example or HTTP://x", "see www\\.x.example or HTTP\\://x"),
        ("a|b\\|c", "a\\|b\\\\\\|c"),
        ("one\r\ntwo\nthree\rfour", "one two three four"),
        (
            "*bold* _it_ `code` ~~gone~~ &amp; #1",
            "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ \\&amp; \\#1",
        ),
        ("prime_minister state_group_2", "prime_minister state_group_2"),
        ("\x1b[31mred\x9b\u202e", "\\\\x1b\\[31mred\\\\x9b\\\\u202e"),
        ("Ứng dụng CNTT (giai đoạn 1) - 70,5 %", "Ứng dụng CNTT (giai đoạn 1) - 70,5 %"),
    ],
)
def test_text_from_a_plan_or_records_is_markup_to_no_one(text, written):
    from vpcp_indicators.formats.markdown import markdown_text

    assert markdown_text(text) == written


@pytest.fixture
def hostile_markdown(tmp_path):
    report = Engine().evaluate(write_hostile_plan(tmp_path), [dt.date(2012, 12, 31)])
    return Engine().render(report, "markdown", RenderOptions(lang="en"))


def test_a_hostile_plan_and_records_are_written_as_text(hostile_markdown):
    lines = hostile_markdown.splitlines()
    assert lines[0] == "# Plan \\\\x1b\\[2J\\\\x1b\\[Hcleared"
    assert (
        "### !\\[pic\\](http\\://evil.example/x.png) \\[click\\](http\\://evil.example) "
        "\\<script>alert(1)\\</script> \\<http\\://evil.example> a\\|b next "
        "\\\\x1b\\]0;owned\\\\x07 \\\\x08"
    ) in lines
    assert (
        "| \\[grp\\](http\\://evil.example)\\\\x1b\\[5m\\|\\<b>x\\</b>\\\\x9b | 1 | 1 | 100.0% |"
    ) in lines
    assert CONTROL.findall(hostile_markdown.replace("\n", "")) == []


def test_github_renders_a_hostile_plan_and_records_as_text(hostile_markdown):
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    page = cmarkgfm.github_flavored_markdown_to_html(
        hostile_markdown, options=Options.CMARK_OPT_UNSAFE
    )
    tags = set(re.findall(r"</?([a-z0-9]+)", page))
    assert tags <= {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td"}
    assert (
        "<h3>![pic](http://evil.example/x.png) [click](http://evil.example) "
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;http://evil.example&gt; a|b next "
        "\\x1b]0;owned\\x07 \\x08</h3>"
    ) in page
    assert "<td>[grp](http://evil.example)\\x1b[5m|&lt;b&gt;x&lt;/b&gt;\\x9b</td>" in page


IDS = ["- item", "+ item", "1. first", "2) second", "> quote", "# head", "=== x", "    code"]


def test_an_id_that_starts_a_line_does_not_start_a_block(evaluate_plan):
    items = [indicator("online_meeting_coverage", {"meetings": "m.csv"}, id=name) for name in IDS]
    report = evaluate_plan(items, {"m.csv": ONE_MEETING}, ["2012-12-31"])
    text = Engine().render(report, "markdown", RenderOptions(lang="en"))
    starts = [line.split(" · task ")[0] for line in text.splitlines() if " · task T1 · " in line]
    assert starts == ["\\- item", "\\+ item", "1\\. first", "2\\) second", "\\> quote",
                      "\\# head", "\\=== x", "code"]  # fmt: skip
    cmarkgfm = pytest.importorskip("cmarkgfm")
    page = cmarkgfm.github_flavored_markdown_to_html(text)
    assert not re.search(r"<(ul|ol|blockquote|pre|hr|h[4-6])\b", page)
    for name in IDS:
        assert f"<p>{html.escape(name.strip(), quote=False)} · task T1 · " in page
