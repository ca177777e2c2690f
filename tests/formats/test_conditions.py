"""Conditions in words: clauses that read after "the records where", in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from vpcp_indicators.formats.conditions import describe, keeps_everything
from vpcp_indicators.i18n import language
from vpcp_indicators.kinds.counting import (
    After,
    AllOf,
    Always,
    AnyOf,
    Empty,
    HasRelated,
    In,
    InWindow,
    Not,
    OnOrBefore,
)
from vpcp_indicators.windows import window_on

AS_OF = dt.date(2013, 6, 30)
WINDOW = window_on("quarter", AS_OF, dt.date(2011, 1, 1))


def words(condition, code="en"):
    return describe(condition, language(code), AS_OF, WINDOW)


@pytest.mark.parametrize(
    ("condition", "english", "vietnamese"),
    [
        (In("mode", ["online"]), "mode is online", "mode là online"),
        (
            In("mode", ["online", "hybrid"]),
            "mode is hybrid or online",
            "mode là hybrid hoặc online",
        ),
        (
            In("kind", ["c", "a", "b"]),
            "kind is a, b or c",
            "kind là a, b hoặc c",
        ),
        (Not(In("kind", ["normal"])), "kind is not normal", "kind không phải là normal"),
        (Empty("left_on"), "left_on is empty", "left_on để trống"),
        (Not(Empty("left_on")), "left_on is not empty", "left_on có giá trị"),
        (
            OnOrBefore("joined_on"),
            "joined_on is on or before 2013-06-30",
            "joined_on là ngày 30/06/2013 hoặc trước đó",
        ),
        (After("left_on"), "left_on is after 2013-06-30", "left_on là ngày sau 30/06/2013"),
        (
            InWindow("held_on"),
            "held_on is between 2013-04-01 and 2013-06-30",
            "held_on từ ngày 01/04/2013 đến ngày 30/06/2013",
        ),
        (
            Not(OnOrBefore("d")),
            "it is not so that d is on or before 2013-06-30",
            "không đúng là d là ngày 30/06/2013 hoặc trước đó",
        ),
        (
            OnOrBefore("joined_on") & (Empty("left_on") | After("left_on")),
            "joined_on is on or before 2013-06-30 and (left_on is empty or left_on is after "
            "2013-06-30)",
            "joined_on là ngày 30/06/2013 hoặc trước đó và (left_on để trống hoặc left_on là "
            "ngày sau 30/06/2013)",
        ),
        # A part that keeps every record says nothing within "and".
        (AllOf([Always(), In("unit", ["x"])]), "unit is x", "unit là x"),
        (Always(), "every record counts", "mọi bản ghi đều được tính"),
        (AnyOf([]), "no record counts", "không bản ghi nào được tính"),
    ],
)
def test_a_condition_reads_as_a_clause(condition, english, vietnamese):
    assert (words(condition), words(condition, "vi")) == (english, vietnamese)


@pytest.mark.parametrize(
    ("condition", "english"),
    [
        (HasRelated("trainings", "staff_id"), "trainings has a record with the same staff_id"),
        (
            HasRelated("trainings", "staff_id", OnOrBefore("completed_on")),
            "trainings has a record with the same staff_id in which completed_on is on or "
            "before 2013-06-30",
        ),
        (
            HasRelated("trainings", "staff_id", covering=("course", ["B", "A"])),
            "trainings has records with the same staff_id, covering every course among A, B",
        ),
        (
            HasRelated(
                "trainings",
                "staff_id",
                OnOrBefore("completed_on") & In("grade", ["pass"]),
                covering=("course", ["A"]),
            ),
            "trainings has records with the same staff_id in which (completed_on is on or "
            "before 2013-06-30 and grade is pass), covering every course among A",
        ),
    ],
)
def test_related_records_read_as_a_clause_too(condition, english):
    assert words(condition) == english


def test_what_keeps_every_record():
    assert keeps_everything(Always()) and keeps_everything(AllOf([]))
    assert keeps_everything(AllOf([Always(), Always()]))
    assert keeps_everything(AnyOf([In("a", ["x"]), Always()]))
    assert not keeps_everything(AnyOf([]))
    assert not keeps_everything(AllOf([Always(), Empty("a")]))
