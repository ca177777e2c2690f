"""Each file is read once, whatever the number of indicators that count in it: the counts
share one tally that keeps what each needs, and each gives its own hand-counted figures."""

from __future__ import annotations

import datetime as dt

from conftest import SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators import Engine

DOCUMENTS = (
    "doc_id,issued_on,issuer,classification,channel\n"
    "D1,2012-03-01,government,normal,electronic\n"
    "D2,2012-04-01,government,normal,paper\n"
    "D3,2012-05-01,prime_minister,normal,electronic\n"
    "D4,2012-06-01,government,secret,electronic\n"
    "D5,2012-07-01,ministry_x,normal,both\n"
    "D6,2011-07-01,ministry_x,normal,paper\n"
    "D7,2012-08-01,,normal,electronic\n"
)


def test_indicators_of_one_file_read_it_once_and_keep_their_own_figures(tmp_path, reads):
    write_csv(tmp_path / "documents.csv", DOCUMENTS)
    issuers = {
        "gov": ["government"],
        "pm": ["prime_minister"],
        "both": ["government", "prime_minister"],
        "ministry": ["ministry_x"],
    }
    indicators = [
        indicator(
            "e_document_dispatch",
            {"documents": "documents.csv"},
            id=name,
            params={"issuers": chosen, "electronic_channels": channels},
        )
        for name, chosen in issuers.items()
        for channels in [["electronic"]]
    ]
    indicators.append(
        indicator(
            "e_document_dispatch",
            {"documents": "documents.csv"},
            id="ministry-both",
            params={"issuers": ["ministry_x"], "electronic_channels": ["electronic", "both"]},
        )
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text(indicators), "utf-8")
    report = Engine(cache=None).evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv"]
    figures = {r.id: (r.numerator, r.denominator) for r in report.latest.indicators}
    # 2012, not secret: government D1 (electronic), D2 (paper); prime minister D3
    # (electronic); ministry D5 (both). D4 is secret, D6 of 2011, D7 has no issuer.
    assert figures == {
        "gov": (1, 2),
        "pm": (1, 1),
        "both": (2, 3),
        "ministry": (0, 1),
        "ministry-both": (1, 1),
    }
    # D7's missing issuer is one warning for each indicator, from the one read.
    assert all(
        [(w.problem, w.column, w.rows) for w in r.warnings] == [("missing_value", "issuer", (8,))]
        for r in report.latest.indicators
    )
    python = Engine(cache=None).evaluate(plan, [dt.date(2012, 12, 31)], backend="python")
    assert python.latest == report.latest


def test_the_seed_plan_reads_its_staff_register_once(reads):
    # Signatures and training both count the staff register, as one source alike.
    Engine(cache=None).evaluate(SEED_PLAN, [dt.date(2013, 12, 31)])
    assert sorted(reads) == sorted(set(reads))
    assert len([name for name in reads if "staff" in name]) == 1
