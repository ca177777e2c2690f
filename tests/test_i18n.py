"""Languages: complete catalogs, no English left in Vietnamese reports, the locales' formats."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT

from vpcp_indicators import Engine, RenderOptions
from vpcp_indicators.i18n import LOCALE_DIR, language


def catalog(code: str):
    with open(LOCALE_DIR / code / "LC_MESSAGES" / "vpcp_indicators.po", "rb") as stream:
        return read_po(stream)


def test_the_catalogs_hold_every_message_translated_and_compiled():
    process = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_catalogs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stdout
    assert process.stdout.strip() == "catalogs complete"


def _words(message_id: str) -> str:
    """What of a message shows in a report: the text between its placeholders."""
    return max(re.split(r"\{[^}]*\}", message_id), key=len).strip(" .:,()")


@pytest.mark.parametrize("name", ["table", "markdown", "html"])
def test_no_english_label_is_left_in_a_vietnamese_report(seed_report, name):
    output = Engine().render(seed_report, name, RenderOptions(lang="vi"))
    if name == "html":  # what a reader sees: not the styles, tags and class names
        output = re.sub(r"<style>.*?</style>|<[^>]+>", " ", output, flags=re.S)
    leftovers = []
    for message in catalog("vi"):
        if not message.id or isinstance(message.id, tuple):
            continue
        english, vietnamese = _words(message.id), _words(message.string)
        # Words of two letters or less, and those the languages share, prove nothing.
        if (
            len(english) > 3
            and english != vietnamese
            and re.search(rf"\b{re.escape(english)}\b", output)
        ):
            leftovers.append(english)
    assert leftovers == []


@pytest.mark.parametrize("name", ["table", "markdown", "html"])
def test_every_status_and_heading_is_in_the_english_report_too(seed_report, name):
    output = Engine().render(seed_report, name, RenderOptions(lang="en"))
    for word in ("on track", "at risk", "off track", "achieved"):
        assert word in output
    # The plan's own titles stay as written (one says "đúng tiến độ"), but no status label
    # of the Vietnamese catalog shows.
    for label in ("● đúng tiến độ", "▲ có nguy cơ", "✖ chậm tiến độ", "không có dữ liệu"):
        assert label not in output


def test_babel_writes_vietnamese_numbers_and_dates():
    vi, en = language("vi"), language("en")
    assert vi.percent(0.705) == "70,5 %"
    assert vi.date(dt.date(2012, 12, 31)) == "31/12/2012"
    assert vi.integer(1234567) == "1.234.567"
    assert vi.decimal(97.52) == "97,5"
    assert en.percent(0.705) == "70.5%"
    assert en.date(dt.date(2012, 12, 31)) == "2012-12-31"
    assert en.integer(1234567) == "1,234,567"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        language("fr")


def test_a_host_gets_the_plans_language_and_errors_in_a_language_by_code(seed_report, tmp_path):
    from vpcp_indicators import PlanError, load_plan

    # The seed plan says language = "vi": a report rendered without a language is Vietnamese.
    assert "Nhiệm vụ" in Engine().render(seed_report, "markdown")
    assert "Nhiệm vụ" not in Engine().render(seed_report, "markdown", RenderOptions(lang="en"))
    plan = tmp_path / "plan.toml"
    plan.write_text('[plan]\nid = "x"\ntitle = "X"\nstart = 2011-01-01\n', "utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(plan)
    english, vietnamese = raised.value.lines("en"), raised.value.lines("vi")
    assert english == raised.value.lines() and english != vietnamese
    assert vietnamese[0].startswith(f"{plan}:")
