"""SQL values stay values: what comes from a plan or a file reaches DuckDB bound or quoted."""

from __future__ import annotations

import datetime as dt
import json

from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Column, Count, Engine, In, Kind, Source, hookimpl

HOSTILE = [
    "'; DROP TABLE t0; --",
    'Vụ "Tổng hợp"; SELECT 1',
    "/* comment */ prime_minister",
    "a'b''c",
    "x\\'; --",
]


def evaluate_both(plan):
    engine = Engine()
    reports = [
        engine.evaluate(plan, [dt.date(2012, 12, 31)], backend=b).figures()
        for b in ("python", "duckdb")
    ]
    assert reports[0] == reports[1]
    return reports[1]["evaluations"][0]["indicators"][0]


def test_hostile_values_and_parameters_are_only_compared(tmp_path):
    rows = [
        {
            "doc_id": f"D{i}",
            "issued_on": "2012-05-01",
            "issuer": issuer,
            "classification": "normal",
            "channel": "electronic" if i % 2 else "paper",
        }
        for i, issuer in enumerate(HOSTILE * 2)
    ]
    write_csv(tmp_path / "docs; DROP.csv", rows)
    plan = tmp_path / "plan.toml"
    plan.write_text(
        plan_text(
            [
                indicator(
                    "e_document_dispatch",
                    {"documents": "docs; DROP.csv"},
                    params={
                        "issuers": HOSTILE[:3],
                        "open_classifications": ["normal", "' OR 1=1 --"],
                    },
                )
            ]
        ),
        "utf-8",
    )
    found = evaluate_both(plan)
    # Six documents of the first three issuers; each issuer has one of each channel.
    assert (found["numerator"], found["denominator"]) == (3, 6)
    assert sorted(g["group"] for g in found["breakdown"]) == sorted(HOSTILE[:3])


def test_hostile_column_names_in_a_header_are_bound(tmp_path):
    header = [
        "staff_id",
        "unit",
        "unit_kind",
        "joined_on",
        "left_on",
        "signature_issued_on",
        "email_issued_on",
        'x"); DROP TABLE t0; --',
        "y'z",
    ]
    line = ["S1", HOSTILE[1], "advisory", "2010-01-01", "", "2011-01-01", "2011-01-01", "a", "b"]
    write_csv(tmp_path / "staff.csv", [dict(zip(header, line, strict=True))])
    plan = tmp_path / "plan.toml"
    plan.write_text(
        plan_text([indicator("digital_signature_issuance", {"staff": "staff.csv"})]), "utf-8"
    )
    found = evaluate_both(plan)
    assert found["breakdown"] == [
        {"group": HOSTILE[1], "numerator": 1, "denominator": 1, "value": 1.0}
    ]


class OddColumns:
    """A kind whose own column names need quoting, read from JSON Lines."""

    @hookimpl
    def register_kinds(self, register):
        source = Source("things", [Column('a "quoted" name'), Column("it's")])

        def count(params):
            return Count(
                "things",
                population=In("it's", ["yes"]),
                numerator=In('a "quoted" name', ["1"]),
                group_by='a "quoted" name',
            )

        register(
            Kind("odd", "Odd", [source], count=count, windows=("point",), default_window="point")
        )


def test_column_names_of_a_kind_are_quoted_in_sql_and_json_paths(tmp_path):
    records = [
        {'a "quoted" name': "1", "it's": "yes"},
        {'a "quoted" name': "2", "it's": "yes"},
        {'a "quoted" name': "1", "it's": "no"},
    ]
    (tmp_path / "things.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text([indicator("odd", {"things": "things.jsonl"})]), "utf-8")
    engine = Engine(entry_points=False, plugins=[OddColumns()])
    reports = [
        engine.evaluate(plan, [dt.date(2012, 1, 1)], backend=b).figures()
        for b in ("python", "duckdb")
    ]
    assert reports[0] == reports[1]
    found = reports[1]["evaluations"][0]["indicators"][0]
    assert (found["numerator"], found["denominator"]) == (1, 2)
