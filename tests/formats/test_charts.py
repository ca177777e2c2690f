"""The charts' geometry, against coordinates worked out by hand: dates drawn where they fall,
years named over their own stretch, round ticks, and labels that cover nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from conftest import SEED_PLAN, plan_text
from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators import Engine
from vpcp_indicators.formats.chart_layout import (
    Box,
    Frame,
    Label,
    label_box,
    place_labels,
    round_ticks,
    year_bands,
)
from vpcp_indicators.formats.charts import timeline_chart
from vpcp_indicators.i18n import language

# The plan period of the seed plan: 1825 days across 558 units (640 wide, 48 and 34 of
# margins), values from 0 (y = 196) to 100 % (y = 26).
FRAME = Frame(dt.date(2011, 1, 1), dt.date(2015, 12, 31), 1.0)


def test_a_value_is_drawn_at_its_own_date():
    # 31/12/2011 is day 364: 48 + 558 × 364 / 1825; 1/1/2012 is day 365, 48 + 111.6.
    assert FRAME.x(dt.date(2011, 12, 31)) == pytest.approx(159.2942, abs=1e-4)
    assert FRAME.x(dt.date(2012, 1, 1)) == pytest.approx(159.6)
    assert FRAME.x(dt.date(2015, 12, 31)) == pytest.approx(606)
    assert FRAME.y(0.5) == pytest.approx(111) and FRAME.y(1.0) == 26 and FRAME.y(2.0) == 26


def test_each_year_is_named_over_its_own_stretch():
    bands = year_bands(FRAME)
    assert [b.year for b in bands] == [2011, 2012, 2013, 2014, 2015]
    # 2012 runs from day 365 to day 731 (2012 has 366 days): 159.6 to 48 + 558 × 731 / 1825.
    assert (bands[1].x0, bands[1].x1) == pytest.approx((159.6, 271.5058), abs=1e-4)
    assert bands[1].middle == pytest.approx(215.5529, abs=1e-4)
    assert all(b.labelled for b in bands)
    # The value of 31/12/2011 is in 2011's stretch, left of where "2012" is written.
    end_of_2011 = FRAME.x(dt.date(2011, 12, 31))
    assert bands[0].x0 <= end_of_2011 < bands[0].x1
    assert not label_box("2012", bands[1].middle, 210, "middle").left <= end_of_2011


def test_many_years_name_every_few():
    frame = Frame(dt.date(1990, 1, 1), dt.date(2049, 12, 31), 1.0)
    named = [b.year for b in year_bands(frame) if b.labelled]
    # A year is 558 × 365 / 21914 = 9.3 units, a name 4 × 7.2 + 8 = 36.8: every 4th year.
    assert named == list(range(1990, 2050, 4))


@pytest.mark.parametrize(
    ("highest", "ticks", "decimals"),
    [
        (37, [0, 10, 20, 30, 40], 0),
        (137, [0, 50, 100, 150], 0),
        (1, [0, 0.25, 0.5, 0.75, 1], 2),
        (0.034, [0, 0.01, 0.02, 0.03, 0.04], 2),
        (2.5, [0, 1, 2, 3], 0),
        (0, [0, 0.25, 0.5, 0.75, 1], 2),
    ],
)
def test_ticks_are_round(highest, ticks, decimals):
    assert round_ticks(highest) == (ticks, decimals)


def test_a_label_that_would_cover_a_target_goes_below_its_point():
    # "95,3 %" is 3 digits (7.2 each), a comma and a space (4.2 each) and % (10): 40 wide.
    # Above its point at (100, 100), its baseline is at 90 and it fills 79..121 by 79..93.
    assert label_box("95,3 %", 100, 90, "middle") == Box(79, 79, 121, 93)
    diamond = Box(93, 83, 107, 97)  # a target just above the point
    placed = place_labels([(100, 100, "95,3 %")], [diamond], Box(48, 0, 640, 196))
    assert placed == [Label("95,3 %", 100, 120, "middle")]  # below: 79..121 by 109..123


def test_a_label_with_no_free_place_is_left_out():
    walls = [Box(0, 0, 640, 95), Box(0, 105, 640, 230), Box(0, 0, 99, 230), Box(101, 0, 640, 230)]
    assert place_labels([(100, 100, "1")], walls, Box(0, 0, 640, 230)) == [None]


points = st.lists(
    st.tuples(
        st.floats(48, 606), st.floats(26, 196), st.sampled_from(["0,0 %", "100,0 %", "36,50"])
    ),
    max_size=12,
)
boxes = st.lists(
    st.tuples(st.floats(48, 600), st.floats(20, 190)).map(
        lambda p: Box(p[0] - 7, p[1] - 7, p[0] + 7, p[1] + 7)
    ),
    max_size=6,
)


@given(points, boxes)
def test_labels_never_cover_an_obstacle_or_each_other(points, obstacles):
    area = Box(48, 0, 640, 196)
    placed = [label.box for label in place_labels(points, obstacles, area) if label]
    assert all(box.within(area) for box in placed)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(placed, 2))
    assert not any(a.overlaps(b) for a in placed for b in obstacles)


def _number_plan(tmp_path):
    reports = ", ".join(
        f'{{ reported_on = {day}, value = {value}, unit = "servers", reporter = "IT" }}'
        for day, value in [("2011-12-31", 12), ("2013-12-31", 30), ("2015-12-31", 36.5)]
    )
    text = plan_text(
        [
            {
                "id": "servers",
                "task": "T1",
                "kind": "reported_value",
                "title": "Servers",
                "unit": "number",
                "targets": [{"by": dt.date(2015, 12, 31), "value": 37}],
            }
        ]
    )
    text += f"[indicators.params]\nvalues = [{reports}]\n"
    (tmp_path / "plan.toml").write_text(text, "utf-8")
    return tmp_path / "plan.toml"


def _texts(svg: str, cls: str) -> list[str]:
    return re.findall(rf'<text class="{cls}"[^>]*>([^<]*)</text>', svg)


def test_a_number_gets_round_ticks_and_its_unit(tmp_path):
    dates = [dt.date(2011, 12, 31), dt.date(2013, 12, 31), dt.date(2015, 12, 31)]
    report = Engine().evaluate(_number_plan(tmp_path), dates)
    (indicator,) = report.plan.indicators
    svg = timeline_chart(indicator, report, language("en"))
    assert _texts(svg, "axis") == ["0", "10", "20", "30", "40"]
    assert _texts(svg, "axis unit") == ["number"]
    assert _texts(timeline_chart(indicator, report, language("vi")), "axis unit") == ["giá trị số"]
    # 36.5 of 40 is drawn at 196 − 170 × 36.5 / 40 = 40.875, on 31/12/2015 at 606.
    assert '<circle cx="606.0" cy="40.9" r="5"/>' in svg


def test_the_seed_charts_labels_cover_no_target_dot_or_label(seed_report):
    for indicator in seed_report.plan.indicators:
        svg = timeline_chart(indicator, seed_report, language("vi"))
        labels = [
            label_box(text, float(x), float(y), anchor)
            for x, y, anchor, text in re.findall(
                r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">([^<]*)</text>', svg
            )
        ]
        targets = [
            Box(float(x) - 7, float(y) - 1, float(x) + 7, float(y) + 13)
            for x, y in re.findall(r'd="M([\d.]+),([\d.]+) l6,6', svg)
        ]
        dots = [
            Box(float(x) - 6, float(y) - 6, float(x) + 6, float(y) + 6)
            for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
        ]
        assert len(labels) == len(dots) == 5, indicator.id
        assert not any(a.overlaps(b) for a, b in itertools.combinations(labels, 2))
        assert not any(a.overlaps(b) for a in labels for b in targets + dots)


def test_the_seed_plans_first_value_is_at_the_end_of_2011(seed_report):
    indicator = seed_report.plan.indicators[0]
    svg = timeline_chart(indicator, seed_report, language("en"))
    assert '<circle cx="159.3" cy="153.5" r="5"/>' in svg  # 25 % on 31/12/2011
    assert '<text class="axis year" x="103.8" y="210" text-anchor="middle">2011</text>' in svg
    assert '<text class="axis year" x="215.6" y="210" text-anchor="middle">2012</text>' in svg
    assert SEED_PLAN.exists()
