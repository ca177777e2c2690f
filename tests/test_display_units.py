"""A kind may show its figure in a unit of its own, with a label and decimals ("12 days")."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import (
    Column,
    Engine,
    Kind,
    Measurement,
    RenderOptions,
    Source,
    Unit,
    hookimpl,
    report_from_dict,
)
from vpcp_indicators.i18n import language
from vpcp_indicators.units import as_unit

DAYS = Unit("days", label={"en": "days", "vi": "ngày"}, decimals=0)
CASES = Source("cases", [Column("days", type="number")])


def median_days(records, window, params):
    days = sorted(r["days"] for r in records["cases"])
    return Measurement(value=days[len(days) // 2])


class Kinds:
    @hookimpl
    def register_kinds(self, register):
        register(Kind("median_days", "Median days", [CASES], compute=median_days, unit=DAYS))
        other = Unit("days", label="d", decimals=1)
        register(Kind("other_days", "Other days", [CASES], compute=median_days, unit=other))


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [("en", 12.4, "12 days"), ("vi", 12.6, "13 ngày"), ("en", 1234.0, "1,234 days")],
)
def test_a_value_is_shown_with_its_units_decimals_and_label(code, value, shown):
    assert language(code).value(value, DAYS) == shown


def test_no_value_is_shown_without_a_label():
    assert language("en").value(None, DAYS) == "-"


def test_a_label_in_one_language_is_shown_in_every_language():
    unit = Unit("cases", label="vụ", decimals=1)
    assert language("en").value(3.25, unit) == "3.2 vụ"  # Babel rounds half to even


@pytest.mark.parametrize("decimals", [-1, 7, 1.5, True, "2"])
def test_decimals_are_a_whole_number_from_0_to_6(decimals):
    with pytest.raises(ValueError, match="decimals"):
        Unit("days", decimals=decimals)


@pytest.mark.parametrize(
    "unit",
    ["percent", Unit("ratio", decimals=0), Unit("number", label="n"), Unit("pct", share=True)],
)
def test_a_kind_may_not_name_an_unknown_unit_nor_redefine_a_built_in_one(unit):
    with pytest.raises(ValueError):
        as_unit(unit)


@pytest.fixture
def plan(tmp_path):
    write_csv(tmp_path / "cases.csv", [{"days": d} for d in ("3", "12", "40")])

    def make(*kinds):
        items = [
            indicator(
                kind,
                {"cases": "cases.csv"},
                id=f"i{n}",
                baseline={"on": "2011-01-01", "value": 30},
                targets=[{"by": "2012-12-31", "value": 5}],
                direction="down",
            )
            for n, kind in enumerate(kinds)
        ]
        path = tmp_path / "plan.toml"
        path.write_text(plan_text(items), "utf-8")
        return path

    return make


def engine():
    return Engine(entry_points=False, plugins=[Kinds()])


DAY = dt.date(2012, 12, 31)


def test_reports_show_the_label_and_json_the_units_definition(plan):
    report = engine().evaluate(plan("median_days"), [DAY])
    data = report.to_dict()
    assert data["evaluations"][0]["indicators"][0]["unit"] == "days"
    assert data["evaluations"][0]["indicators"][0]["value"] == 12
    assert data["plan"]["display_units"] == {
        "days": {"label": {"en": "days", "vi": "ngày"}, "decimals": 0}
    }
    table = engine().render(report, "table", RenderOptions(lang="en"))
    assert "12 days" in table and "5 days" in table  # the value and the expected value
    vi = engine().render(report, "markdown", RenderOptions(lang="vi"))
    assert "12 ngày" in vi
    # Read back from the JSON, the report shows the same.
    again = report_from_dict(json.loads(json.dumps(data)))
    assert engine().render(again, "table", RenderOptions(lang="en")) == table


def test_a_chart_names_its_axis_with_the_label(plan):
    report = engine().evaluate(plan("median_days"), [DAY])
    html = engine().render(report, "html", RenderOptions(lang="vi"))
    assert '<text class="axis unit"' in html
    assert ">ngày</text>" in html


def test_a_workbook_keeps_the_number_and_formats_it_with_the_label(plan):
    openpyxl = pytest.importorskip("openpyxl")
    report = engine().evaluate(plan("median_days"), [DAY])
    book = openpyxl.load_workbook(io.BytesIO(engine().render(report, "xlsx")))
    sheet = book["T1"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Giá trị") + 1)
    assert cell.value == 12
    assert cell.number_format == '0 "ngày"'


def test_two_kinds_may_not_mean_two_things_by_one_unit(plan):
    problems = engine().validate(plan("median_days", "other_days"))
    assert [p.message for p in problems] == [
        "kind 'other_days' declares unit 'days' unlike kind 'median_days'"
    ]
    assert problems[0].key == "indicators[1].kind"


def test_a_plan_of_built_in_units_has_no_display_units_in_its_json(seed_report):
    assert "display_units" not in seed_report.to_dict()["plan"]
