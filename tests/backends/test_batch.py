"""Many indicators of one kind over one file (a province plan): DuckDB counts those whose
counts differ only in their plan values as one query, a batch, with the figures and warnings
of the reference.

Hypothesis writes random documents and meetings and a plan of several indicators of the
seed's kinds, each with its own values and some with their own window; the DuckDB report
must equal the Python backend's. The other tests pin what makes a batch.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import indicator, plan_text, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st
from test_differential import AS_OF, DOCUMENTS, MEETINGS, SETTINGS, rows_of, write

from vpcp_indicators import Engine, VpcpError
from vpcp_indicators.backends.duckdb import batch, count
from vpcp_indicators.errors import ResourceError

ENGINE = Engine(cache=None)
#: A fifth of the differential test's examples: each is a plan of up to seven indicators.
BATCH_SETTINGS = settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples // 5))


def subsets(values: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), unique=True, min_size=1, max_size=len(values))


E_DOCUMENTS = st.fixed_dictionaries(
    {
        "issuers": subsets(["government", "prime_minister", "office", "Normal"]),
        "open_classifications": subsets(["normal", "secret", "mật", ""]),
        "electronic_channels": subsets(["electronic", "both", "paper"]),
    }
)
ONLINE_MEETINGS = st.fixed_dictionaries(
    {
        "chairs": subsets(["prime_minister", "deputy"]),
        "counterpart_kinds": subsets(["ministry", "province", "foreign"]),
        "online_modes": subsets(["online", "hybrid"]),
    }
)


def reports(directory: Path, items: list[dict], dates: list[dt.date]) -> list[Any]:
    plan = directory / "plan.toml"
    plan.write_text(plan_text(items), "utf-8")
    found = []
    for backend in ("python", "duckdb"):
        try:
            found.append(ENGINE.evaluate(plan, dates, backend=backend).figures())
        except VpcpError as error:  # an empty file, say: both must refuse it alike
            found.append(error.lines())
    return found


@BATCH_SETTINGS
@given(
    documents=rows_of(DOCUMENTS),
    meetings=rows_of(MEETINGS),
    data=st.data(),
    e_documents=st.lists(E_DOCUMENTS, min_size=1, max_size=4),
    online=st.lists(ONLINE_MEETINGS, max_size=3),
    windows=st.lists(st.sampled_from(["year", "quarter", "cumulative"]), min_size=7, max_size=7),
    dates=AS_OF,
    format=st.sampled_from(["csv", "csv", "jsonl", "parquet", "sqlite"]),
)
def test_a_plan_of_many_indicators_counts_as_the_reference_does(
    documents, meetings, data, e_documents, online, windows, dates, format
):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        files = {
            name: write(data.draw, directory, name, list(columns), rows, format)
            for name, columns, rows in [
                ("documents", DOCUMENTS, documents),
                ("meetings", MEETINGS, meetings),
            ]
        }
        kinds = [("e_document_dispatch", "documents"), ("online_meeting_coverage", "meetings")]
        drawn = [*(("d", 0, p) for p in e_documents), *(("m", 1, p) for p in online)]
        items = [
            indicator(
                kinds[k][0],
                {kinds[k][1]: files[kinds[k][1]]},
                id=f"{prefix}{n}",
                params=params,
                window=windows[n],
            )
            for n, (prefix, k, params) in enumerate(drawn)
        ]
        python, duckdb = reports(directory, items, dates)
        assert duckdb == python


DOCUMENT_ROWS = [
    # doc_id, issued_on, issuer, classification, channel
    ["D1", "2012-03-01", "government", "normal", "electronic"],
    ["D2", "2012-04-01", "government", "normal", "paper"],
    ["D3", "2012-05-01", "prime_minister", "normal", "both"],
    ["D4", "2012-06-01", "prime_minister", "secret", "electronic"],
    ["D5", "2012-07-01", "office", "normal", "electronic"],
    ["D6", "2012-13-01", "government", "normal", "electronic"],
    ["D7", "2013-02-01", "government", "normal", "electronic"],
]


def many_plan(tmp_path: Path, windows: list[str]) -> Path:
    rows = [dict(zip(DOCUMENTS, row, strict=True)) for row in DOCUMENT_ROWS]
    write_csv(tmp_path / "documents.csv", rows)
    issuers = [["government"], ["prime_minister"], ["government", "prime_minister"], ["office"]]
    items = [
        indicator(
            "e_document_dispatch",
            {"documents": "documents.csv"},
            id=f"i{n}",
            params={"issuers": issuers[n % len(issuers)], "electronic_channels": ["electronic"]},
            window=window,
        )
        for n, window in enumerate(windows)
    ]
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text(items), "utf-8")
    return plan


def values(report: dict) -> dict[str, tuple]:
    return {
        r["id"]: (r["numerator"], r["denominator"], r.get("excluded", {}).get("secret"))
        for r in report["evaluations"][0]["indicators"]
    }


def test_indicators_that_differ_in_their_values_are_one_query_with_their_own_figures(
    tmp_path, monkeypatch
):
    plan = many_plan(tmp_path, ["year"] * 4)
    alone = []
    monkeypatch.setattr(count.CountQuery, "measure", lambda *a: alone.append(a) or [])
    report = ENGINE.evaluate(plan, [dt.date(2012, 12, 31)]).figures()
    assert alone == []  # no count was run on its own
    # By hand: 2012's documents, the secret D4 left out, D6's date unreadable.
    assert values(report) == {
        "i0": (1, 2, 0),  # government: D1 electronic, D2 paper
        "i1": (0, 1, 1),  # prime minister: D3 sent "both", not "electronic"; D4 secret
        "i2": (1, 3, 1),
        "i3": (1, 1, 0),  # office: D5
    }
    warnings = report["evaluations"][0]["indicators"][0]["warnings"]
    assert [(w["problem"], w["rows"]) for w in warnings] == [("bad_date", [7])]


def test_each_window_is_a_batch_of_its_own(tmp_path):
    plan = many_plan(tmp_path, ["year", "cumulative", "year", "cumulative"])
    engine = Engine(cache=None)
    made = []
    original = batch.Batch.measure

    def spy(self, *args):
        made.append(sorted(q.job.indicator for q in self.queries))
        return original(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch.Batch, "measure", spy)
        report = engine.evaluate(plan, [dt.date(2013, 12, 31)]).figures()
    assert sorted(made) == [["i0", "i2"], ["i1", "i3"]]
    # A year: 2013's D7 alone; cumulative from the plan's start: 2012's too.
    assert values(report) == {
        "i0": (1, 1, 0),
        "i1": (0, 1, 1),  # D3 and the secret D4
        "i2": (1, 1, 0),
        "i3": (1, 1, 0),  # D5
    }


@pytest.mark.parametrize(
    "failure",
    [RuntimeError("no batch today"), ResourceError("DuckDB ran out of memory")],
)
def test_a_batch_that_fails_is_counted_count_by_count(tmp_path, monkeypatch, failure):
    plan = many_plan(tmp_path, ["year"] * 3)
    expected = ENGINE.evaluate(plan, [dt.date(2012, 12, 31)], backend="python").figures()

    def broken(self, *args):
        raise failure

    monkeypatch.setattr(batch.Batch, "sql", broken)
    assert ENGINE.evaluate(plan, [dt.date(2012, 12, 31)]).figures() == expected
