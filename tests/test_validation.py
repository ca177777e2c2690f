"""Checks made with the plugins before computing: kinds, windows, parameters, sources."""

from __future__ import annotations

import datetime as dt

from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Engine

DOCS = [
    {
        "doc_id": "1",
        "issued_on": "2012-01-01",
        "issuer": "government",
        "classification": "normal",
        "channel": "electronic",
    }
]


def problems(tmp_path, *indicators, **plan_keys):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(list(indicators), **plan_keys), "utf-8")
    return [str(p).removeprefix(f"{tmp_path}/") for p in Engine().validate(path)]


def test_a_sound_plan_has_no_problem(tmp_path):
    write_csv(tmp_path / "docs.csv", DOCS)
    assert problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"})) == []


def test_an_unknown_kind_lists_the_kinds_that_exist(tmp_path):
    (problem,) = problems(tmp_path, indicator("e_doc", {"documents": "docs.csv"}))
    assert problem.startswith(
        "plan.toml:14:1: indicators[0].kind: kind 'e_doc' is not provided by any plugin (kinds: "
    )
    assert "digital_signature_issuance, e_document_dispatch, online_meeting_coverage" in problem


def test_a_missing_source_file_and_an_undeclared_source(tmp_path):
    found = problems(
        tmp_path, indicator("e_document_dispatch", {"documents": "nowhere.csv", "extra": "x.csv"})
    )
    # sources = { documents = "nowhere.csv", extra = "x.csv" } is line 17.
    assert found == [
        "plan.toml:17:40: indicators[0].sources.extra: kind 'e_document_dispatch' has no source "
        "'extra' (sources: documents)",
        f"plan.toml:17:13: indicators[0].sources.documents: {tmp_path}/nowhere.csv: not found",
    ]


def test_a_source_the_kind_needs_is_missing(tmp_path):
    found = problems(tmp_path, indicator("training_completion", {"staff": "s.csv"}))
    assert len(found) == 2  # and s.csv is not there
    assert found[1].endswith(
        "indicators[0].sources: missing source 'trainings' "
        "(kind 'training_completion' needs: staff, trainings)"
    )


def test_a_source_lacking_a_column_names_the_file_and_the_column(tmp_path):
    write_csv(tmp_path / "docs.csv", [{k: v for k, v in DOCS[0].items() if k != "channel"}])
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}))
    assert problem == (
        f"plan.toml:17:13: indicators[0].sources.documents: {tmp_path}/docs.csv:1: lacks column "
        "'channel' that kind 'e_document_dispatch' needs (columns: doc_id, issued_on, issuer, "
        "classification)"
    )


def test_a_file_no_reader_reads(tmp_path):
    (tmp_path / "docs.xls").write_bytes(b"\x00")
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.xls"}))
    assert problem == (
        f"plan.toml:17:13: indicators[0].sources.documents: {tmp_path}/docs.xls: no reader for "
        "this kind of file (readers: .csv, .jsonl, .parquet)"
    )


def test_wrong_parameters_name_the_allowed_values(tmp_path):
    write_csv(tmp_path / "docs.csv", DOCS)
    found = problems(
        tmp_path,
        indicator(
            "e_document_dispatch",
            {"documents": "docs.csv"},
            params={"issuer": ["government"], "electronic_channels": "electronic"},
        ),
        indicator(
            "digital_signature_issuance",
            {"staff": "docs.csv"},
            id="sig",
            params={"require": ["signature", "fax"], "unit_kinds": []},
        ),
    )
    messages = sorted(line.split(": ", 1)[1] for line in found if ".params." in line)
    assert messages == [
        "indicators[0].params.electronic_channels: expected an array of strings",
        "indicators[0].params.issuer: unknown parameter (parameters of this kind: "
        "electronic_channels, issuers, open_classifications)",
        "indicators[1].params.require: 'fax' is not allowed (allowed: 'signature', 'email')",
        "indicators[1].params.unit_kinds: expected at least one value",
    ]


def test_a_window_the_kind_does_not_support(tmp_path):
    write_csv(tmp_path / "docs.csv", DOCS)
    (problem,) = problems(
        tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}, window="point")
    )
    assert problem.endswith(
        "indicators[0].window: kind 'e_document_dispatch' does not support "
        "window 'point' (windows: year, quarter, month, cumulative)"
    )


def test_an_unknown_aggregation(tmp_path):
    write_csv(tmp_path / "docs.csv", DOCS)
    (problem,) = problems(
        tmp_path,
        indicator("e_document_dispatch", {"documents": "docs.csv"}),
        scoring={"aggregation": "median"},
    )
    assert problem == (
        "plan.toml:8:1: scoring.aggregation: unknown aggregation 'median' "
        "(aggregations: geometric_mean, minimum, weighted_mean)"
    )


def test_validate_reports_engine_problems_of_an_indicator_with_plan_problems_too(tmp_path):
    path = tmp_path / "plan.toml"
    text = plan_text([indicator("e_documents", {"documents": "nofile.csv"}, task="T9")])
    path.write_text(text, "utf-8")
    found = [str(p).removeprefix(f"{tmp_path}/") for p in Engine().validate(path)]
    assert [line.split(": ")[1] for line in found] == [
        "indicators[0].task",
        "indicators[0].kind",
    ]
    assert found[1].startswith("plan.toml:14:1: indicators[0].kind: kind 'e_documents' is not")


def test_a_share_written_as_a_percentage_is_refused(tmp_path):
    write_csv(tmp_path / "docs.csv", DOCS)
    (problem,) = problems(
        tmp_path,
        indicator(
            "e_document_dispatch",
            {"documents": "docs.csv"},
            targets=[{"by": dt.date(2012, 12, 31), "value": 70}],
        ),
    )
    assert problem == (
        "plan.toml:16:31: indicators[0].targets[0].value: the indicator measures "
        "a share, written as a fraction from 0 to 1 (70% is 0.70), found 70"
    )


def test_a_csv_naming_a_column_twice_is_refused(tmp_path):
    write_csv(
        tmp_path / "docs.csv",
        "doc_id,issued_on,issuer,classification,channel,"
        "classification\n1,2012-01-01,government,normal,paper,secret\n",
    )
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}))
    assert problem.endswith(
        f"{tmp_path}/docs.csv:1: the header names 'classification' more than once"
    )


def test_a_csv_that_is_not_utf8_is_named_as_such(tmp_path):
    (tmp_path / "docs.csv").write_bytes(
        "doc_id,issued_on,issuer,classification,channel\n".encode("utf-16")
    )
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}))
    assert problem.endswith("docs.csv:1: the header row is not UTF-8 text (save it as CSV UTF-8)")
