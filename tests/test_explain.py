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
    assert f"Denominator: {lang.integer(found['denominator'])} records." in text
    assert f"Numerator: {lang.integer(found['numerator'])}, the records where " in text
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
    assert "filter 2, keeping the records where issuer is government or prime_minister:" in text
    assert (
        "   90 secret documents left out, the records where classification is not normal; "
        "only their number is shown\n"
    ) in text


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


DOCUMENTS = (
    "doc_id,issued_on,issuer,classification,channel\n"
    "O1,2012-03-01,government,normal,electronic\n"
    "O2,2012-04-01,prime_minister,normal,paper\n"
    "O3,2012-05-01,ministry,normal,electronic\n"
    "S1,2012-06-01,government,secret,courier\n"
    "O4,2011-05-01,government,normal,electronic\n"
)


def small_plan(tmp_path, documents: str = DOCUMENTS):
    write_csv(tmp_path / "d.csv", documents)
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text([indicator("e_document_dispatch", {"documents": "d.csv"})]), "utf-8")
    return load_plan(plan)


# Worked by hand: five documents; O4 is dated 2011, out of the 2012 window; O3 is a
# ministry's; S1 is secret. O1 and O2 remain, O1 went electronically: 1 of 2. The line runs
# from 0 on 2011-01-01 to 1 on 2015-12-31: 730 of 1825 days, 40%. The one target, of
# 2015, is not yet due. A year earlier, 2011-12-31, O4 alone counted: 1 of 1. Observed rate:
# (0.5 - 1) x 365.25 / 366 = -0.499 a year; required: (1 - 0.5) x 365.25 / 1095 = 0.1668;
# ratio -2.9918, deterioration; at this pace 0.5 - 0.499 x 1095 / 365.25 = -99.6% in 2015.
ENGLISH = """Indicator ind
Indicator ind, kind e_document_dispatch, task T1, on 2012-12-31

1. Window (year to date): records dated 2012-01-01 to 2012-12-31, both included.
2. Records that could be read: 5.
   filter 1, keeping the records where issued_on is between 2012-01-01 and 2012-12-31: 4 kept, \
1 dropped
   filter 2, keeping the records where issuer is government or prime_minister: 3 kept, 1 dropped
   1 secret document left out, the records where classification is not normal; only their \
number is shown
3. Denominator: 2 records.
   Numerator: 1, the records where channel is both or electronic.
   Value: 50.0%.
4. Expected value: between 2011-01-01 (0.0%) and 2015-12-31 (100.0%), expected = v0 + \
(v1 − v0) × days / span = 0 + (1 − 0) × 730 / 1825 = 40.0%.
5. Score = 100 × clamp((value − baseline) ÷ (expected − baseline), 0, 1) = 100 × clamp((0.5 \
− 0) ÷ (0.4 − 0), 0, 1) = 100.00.
6. Status: ● on track, because the value meets the expected value (40.0%).
7. Data warnings: none.
8. Milestones, judged on the values of 2012-12-31:
   2015-12-31, target 100.0%: … not yet due: its date is after 2012-12-31.
9. Trend: ↓ deterioration; −49.9% a year since 2011-12-31; +16.7% a year needed to reach \
100.0% by 2015-12-31; at this pace -99.6% on 2015-12-31; the target never reached at this pace.
   Observed rate = (value − value then) × 365.25 ÷ days = (0.5 − 1) × 365.25 ÷ 366 = -0.499 a \
year.
   Required rate = (target − value) × 365.25 ÷ days to its date = (1 − 0.5) × 365.25 ÷ 1095 = \
0.1668 a year.
   Ratio = observed ÷ required = -2.9918: from 0.95 on track, from 0.60 acceleration needed, \
from 0 limited progress, below 0 deterioration.
   Projection = value + observed rate × years to the target's date = -99.6% on 2015-12-31.
"""

