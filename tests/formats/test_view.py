"""What every report for people says the same way: what was left out, counted in words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Engine, RenderOptions

HEADER = "doc_id,issued_on,issuer,classification,channel\n"
OPEN = "O{n},2012-03-01,government,normal,electronic\n"
SECRET = "S{n},2012-03-02,government,secret,courier\n"


def report(tmp_path, secret: int):
    """A plan of one e-documents indicator over two open documents and ``secret`` secret ones,
    evaluated at the end of 2012."""
    rows = "".join(OPEN.format(n=n) for n in range(2))
    rows += "".join(SECRET.format(n=n) for n in range(secret))
    write_csv(tmp_path / "d.csv", HEADER + rows)
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text([indicator("e_document_dispatch", {"documents": "d.csv"})]), "utf-8")
    return Engine().evaluate(plan, [dt.date(2012, 12, 31)])


def shown(report, name: str, lang: str) -> str:
    text = Engine().render(report, name, RenderOptions(lang=lang))
    return re.sub(r"<[^>]+>", " ", text) if name == "html" else text


@pytest.mark.parametrize("name", ["table", "markdown", "html"])
@pytest.mark.parametrize(
    ("secret", "english", "vietnamese"),
    [
        (1, "1 secret document left out", "1 văn bản mật được loại ra"),
        (2, "2 secret documents left out", "2 văn bản mật được loại ra"),
    ],
)
def test_what_was_left_out_is_counted_in_words_of_the_right_number(
    tmp_path, name, secret, english, vietnamese
):
    found = report(tmp_path, secret)
    assert dict(found.latest.indicator("ind").excluded) == {"secret": secret}
    assert english in shown(found, name, "en")
    assert "1 secret documents" not in shown(found, name, "en")
    assert vietnamese in shown(found, name, "vi")


@pytest.mark.parametrize("name", ["table", "markdown", "html"])
def test_nothing_left_out_is_not_mentioned(tmp_path, name):
    found = report(tmp_path, 0)
    # The figures still say that no secret document was counted (JSON, CSV).
    assert dict(found.latest.indicator("ind").excluded) == {"secret": 0}
    assert not re.search(r"\d+ secret documents? left out", shown(found, name, "en"))
    assert not re.search(r"\d+ văn bản mật", shown(found, name, "vi"))
