"""Checks made with the plugins before computing: kinds, windows, parameters, sources."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import indicator, plan_text, write_csv

from vpcp_indicators import Engine, VpcpError

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
        "'channel' that kind 'e_document_dispatch' needs"
    )


def test_a_header_problem_shows_nothing_of_the_header(tmp_path):
    # The first line of any file: the header of a secret export, or a line of /etc/passwd.
    write_csv(tmp_path / "docs.csv", "s3cret:x:1000:1000:s3cret:/home/s3cret:/bin/sh\n")
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}))
    assert problem.endswith(
        "docs.csv:1: lacks columns 'doc_id', 'issued_on', 'issuer', 'classification', 'channel' "
        "that kind 'e_document_dispatch' needs"
    )
    assert "s3cret" not in problem


def test_a_file_no_reader_reads(tmp_path):
    (tmp_path / "docs.dbf").write_bytes(b"\x00")
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.dbf"}))
    assert problem == (
        f"plan.toml:17:13: indicators[0].sources.documents: {tmp_path}/docs.dbf: no reader for "
        "this kind of file (readers: .csv, .jsonl, .ods, .parquet, .xls, .xlsm, .xlsx)"
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
        "doc_id,issued_on,issuer,classification,channel,classification,issuer,issuer"
        "\n1,2012-01-01,government,normal,paper,secret,x,y\n",
    )
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}))
    # Where the names are, not what they are: the header is the file's content.
    assert problem.endswith(
        f"{tmp_path}/docs.csv:1: the header row gives one name to several columns "
        "(columns 3, 7, 8; 4, 6)"
    )


def test_a_csv_that_is_not_utf8_is_named_as_such(tmp_path):
    (tmp_path / "docs.csv").write_bytes(
        "doc_id,issued_on,issuer,classification,channel\n".encode("utf-16")
    )
    (problem,) = problems(tmp_path, indicator("e_document_dispatch", {"documents": "docs.csv"}))
    assert problem.endswith("docs.csv:1: the header row is not UTF-8 text (save it as CSV UTF-8)")


# -- a plan of many faulty indicators is checked in time linear in its size -----------------


def faulty_plan(tmp_path, count):
    """A plan of ``count`` indicators, each with problems of its own: a task or a kind that
    does not exist, a parameter the kind does not know, a source file that is not there."""
    faults = [
        {"kind": "no_such_kind"},
        {"task": "T9"},
        {"params": {"bogus": 1}},
        {},
    ]
    items = [
        indicator("e_document_dispatch", {"documents": "nowhere.csv"}, id=f"i{n}")
        | faults[n % len(faults)]
        for n in range(count)
    ]
    path = tmp_path / f"plan-{count}.toml"
    path.write_text(plan_text(items), "utf-8")
    return path


def test_problems_are_told_apart_without_comparing_each_with_every_other(tmp_path, monkeypatch):
    from vpcp_indicators.errors import Problem

    engine, path = Engine(), faulty_plan(tmp_path, 400)
    compared = []
    equal = Problem.__eq__

    def counted(self, other):
        compared.append(1)
        return equal(self, other)

    monkeypatch.setattr(Problem, "__eq__", counted)
    found = engine.validate(path)
    assert len(found) > 400
    assert len(compared) < 400  # comparing each with every earlier one takes about 100,000


def test_a_plan_finds_an_indicator_by_its_id_without_going_through_the_list():
    from vpcp_indicators import Baseline, Indicator, Plan, Target, Task

    class Watched(tuple):
        """A tuple that counts how often it is gone through."""

        walks = 0

        def __iter__(self):
            Watched.walks += 1
            return super().__iter__()

    start = dt.date(2011, 1, 1)
    indicators = Watched(
        Indicator(f"i{n}", "T1", "k", "t", (Target(dt.date(2015, 1, 1), 1),), Baseline(start, 0))
        for n in range(200)
    )
    plan = Plan("p", "P", start, dt.date(2015, 12, 31), (Task("T1", "T"),), indicators)
    Watched.walks = 0
    keys = [plan.problem(("indicators", f"i{n}", "kind"), "wrong").key for n in range(200)]
    assert keys == [f"indicators[{n}].kind" for n in range(200)]
    assert Watched.walks == 0


def _steps(function):
    """How many lines of Python ``function()`` runs: a measure of work that, unlike time,
    does not depend on the machine or its load."""
    import sys

    steps = 0

    def trace(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
        return trace

    sys.settrace(trace)
    try:
        function()
    finally:
        sys.settrace(None)
    return steps


def test_validating_four_times_as_many_faulty_indicators_takes_about_four_times_the_work(
    tmp_path,
):
    engine = Engine()
    small, large = faulty_plan(tmp_path, 100), faulty_plan(tmp_path, 400)
    engine.validate(small)  # plugins collected once, before counting
    ratio = _steps(lambda: engine.validate(large)) / _steps(lambda: engine.validate(small))
    # Linear: 4 (a little less, for what does not grow with the plan); quadratic: about 16.
    assert ratio < 5


# -- no message shows what a source holds ----------------------------------------------------

SECRET = "s3cr3t"
BROKEN_SOURCES = {
    "header.csv": f"{SECRET}:x:0:0:{SECRET}:/root:/bin/bash\n{SECRET}\n",
    "one-column-short.csv": f"doc_id,issued_on,issuer,{SECRET},channel\n1,2012-01-01,a,b,c\n",
    "repeated.csv": f"doc_id,issued_on,issuer,classification,channel,{SECRET},{SECRET}\n",
    "rows.csv": (
        "doc_id,issued_on,issuer,classification,channel\n"
        f"{SECRET},{SECRET},government,normal,{SECRET}\n"
        f"{SECRET},2012-01-01,{SECRET}\n"
        f"1,2012-01-01,government,normal,electronic,{SECRET}\n"
        f'2,2012-01-01,gov"{SECRET},normal,electronic\n'
        f'"{SECRET},2012-01-01,government,normal,electronic\n'
    ),
    "keys.jsonl": f'{{"{SECRET}": "{SECRET}"}}\n',
    "lines.jsonl": (
        '{"doc_id": "1", "issued_on": "2012-01-01", "issuer": "government", '
        '"classification": "normal", "channel": "electronic"}\n'
        f'{{"doc_id": "{SECRET}", "issued_on": "{SECRET}", "issuer": "government", '
        '"classification": "normal", "channel": "paper"}\n'
        f"{SECRET} is not JSON\n"
        f'["{SECRET}"]\n'
        f'{{"doc_id": {{"{SECRET}": 1}}, "issued_on": "2012-01-01", "issuer": "government", '
        '"classification": "normal", "channel": "paper"}\n'
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN_SOURCES))
def test_no_problem_or_data_warning_shows_what_a_source_holds(tmp_path, name):
    write_csv(tmp_path / name, BROKEN_SOURCES[name])
    path = tmp_path / "plan.toml"
    items = [indicator("e_document_dispatch", {"documents": name})]
    path.write_text(plan_text(items), "utf-8")
    told = [p.render() for p in Engine().validate(path)]
    for backend in ("python", "duckdb"):
        try:
            report = Engine().evaluate(path, [dt.date(2012, 12, 31)], backend=backend)
        except VpcpError as error:
            told += error.lines()
        else:
            result = report.latest.indicator("ind")
            told += [w.message for w in result.warnings] + [result.error or ""]
    assert told
    assert [line for line in told if SECRET in line.replace(str(tmp_path), "")] == []
