"""training_completion: staff who completed IT training (task NV4)."""

from __future__ import annotations

from conftest import d


def person(
    staff_id: str,
    unit_kind: str = "advisory",
    joined_on: str = "2010-01-01",
    left_on: str = "",
    unit: str = "Vụ Tổng hợp",
) -> dict[str, str]:
    return {
        "staff_id": staff_id,
        "unit": unit,
        "unit_kind": unit_kind,
        "joined_on": joined_on,
        "left_on": left_on,
        "signature_issued_on": "",
        "email_issued_on": "",
    }


def course(staff_id: str, name: str, completed_on: str) -> dict[str, str]:
    return {"staff_id": staff_id, "course": name, "completed_on": completed_on}


D = d("2012-12-31")
STAFF = [
    person("A"),
    person("B"),
    person("C", unit_kind="public_service", unit="Trung tâm"),
    person("D"),
]


def test_at_least_one_course_completed_on_or_before_the_date_counts(run_kind):
    trainings = [
        course("A", "CNTT-CB", "2012-12-31"),  # on D: counts
        course("B", "VBDT", "2013-01-01"),  # after D: not yet
        course("C", "CKS", "2012-05-01"),
    ]
    (result,) = run_kind(
        "training_completion", {"staff": STAFF, "trainings": trainings}, [D], jsonl=["trainings"]
    )
    # Every unit kind when none is given: four people, A and C trained.
    assert (result.numerator, result.denominator) == (2, 4)
    assert [(g.key, g.numerator, g.denominator) for g in result.breakdown] == [
        ("Trung tâm", 1, 1),
        ("Vụ Tổng hợp", 1, 3),
    ]


def test_every_listed_course_is_needed_and_repeats_count_once(run_kind):
    trainings = [
        course("A", "CNTT-CB", "2012-01-10"),
        course("A", "CNTT-CB", "2012-06-10"),  # the same course twice
        course("A", "VBDT", "2012-02-01"),
        course("B", "CNTT-CB", "2012-01-10"),
        course("B", "CNTT-CB", "2012-03-10"),  # twice the same course is not two courses
        course("D", "CNTT-CB", "2012-03-10"),
        course("D", "VBDT", "2013-02-01"),  # second course after D
    ]
    (result,) = run_kind(
        "training_completion",
        {"staff": STAFF, "trainings": trainings},
        [D],
        params={"courses": ["CNTT-CB", "VBDT"], "unit_kinds": ["advisory"]},
    )
    assert (result.numerator, result.denominator) == (1, 3)


def test_a_training_row_of_unknown_staff_is_a_warning_not_a_completion(run_kind):
    trainings = [
        course("A", "CNTT-CB", "2012-01-10"),
        course("Z", "CNTT-CB", "2012-01-10"),
        course("Z", "VBDT", "2012-01-11"),
    ]
    (result,) = run_kind("training_completion", {"staff": STAFF, "trainings": trainings}, [D])
    assert (result.numerator, result.denominator) == (1, 4)
    (warning,) = result.warnings
    assert (warning.problem, warning.column, warning.count, warning.rows) == (
        "unknown_key",
        "staff_id",
        2,
        (3, 4),
    )
    assert warning.file.endswith("trainings.csv")


def test_staff_who_left_are_not_counted_even_if_trained(run_kind):
    staff = [person("A", left_on="2012-06-30"), person("B", joined_on="2013-01-01"), person("C")]
    trainings = [course("A", "CNTT-CB", "2011-01-10"), course("B", "CNTT-CB", "2012-01-10")]
    (result,) = run_kind("training_completion", {"staff": staff, "trainings": trainings}, [D])
    assert (result.numerator, result.denominator) == (0, 1)


def test_timeline_reuses_the_records_at_each_date(run_kind):
    trainings = [
        course("A", "X", "2011-06-01"),
        course("B", "X", "2012-06-01"),
        course("D", "X", "2013-06-01"),
    ]
    results = run_kind(
        "training_completion",
        {"staff": STAFF, "trainings": trainings},
        [d("2011-12-31"), d("2012-12-31"), d("2013-12-31")],
    )
    assert [r.numerator for r in results] == [1, 2, 3]
    assert [r.denominator for r in results] == [4, 4, 4]


def test_a_staff_row_skipped_for_another_fault_still_makes_its_id_known(run_kind):
    staff = [person("A"), person("B", joined_on="not a date")]
    trainings = [course("A", "X", "2012-01-10"), course("B", "X", "2012-01-10")]
    (result,) = run_kind("training_completion", {"staff": staff, "trainings": trainings}, [D])
    assert (result.numerator, result.denominator) == (1, 1)
    # B's row is skipped for its date; B is not an unknown member of staff.
    assert [(w.problem, w.source, w.rows) for w in result.warnings] == [("bad_date", "staff", (3,))]


def test_staff_in_json_lines_may_leave_optional_keys_out(run_kind):
    staff = [
        {"staff_id": "A", "unit": "U", "unit_kind": "advisory", "joined_on": "2010-01-01"},
        person("B", left_on="2011-06-30"),
    ]
    trainings = [course("A", "X", "2012-01-10")]
    (result,) = run_kind(
        "training_completion", {"staff": staff, "trainings": trainings}, [D], jsonl=["staff"]
    )
    assert (result.numerator, result.denominator) == (1, 1)
