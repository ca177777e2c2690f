"""The Python backend: each file read once for every indicator that reads it."""

from __future__ import annotations

import datetime as dt
import tracemalloc

from conftest import indicator, plan_text

from vpcp_indicators import Engine
from vpcp_indicators.sources.csv import CsvReader

ISSUERS = ["government", "prime_minister", "ministry_a", "province_b"]


def test_many_indicators_over_one_file_read_it_once_and_tally_it_once(tmp_path, monkeypatch):
    rows = ["doc_id,issued_on,issuer,classification,channel"]
    for n in range(40):
        issuer = ISSUERS[n % 4]
        channel = "electronic" if n % 5 else "paper"
        rows.append(f"D{n},2012-0{1 + n % 9}-01,{issuer},normal,{channel}")
    (tmp_path / "docs.csv").write_text("\n".join(rows) + "\n", "utf-8")
    # A province plan: one count per unit, each with its own parameters, over one file.
    items = [
        indicator(
            "e_document_dispatch",
            {"documents": "docs.csv"},
            id=f"docs-{n}",
            params={"issuers": [ISSUERS[n % 4]]},
        )
        for n in range(200)
    ]
    (tmp_path / "plan.toml").write_text(plan_text(items), "utf-8")
    reads = []
    original = CsvReader.rows

    def counted(self, path, columns):
        reads.append(path.name)
        return original(self, path, columns)

    monkeypatch.setattr(CsvReader, "rows", counted)
    report = Engine().evaluate(tmp_path / "plan.toml", [dt.date(2012, 12, 31)], backend="python")
    assert reads == ["docs.csv"]
    # Each issuer has 10 documents, 2 of them sent on paper (n % 5 == 0 falls on each
    # issuer twice in 40 rows).
    for n, result in enumerate(report.latest.indicators):
        assert (result.numerator, result.denominator) == (8, 10), ISSUERS[n % 4]


def test_the_tally_of_a_file_is_kept_once_however_many_indicators_count_it(tmp_path):
    # 3,000 documents on distinct days and issuers: each count's tally has ~3,000 entries.
    rows = ["doc_id,issued_on,issuer,classification,channel"]
    start = dt.date(2011, 1, 1)
    for n in range(3000):
        day = start + dt.timedelta(days=n % 1500)
        rows.append(f"D{n},{day},{ISSUERS[n % 4]},normal,electronic")
    (tmp_path / "docs.csv").write_text("\n".join(rows) + "\n", "utf-8")
    items = [
        indicator(
            "e_document_dispatch",
            {"documents": "docs.csv"},
            id=f"docs-{n}",
            params={"issuers": [ISSUERS[n % 4]]},
        )
        for n in range(200)
    ]
    (tmp_path / "plan.toml").write_text(plan_text(items), "utf-8")
    engine = Engine()
    tracemalloc.start()
    try:
        engine.evaluate(tmp_path / "plan.toml", [dt.date(2015, 12, 31)], backend="python")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # One tally of ~3,000 entries, not 200 of them (which took over 100 MB).
    assert peak < 25_000_000
