"""explain: the derivation of a figure, which must land on evaluate's figures exactly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators import Engine, load_plan
from vpcp_indicators.cli import cli
from vpcp_indicators.explain import explain
from vpcp_indicators.formats.explanation import render_explanation
from vpcp_indicators.formats.view import status_label
from vpcp_indicators.i18n import language

IDS = ["online-meetings", "e-documents", "digital-signatures", "it-training"]


@pytest.mark.parametrize("indicator_id", IDS)
@pytest.mark.parametrize("day", ["2011-12-31", "2013-06-30", "2015-12-31"])
def test_explain_agrees_with_evaluate_to_the_last_digit(indicator_id, day):
    as_of = dt.date.fromisoformat(day)
    runner = CliRunner()
    evaluated = json.loads(
        runner.invoke(cli, ["evaluate", str(SEED_PLAN), "--as-of", day, "--format", "json"]).stdout
    )
    (found,) = [i for i in evaluated["evaluations"][0]["indicators"] if i["id"] == indicator_id]
    derived = explain(Engine(), load_plan(SEED_PLAN), indicator_id, as_of)
    assert derived.result.to_dict() == found
    # The retraced filters land on the same population: kept = denominator + left out.
    assert derived.steps[-1].kept == found["denominator"] + sum(found["excluded"].values())
    assert derived.read == derived.steps[0].kept + derived.steps[0].dropped
    text = runner.invoke(
        cli, ["explain", str(SEED_PLAN), indicator_id, "--as-of", day, "--lang", "en"]
    ).stdout
    lang = language("en")
    assert "Numerator: those where" in text
    assert f"Denominator: {lang.integer(found['denominator'])} records" in text
    assert f": {lang.integer(found['numerator'])}." in text
    assert f"Value: {lang.percent(found['value'])}." in text
    assert (
        f"= {lang.percent(found['expected'])}." in text
        or f"Expected value on {day}: {lang.percent(found['expected'])}" in text
    )
    assert (
        f"= {lang.decimal(found['score'], 2)}." in text
        or f": {lang.decimal(found['score'], 2)}." in text
    )
    assert status_label(found["status"], lang) in text


def test_the_interpolation_is_written_out():
    derived = explain(Engine(), load_plan(SEED_PLAN), "e-documents", dt.date(2013, 12, 31))
    text = render_explanation(derived, language("en"))
    # 2012-12-31 (0.7) to 2015-12-31 (1.0): 365 of 1095 days.
    assert "between 2012-12-31 (70.0%) and 2015-12-31 (100.0%)" in text
    assert "= 0.7 + (1 − 0.7) × 365 / 1095 = 80.0%." in text
    assert "filter 2: issuer is one of: government, prime_minister:" in text
    assert "left out as secret (not (classification is one of: normal)): 90" in text


def test_explain_shows_secret_documents_only_as_a_count(tmp_path):
    write_csv(
        tmp_path / "d.csv",
        "doc_id,issued_on,issuer,classification,channel\n"
        "OPEN-1,2012-01-05,government,normal,electronic\n"
        "SECRET-77,2012-01-06,government,top_secret,courier-z\n",
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text([indicator("e_document_dispatch", {"documents": "d.csv"})]), "utf-8")
    result = CliRunner().invoke(cli, ["explain", str(plan), "ind", "--as-of", "2012-12-31"])
    assert result.exit_code == 0
    assert "SECRET-77" not in result.stdout and "courier-z" not in result.stdout
    assert "top_secret" not in result.stdout
    assert "mật" in result.stdout  # Vietnamese by default


def test_an_unknown_indicator_is_one_line():
    result = CliRunner().invoke(cli, ["explain", str(SEED_PLAN), "nope", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no indicator 'nope' in the plan (indicators: ")
