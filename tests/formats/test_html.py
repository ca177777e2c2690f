"""The HTML report: what it holds, that data is never run, and the page in headless Chromium.

The Chromium test renders the seed plan at five dates and a plan whose data holds HTML,
opens both in Debian's chromium, and checks the rendered page. It is skipped when chromium
is not installed, unless VPCP_REQUIRE_CHROMIUM is set (CI sets it: .ci/run installs it).
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import itertools
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators import Engine, RenderOptions

DATES = [dt.date(year, 12, 31) for year in range(2011, 2016)]
HOSTILE_TITLE = "<script>document.title='pwned'</script>Kế hoạch"
HOSTILE_GROUP = '<img src=x onerror="document.body.dataset.pwned=1">'


class Elements(HTMLParser):
    """Counts elements by tag and class, and keeps the text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(
            1
            for t, a in self.found
            if t == tag and (cls is None or cls in a.get("class", "").split())
        )


def parsed(html: str) -> Elements:
    found = Elements()
    found.feed(html)
    return found


def hostile_plan(tmp_path):
    write_csv(
        tmp_path / "m.csv",
        "meeting_id,held_on,chair,counterpart_kind,mode\n"
        f'M1,2012-02-01,prime_minister,"{HOSTILE_GROUP.replace(chr(34), chr(34) * 2)}",online\n'
        "M2,2012-03-01,prime_minister,ministry,in_person\n",
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(
        plan_text(
            [
                indicator(
                    "online_meeting_coverage",
                    {"meetings": "m.csv"},
                    params={"counterpart_kinds": [HOSTILE_GROUP, "ministry"]},
                )
            ],
            plan={"title": HOSTILE_TITLE},
        ),
        "utf-8",
    )
    return plan


def test_the_report_holds_a_card_per_task_and_per_indicator_a_chart_and_tables(seed_report):
    html = Engine().render(seed_report, "html", RenderOptions(lang="vi"))
    page = parsed(html)
    assert page.count("article", "task") == 4
    assert page.count("article", "indicator") == 7
    assert page.count("svg", "chart") == 7
    # Every kind but reported_value (a value alone) breaks its figure down.
    assert page.count("table", "breakdown") == 6
    assert page.count("table", "figures") == 7
    # Five dates: five points per chart whose indicator has values.
    assert page.count("circle") == 7 * 5
    text = " ".join(page.text)
    assert "Trung tâm Tin học" in text and "Cục Kiểm soát thủ tục hành chính" in text
    assert "74,1 %" in text and "31/12/2012" in text  # Vietnamese number and date formats
    assert "90 văn bản mật" in text
    # Status by shape and words, not colour alone.
    assert "● đúng tiến độ" in text and "▲ có nguy cơ" in text
    assert "http" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", html)


def test_data_in_the_report_is_text_not_markup(tmp_path):
    report = Engine().evaluate(hostile_plan(tmp_path), [dt.date(2012, 12, 31)])
    html = Engine().render(report, "html", RenderOptions(lang="en"))
    assert "<script>document" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("VPCP_REQUIRE_CHROMIUM"):
        pytest.fail("chromium is required (VPCP_REQUIRE_CHROMIUM is set) but not installed")
    return found


def _chromium_run(chromium: str, profile, *args: str) -> str:
    process = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return process.stdout


def test_the_report_renders_in_chromium(tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    report = Engine().evaluate(SEED_PLAN, DATES)
    page = tmp_path / "report.html"
    page.write_text(Engine().render(report, "html", RenderOptions(lang="vi")), "utf-8")
    dom = _chromium_run(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    rendered = parsed(dom)
    assert rendered.count("article", "task") == 4
    assert rendered.count("svg", "chart") == 7
    assert rendered.count("polyline", "expected") == 7
    assert rendered.count("table", "breakdown") == 6
    shot = tmp_path / "report.png"
    _chromium_run(
        chromium,
        tmp_path / "profile",
        "--window-size=1240,3508",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    assert shot.stat().st_size > 50_000


def test_hostile_data_runs_nothing_in_chromium(tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    report = Engine().evaluate(hostile_plan(tmp_path), [dt.date(2012, 12, 31)])
    page = tmp_path / "hostile.html"
    page.write_text(Engine().render(report, "html", RenderOptions(lang="en")), "utf-8")
    dom = _chromium_run(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert "data-pwned" not in dom
    assert "<title>pwned</title>" not in dom
    text = " ".join(parsed(dom).text)
    assert HOSTILE_TITLE in text  # shown, as text
    assert HOSTILE_GROUP in text


# Measures, in the browser, what each chart's labels, targets and dots cover (added to a copy
# of the page: the report itself runs no script).
MEASURE = """<script>
const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
  const boxes = (selector) => [...svg.querySelectorAll(selector)].map((e) => {
    const b = e.getBBox();
    return [b.x, b.y, b.x + b.width, b.y + b.height];
  });
  const labels = [...svg.querySelectorAll(".point text")].map((t) => [
    t.textContent, +t.getAttribute("x"), +t.getAttribute("y"), t.getAttribute("text-anchor"),
  ]);
  return {drawn: boxes(".point text"), labels, targets: boxes(".target"),
          dots: boxes(".point circle")};
});
const out = document.createElement("pre");
out.id = "measured";
out.textContent = JSON.stringify(charts);
document.body.appendChild(out);
</script>"""


def test_chart_labels_cover_nothing_in_chromium(tmp_path):
    """In the browser's own fonts: no value label covers another, a target or a dot, and
    each is within the room the layout gave it."""
    import json

    from vpcp_indicators.formats.chart_layout import Box, label_box

    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed")
    report = Engine().evaluate(SEED_PLAN, DATES)
    html = Engine().render(report, "html", RenderOptions(lang="vi"))
    page = tmp_path / "measured.html"
    page.write_text(html.replace("</body>", MEASURE + "</body>"), "utf-8")
    dom = _chromium_run(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, "the page was not measured"
    charts = json.loads(html_module.unescape(found.group(1)))
    assert len(charts) == 7

    def box(edges, grow=0.0):
        left, top, right, bottom = edges
        return Box(left - grow, top - grow, right + grow, bottom + grow)

    for chart in charts:
        drawn = [box(b) for b in chart["drawn"]]
        assert len(drawn) == 5
        for shown, (text, x, y, anchor) in zip(drawn, chart["labels"], strict=True):
            room = label_box(text, x, y, anchor)
            assert shown.within(box((room.left, room.top, room.right, room.bottom), 0.5)), text
        covered = [box(b, 0.75) for b in chart["targets"]] + [box(b) for b in chart["dots"]]
        for one, other in itertools.combinations(drawn, 2):
            assert not one.overlaps(other)
        assert not any(label.overlaps(thing) for label in drawn for thing in covered)