VIETNAMESE = """Indicator ind
Chỉ tiêu ind, loại e_document_dispatch, nhiệm vụ T1, ngày 31/12/2012

1. Khoảng thời gian (từ đầu năm): các bản ghi ghi ngày từ 01/01/2012 đến 31/12/2012, tính cả \
hai ngày.
2. Số bản ghi đọc được: 5.
   bộ lọc 1, giữ các bản ghi mà issued_on từ ngày 01/01/2012 đến ngày 31/12/2012: giữ 4, loại 1
   bộ lọc 2, giữ các bản ghi mà issuer là government hoặc prime_minister: giữ 3, loại 1
   1 văn bản mật được loại ra, là các bản ghi mà classification không phải là normal; chỉ nêu \
số lượng
3. Mẫu số: 2 bản ghi.
   Tử số: 1, là các bản ghi mà channel là both hoặc electronic.
   Giá trị: 50,0 %.
4. Giá trị kỳ vọng: giữa 01/01/2011 (0,0 %) và 31/12/2015 (100,0 %), kỳ vọng = v0 + (v1 − v0) \
× số ngày / độ dài = 0 + (1 − 0) × 730 / 1825 = 40,0 %.
5. Điểm = 100 × giới hạn((giá trị − mức gốc) ÷ (kỳ vọng − mức gốc), 0, 1) = 100 × \
giới hạn((0,5 − 0) ÷ (0,4 − 0), 0, 1) = 100,00.
6. Trạng thái: ● đúng tiến độ, vì giá trị đạt giá trị kỳ vọng (40,0 %).
7. Cảnh báo dữ liệu: không có.
8. Các mốc, xét theo giá trị các ngày 31/12/2012:
   31/12/2015, mục tiêu 100,0 %: … chưa đến hạn: thời hạn của nó sau ngày 31/12/2012.
9. Xu hướng: ↓ đi xuống; −49,9 % mỗi năm kể từ ngày 31/12/2011; cần +16,7 % mỗi năm để đạt \
100,0 % trước ngày 31/12/2015; với tốc độ này đạt -99,6 % vào ngày 31/12/2015; với tốc độ này \
không bao giờ đạt mục tiêu.
   Tốc độ thực tế = (giá trị − giá trị khi đó) × 365,25 ÷ số ngày = (0,5 − 1) × 365,25 ÷ 366 = \
-0,499 mỗi năm.
   Tốc độ cần thiết = (mục tiêu − giá trị) × 365,25 ÷ số ngày đến thời hạn = (1 − 0,5) × 365,25 \
÷ 1095 = 0,1668 mỗi năm.
   Tỷ số = thực tế ÷ cần thiết = -2,9918: từ 0,95 là đúng hướng, từ 0,60 là cần tăng tốc, từ 0 \
là tiến bộ hạn chế, dưới 0 là đi xuống.
   Dự báo = giá trị + tốc độ thực tế × số năm đến thời hạn mục tiêu = -99,6 % vào ngày \
31/12/2015.
"""


@pytest.mark.parametrize(("code", "text"), [("en", ENGLISH), ("vi", VIETNAMESE)])
def test_the_derivation_reads_as_sentences_in_both_languages(tmp_path, code, text):
    derived = explain(Engine(), small_plan(tmp_path), "ind", dt.date(2012, 12, 31))
    assert render_explanation(derived, language(code)) == text


def test_nothing_left_out_is_not_mentioned(tmp_path):
    plan = small_plan(tmp_path, "\n".join(DOCUMENTS.splitlines()[:-2]) + "\n")
    derived = explain(Engine(), plan, "ind", dt.date(2012, 12, 31))
    assert derived.excluded[0][2] == 0
    text = render_explanation(derived, language("en"))
    assert "left out" not in text and "secret" not in text
    assert "3. Denominator: 2 records." in text


def test_one_record_is_one_record(tmp_path):
    plan = small_plan(tmp_path, "\n".join(DOCUMENTS.splitlines()[:2]) + "\n")
    derived = explain(Engine(), plan, "ind", dt.date(2012, 12, 31))
    assert "3. Denominator: 1 record.\n" in render_explanation(derived, language("en"))


def test_a_filter_that_keeps_every_record_is_not_shown_and_related_records_read_well():
    # it-training names no unit kinds: its first filter keeps every member of staff.
    derived = explain(Engine(), load_plan(SEED_PLAN), "it-training", dt.date(2013, 6, 30))
    assert derived.steps[0].dropped == 0
    text = render_explanation(derived, language("en"))
    assert "filter 1, keeping the records where joined_on is on or before 2013-06-30" in text
    assert "filter 2" not in text and "every record" not in text
    assert (
        f"   Numerator: {derived.result.numerator}, the records where trainings has records "
        "with the same staff_id in which completed_on is on or before 2013-06-30, covering "
        "every course among CNTT-CB.\n"
    ) in text
    assert "1. Window (on the date): the records as they stand on 2013-06-30." in text
    vietnamese = render_explanation(derived, language("vi"))
    assert "có có" not in vietnamese
    assert "1. Khoảng thời gian (tại ngày): " in vietnamese
