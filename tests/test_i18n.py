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
    for word in ("on track", "at risk", "off track", "no data"):
        assert word in output
    assert "đúng tiến độ" not in output


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
