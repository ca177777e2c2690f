"""e_document_dispatch: non-secret steering documents sent electronically (target T2)."""

from __future__ import annotations

import json

from conftest import d, indicator, plan_text, write_csv

from vpcp_indicators import Engine


def doc(
    issued_on: str,
    channel: str = "electronic",
    classification: str = "normal",
    issuer: str = "government",
    doc_id: str = "VB-1",
) -> dict[str, str]:
    return {
        "doc_id": doc_id,
        "issued_on": issued_on,
        "issuer": issuer,
        "classification": classification,
        "channel": channel,
    }


def test_secret_and_unknown_classifications_are_left_out_and_counted(run_kind):
    rows = [
        doc("2012-01-10", "electronic"),
        doc("2012-01-11", "both"),
        doc("2012-01-12", "paper"),
        doc("2012-01-13", "electronic", classification="secret"),
        doc("2012-01-14", "electronic", classification="top_secret"),
        doc("2012-01-15", "paper", classification="Normal"),  # not "normal": treated as secret
        doc("2012-01-16", "electronic", classification="mật"),
    ]
    (result,) = run_kind("e_document_dispatch", {"documents": rows}, [d("2012-12-31")])
    assert (result.numerator, result.denominator) == (2, 3)
    assert dict(result.excluded) == {"secret": 4}


def test_only_the_issuers_in_scope_count_and_breakdown_is_by_issuer(run_kind):
    rows = [
        doc("2012-02-01", "electronic", issuer="government"),
        doc("2012-02-02", "paper", issuer="prime_minister"),
        doc("2012-02-03", "both", issuer="prime_minister"),
        doc("2012-02-04", "electronic", issuer="government_office"),
        doc("2012-02-05", "electronic", issuer="prime_minister", classification="secret"),
    ]
    (result,) = run_kind("e_document_dispatch", {"documents": rows}, [d("2012-12-31")])
    assert (result.numerator, result.denominator) == (2, 3)
    assert [(g.key, g.numerator, g.denominator) for g in result.breakdown] == [
        ("government", 1, 1),
        ("prime_minister", 1, 2),
    ]
    # Secret documents of an issuer out of scope are not counted as excluded either.
    assert result.excluded["secret"] == 1


def test_an_issuer_with_only_secret_documents_does_not_appear_in_the_breakdown(run_kind):
    rows = [doc("2012-02-01"), doc("2012-02-02", issuer="prime_minister", classification="secret")]
    (result,) = run_kind("e_document_dispatch", {"documents": rows}, [d("2012-12-31")])
    assert [g.key for g in result.breakdown] == ["government"]


def test_parameters_redefine_open_classifications_and_channels(run_kind):
    rows = [
        doc("2012-03-01", "email", classification="restricted"),
        doc("2012-03-02", "paper", classification="normal"),
        doc("2012-03-03", "electronic", classification="secret"),
    ]
    params = {"open_classifications": ["normal", "restricted"], "electronic_channels": ["email"]}
    (result,) = run_kind(
        "e_document_dispatch", {"documents": rows}, [d("2012-12-31")], params=params
    )
    assert (result.numerator, result.denominator, dict(result.excluded)) == (1, 2, {"secret": 1})


def test_no_field_of_a_secret_document_appears_in_any_output(tmp_path):
    secret_id = "SECRET-DOC-4711"
    rows = [
        doc("2012-01-10", doc_id="VB-OPEN-1"),
        doc(
            "2012-01-11",
            doc_id=secret_id,
            classification="top_secret",
            issuer="prime_minister",
            channel="courier-x",
        ),
        # A secret document with a broken row: its warning must carry no value either.
        doc(
            "2012-99-99", doc_id=secret_id + "-B", classification="top_secret", channel="courier-y"
        ),
    ]
    write_csv(tmp_path / "documents.csv", rows)
    plan = tmp_path / "plan.toml"
    plan.write_text(
        plan_text([indicator("e_document_dispatch", {"documents": "documents.csv"})]), "utf-8"
    )
    engine = Engine()
    report = engine.evaluate(plan, [d("2012-12-31")])
    outputs = [engine.render(report, name) for name in ("json", "table")]
    for output in outputs:
        assert isinstance(output, str)
        for secret in (secret_id, "courier-x", "courier-y", "2012-99-99", "top_secret"):
            assert secret not in output
    data = json.loads(outputs[0])
    found = data["evaluations"][0]["indicators"][0]
    assert found["excluded"] == {"secret": 1}
    assert [(w["problem"], w["rows"]) for w in found["warnings"]] == [("bad_date", [4])]


def test_window_borders_apply_to_the_issue_date(run_kind):
    rows = [
        doc("2012-12-31", "paper"),
        doc("2013-01-01"),
        doc("2013-03-31", "paper"),
        doc("2013-04-01"),
    ]
    (result,) = run_kind("e_document_dispatch", {"documents": rows}, [d("2013-03-31")])
    assert (result.numerator, result.denominator) == (1, 2)
