"""Units of an organisation in every output: the tree, the records not in it, the least
healthy units and the indicator holding each task back, in JSON, the table, Markdown, HTML and
``explain``, in both languages; ``evaluate --unit`` on the command line, under ``--strict``,
in the provenance and in ``verify``.

The records and their hand-computed figures are those of ``test_units.py``: on 2012-12-31,
G 7/14 (own 1/2), M1 3/8 (own 2/2), D1 1/4, D2 0/2, M2 3/4 (own 0/1), D3 3/3; X, not in the
tree, 1/2; the indicator 8/16.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner
from conftest import indicator, plan_text, write_csv
from test_units import DAY, UNITS, signatures, staff_rows

from vpcp_indicators import Engine, RenderOptions, load_plan
from vpcp_indicators.cli import cli
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.i18n import language


@pytest.fixture
def plan(tmp_path):
    write_csv(tmp_path / "staff.csv", staff_rows())
    path = tmp_path / "plan.toml"
    due = [{"by": "2012-12-31", "value": 1.0}]
    indicators = [signatures(), signatures("heavy", targets=due, weight=3)]
    path.write_text(plan_text(indicators, units=UNITS), "utf-8")
    return path


def render(path, format, lang="en", **options):
    engine = Engine(cache=None)
    report = engine.evaluate(path, [DAY], **options)
    return engine.render(report, format, RenderOptions(lang=lang))


def test_the_table_shows_the_tree_indented_with_own_records_and_what_is_outside(plan):
    text = render(plan, "table")
    section = text[text.index("  sig by unit:") : text.index("  heavy by unit:")]
    rows = [re.sub(r"\s+", " ", line.strip()) for line in section.splitlines()[1:]]
    assert rows == [
        "Government Office 50.0% (7/14) own 1/2",
        "Ministry one 37.5% (3/8) own 2/2",
        "Department 1a 25.0% (1/4)",
        "Department 1b 0.0% (0/2)",
        "Ministry two 75.0% (3/4) own 0/1",
        "Department 3 100.0% (3/3)",
        "not in the tree: X 50.0% (1/2)",
    ]
    indents = [len(line) - len(line.lstrip()) for line in section.splitlines()[1:]]
    assert indents == [4, 6, 8, 8, 6, 8, 4]


def test_the_tables_notes_count_records_not_in_the_tree_as_records_not_rows(plan):
    [sig] = [line for line in render(plan, "table").splitlines() if line.startswith("sig ")]
    assert sig.endswith("  2 records not in the tree")
    assert "data warnings" not in sig  # no row was skipped
    [vi] = [line for line in render(plan, "table", "vi").splitlines() if line.startswith("sig ")]
    assert vi.endswith("  2 bản ghi ngoài cây đơn vị")


def test_the_table_names_the_least_healthy_and_what_holds_each_task_back(plan):
    text = render(plan, "table")
    section = text[text.index("Least healthy on 2012-12-31:") :]
    assert "  T1: held back most by heavy (+37.5 points if it scored 100)" in section
    assert (
        "  sig: Department 1b 0.0% (0/2) · Department 1a 25.0% (1/4) · "
        "Ministry one 37.5% (3/8)" in section
    )


def test_the_table_in_vietnamese(plan):
    text = render(plan, "table", lang="vi")
    assert "  sig theo unit:" in text
    assert "ngoài cây đơn vị: X" in text
    assert "riêng 1/2" in text
    assert "Yếu nhất ngày 31/12/2012:" in text
    assert "  T1: bị kéo xuống nhiều nhất bởi heavy (+37,5 điểm nếu chỉ tiêu này đạt 100)" in text
    assert '2 bản ghi được tính vào "ngoài cây đơn vị"' in text


def _markdown_table(text, header):
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip(" ") for cell in line.strip("|").split("|")])
    return rows


def test_markdown_gives_the_tree_as_a_table_indented_by_em_spaces(plan):
    text = render(plan, "markdown")
    rows = _markdown_table(text, "Organisation unit")
    assert rows[:3] == [
        ["Government Office", "7", "14", "50.0%", "1/2"],
        ["\u2003Ministry one", "3", "8", "37.5%", "2/2"],
        ["\u2003\u2003Department 1a", "1", "4", "25.0%", ""],
    ]
    assert rows[-1] == ["not in the tree: X", "1", "2", "50.0%", ""]
    assert "Least healthy units: Department 1b 0.0% (0/2) · Department 1a 25.0% (1/4)" in text
    assert "- T1: held back most by heavy (+37.5 points if it scored 100)" in text


def test_markdown_in_vietnamese_names_its_columns(plan):
    text = render(plan, "markdown", lang="vi")
    assert _markdown_table(text, "Đơn vị")[0] == ["Government Office", "7", "14", "50,0 %", "1/2"]
    assert "| Đơn vị | Tử số | Mẫu số | Giá trị | Riêng đơn vị |" in text


def test_html_gives_the_tree_with_ids_on_hover_and_the_least_healthy_marked(plan):
    page = render(plan, "html")
    table = page[page.index('<table class="breakdown units">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr class="([^"]*)"><td style="padding-left: (\d+)pt"([^>]*)>(.*?)</td>'
                      r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', table)  # fmt: skip
    assert [(c, int(p), html.unescape(n), int(a), int(b)) for c, p, _, n, a, b in rows] == [
        ("depth-0", 4, "Government Office", 7, 14),
        ("depth-1 least", 18, "Ministry one", 3, 8),
        ("depth-2 least", 32, "Department 1a", 1, 4),
        ("depth-2 least", 32, "Department 1b", 0, 2),
        ("depth-1", 18, "Ministry two", 3, 4),
        ("depth-2", 32, "Department 3", 3, 3),
        ("depth-0 outside", 4, "<em>not in the tree: X</em>", 1, 2),
    ]
    assert 'title="M1"' in table
    assert "held back most by heavy (+37.5 points if it scored 100)" in page


def test_a_report_seen_from_a_unit_says_so_in_every_format(plan):
    seen = "Seen from Ministry one (M1): the records of this unit and of the units below it."
    for format in ("table", "markdown", "html"):
        assert seen in html.unescape(render(plan, format, unit="M1")), format
    vi = "Nhìn từ Ministry one (M1): các bản ghi của đơn vị này và của các đơn vị trực thuộc."
    assert vi in render(plan, "table", lang="vi", unit="M1")


def test_explain_retraces_each_units_sums(plan):
    found = explain(Engine(cache=None), load_plan(plan), "sig", DAY)
    text = render_explanation(found, language("en"))
    steps = text[text.index("10. Units, by unit:") :].splitlines()
    assert steps[1:8] == [
        "   Government Office: (1 + 3 + 3) ÷ (2 + 8 + 4) = 7/14 = 50.0%",
        "     Ministry one: (2 + 1 + 0) ÷ (2 + 4 + 2) = 3/8 = 37.5%",
        "       Department 1a: 1/4 = 25.0%",
        "       Department 1b: 0/2 = 0.0%",
        "     Ministry two: (0 + 3) ÷ (1 + 3) = 3/4 = 75.0%",
        "       Department 3: 3/3 = 100.0%",
        "   Not in the tree (X): 1/2, counted in the indicator's figures, with a data warning.",
    ]
    assert steps[8].startswith("   Least healthy units: Department 1b 0.0% (0/2)")
    vi = render_explanation(found, language("vi"))
    assert "10. Đơn vị, theo unit:" in vi
    assert "   Ngoài cây đơn vị (X): 1/2" in vi


# -- the command line -----------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_evaluate_unit_on_the_command_line_gives_the_units_figures(plan, cli_env):
    done = run("evaluate", plan, "--as-of", DAY, "--unit", "M2", "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["unit"] == {"id": "M2", "left_out": []}
    found = data["evaluations"][0]["indicators"][0]
    assert (found["numerator"], found["denominator"], found["value"]) == (3, 4, 0.75)
    assert [u["unit"] for u in found["units"]["tree"]] == ["M2"]
    assert data["provenance"]["options"]["unit"] == "M2"
    assert [u["id"] for u in data["plan"]["units"]] == ["M2", "D3"]


def test_an_unknown_unit_is_one_line_and_exit_2(plan, cli_env):
    done = run("evaluate", plan, "--as-of", DAY, "--unit", "Z", "--lang", "en")
    assert done.exit_code == 2
    # A usage error, told before anything is read (the library says it as a plan error).
    assert done.stderr.splitlines() == [
        "error: Invalid value for --unit: the plan has no unit 'Z' (units: G, M1, D1, D2, M2, D3)"
    ]


def test_strict_refuses_records_not_in_the_tree(plan, cli_env):
    done = run("evaluate", plan, "--as-of", DAY, "--strict", "--lang", "en")
    assert done.exit_code == 2
    assert done.stderr.strip().endswith(
        "staff.csv: 2 records counted under \"not in the tree\": 'unit' names a unit that is "
        "not in the plan's tree (2 rows with data warnings; strict)"
    )
    # Seen from a unit, the other units' records are not its records: nothing to refuse.
    assert run("evaluate", plan, "--as-of", DAY, "--strict", "--unit", "M1").exit_code == 0


def test_verify_evaluates_from_the_same_unit_again(plan, tmp_path, cli_env):
    report = tmp_path / "report.json"
    done = run("evaluate", plan, "--as-of", DAY, "--unit", "M1", "--format", "json", "-o", report)
    assert done.exit_code == 0, done.output
    checked = run("verify", report, "--lang", "en")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == f"{report}: every figure is the same (1 date, 2 indicators)\n"


def test_every_format_names_the_indicators_a_units_view_leaves_out(tmp_path):
    write_csv(tmp_path / "staff.csv", staff_rows())
    write_csv(
        tmp_path / "meetings.csv",
        "meeting_id,held_on,chair,counterpart_kind,mode\n"
        "M1,2012-02-01,prime_minister,ministry,online\n",
    )
    meetings = indicator("online_meeting_coverage", {"meetings": "meetings.csv"}, id="meet")
    path = tmp_path / "plan.toml"
    path.write_text(plan_text([signatures(), meetings], units=UNITS), "utf-8")
    for format in ("table", "markdown", "html"):
        text = html.unescape(render(path, format, unit="M1"))
        assert "Left out, not broken down by unit: meet." in text, format
    vi = render(path, "table", lang="vi", unit="M1")
    assert "Không tính, vì không phân tách theo đơn vị: meet." in vi
