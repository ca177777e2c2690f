"""digital_signature_issuance: advisory staff holding a signature and e-mail (target T3)."""

from __future__ import annotations

from conftest import d


def person(
    staff_id: str,
    joined_on: str = "2010-01-01",
    left_on: str = "",
    signature: str = "2011-06-01",
    email: str = "2011-01-15",
    unit: str = "Vụ Tổng hợp",
    unit_kind: str = "advisory",
) -> dict[str, str]:
    return {
        "staff_id": staff_id,
        "unit": unit,
        "unit_kind": unit_kind,
        "joined_on": joined_on,
        "left_on": left_on,
        "signature_issued_on": signature,
        "email_issued_on": email,
    }


D = d("2011-12-31")


def test_staff_joining_on_the_date_count_and_staff_leaving_on_it_do_not(run_kind):
    rows = [
        person("A", joined_on="2011-12-31"),  # joined on D: active
        person("B", joined_on="2012-01-01"),  # joins after D: not yet
        person("C", left_on="2011-12-31"),  # left on D: gone
        person("D", left_on="2012-01-01", signature=""),  # leaves after D: active
        person("E"),
    ]
    (result,) = run_kind("digital_signature_issuance", {"staff": rows}, [D])
    assert (result.numerator, result.denominator) == (2, 3)
    assert (result.window.kind, result.window.start, result.window.end) == ("point", D, D)


def test_every_required_credential_must_be_issued_on_or_before_the_date(run_kind):
    rows = [
        person("A", signature="2011-12-31", email="2011-12-31"),  # both on D: counts
        person("B", signature="2012-01-01"),  # signature after D
        person("C", email=""),  # no e-mail
        person("D", signature=""),  # no signature
    ]
    (both,) = run_kind("digital_signature_issuance", {"staff": rows}, [D])
    assert (both.numerator, both.denominator) == (1, 4)
    (email_only,) = run_kind(
        "digital_signature_issuance", {"staff": rows}, [D], params={"require": ["email"]}
    )
    assert (email_only.numerator, email_only.denominator) == (3, 4)


def test_only_the_unit_kinds_in_scope_count_and_breakdown_is_by_unit(run_kind):
    rows = [
        person("A", unit="Vụ Tổng hợp"),
        person("B", unit="Vụ Tổng hợp", signature=""),
        person("C", unit="Vụ Pháp luật"),
        person("D", unit="Trung tâm Tin học", unit_kind="public_service"),
    ]
    (result,) = run_kind("digital_signature_issuance", {"staff": rows}, [D])
    assert (result.numerator, result.denominator) == (2, 3)
    assert [(g.key, g.numerator, g.denominator) for g in result.breakdown] == [
        ("Vụ Pháp luật", 1, 1),
        ("Vụ Tổng hợp", 1, 2),
    ]


def test_a_value_that_is_not_a_date_skips_the_row(run_kind):
    rows = [person("A"), person("B", signature="31/12/2011"), person("C", joined_on="")]
    (result,) = run_kind("digital_signature_issuance", {"staff": rows}, [D])
    assert (result.numerator, result.denominator) == (1, 1)
    assert {(w.problem, w.column, w.rows) for w in result.warnings} == {
        ("bad_date", "signature_issued_on", (3,)),
        ("missing_value", "joined_on", (4,)),
    }


def test_achieved_when_everyone_holds_both(run_kind):
    (result,) = run_kind(
        "digital_signature_issuance",
        {"staff": [person("A"), person("B")]},
        [D],
        targets=[{"by": D, "value": 1.0}],
    )
    assert result.value == 1.0 and result.status == "achieved" and result.score == 100.0
