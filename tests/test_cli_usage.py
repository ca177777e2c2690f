"""Usage errors in the reader's language: click's own texts and the options' refusals."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import ONE_MEETING, SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators.cli import cli
from vpcp_indicators.cli.usage import CLICK_TEXTS, recognised
from vpcp_indicators.i18n import language


@pytest.fixture(autouse=True)
def _clean_env(cli_env):
    pass


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


PLAN = str(SEED_PLAN)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["evaluate", PLAN, "--as-of", "31/12/2012"],
            "lỗi: giá trị không hợp lệ cho '--as-of': '31/12/2012' không phải là ngày viết "
            "theo dạng YYYY-MM-DD",
        ),
        (
            ["evaluate", PLAN, "--engine", "spark"],
            "lỗi: giá trị không hợp lệ cho '--engine': 'spark' không phải là một trong các giá "
            "trị 'auto', 'python', 'duckdb'.",
        ),
        (
            ["evaluate", PLAN, "--lang", "fr"],
            "lỗi: giá trị không hợp lệ cho '--lang': 'fr' không phải là một trong các giá trị "
            "'vi', 'en'.",
        ),
        (["evaluate"], "lỗi: thiếu đối số 'PLAN'."),
        (["explain", PLAN], "lỗi: thiếu đối số 'INDICATOR'."),
        (["evaluate", PLAN, "--bogus"], "lỗi: không có tùy chọn '--bogus'."),
        (
            ["evaluate", PLAN, "--strct"],
            "lỗi: không có tùy chọn '--strct'. Có phải ý bạn là '--strict'?",
        ),
        (["evaluate", PLAN, "--as-of"], "lỗi: tùy chọn '--as-of' cần một giá trị."),
        (["evaluate", PLAN, "--strict=yes"], "lỗi: tùy chọn '--strict' không nhận giá trị."),
        (["evaluate", PLAN, "one", "two"], "lỗi: thừa các đối số (one two)"),
        (["evaluate", PLAN, "one"], "lỗi: thừa đối số (one)"),
        (
            ["evalute"],
            "lỗi: không có lệnh 'evalute'. (Có phải ý bạn là một trong: 'evaluate', 'validate'?)",
        ),
        (
            ["evaluate", PLAN, "--plugins-dir", "/no/such/dir"],
            "lỗi: giá trị không hợp lệ cho '--plugins-dir': thư mục '/no/such/dir' không tồn tại.",
        ),
        (
            ["evaluate", PLAN, "--plugins-dir", PLAN],
            f"lỗi: giá trị không hợp lệ cho '--plugins-dir': thư mục '{PLAN}' là một tệp.",
        ),
        (
            ["convert", "/no/such.csv", "x.parquet"],
            "lỗi: giá trị không hợp lệ cho 'SOURCE': tệp '/no/such.csv' không tồn tại.",
        ),
        (
            ["evaluate", PLAN, "--fail-under", "150"],
            "lỗi: giá trị không hợp lệ cho '--fail-under': 150.0 nằm ngoài khoảng 0<=x<=100.",
        ),
        (
            ["evaluate", PLAN, "--fail-under", "lots"],
            "lỗi: giá trị không hợp lệ cho '--fail-under': 'lots' không phải là số hợp lệ.",
        ),
        (
            ["evaluate", PLAN, "--fail-under", "nan"],
            "lỗi: giá trị không hợp lệ cho '--fail-under': 'nan' không phải là số từ 0 đến 100",
        ),
        (
            ["evaluate", PLAN, "--memory-limit", "lots"],
            "lỗi: giá trị không hợp lệ cho '--memory-limit': 'lots' không phải là dung lượng "
            "dạng 512MB hay 2GB, cũng không phải 'none'",
        ),
        (
            ["evaluate", PLAN, "--output", "/no/such/r.json"],
            "lỗi: giá trị không hợp lệ cho --output: không có thư mục '/no/such'",
        ),
        (
            ["convert", PLAN, "out.csv"],
            "lỗi: giá trị không hợp lệ cho TARGET: tệp đích phải có đuôi .parquet",
        ),
    ],
)
def test_a_usage_error_is_wholly_vietnamese(args, line):
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, line + "\n")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["evaluate", "--lang", "en"], "error: Missing argument 'PLAN'."),
        (
            ["evaluate", PLAN, "--lang", "en", "--strct"],
            "error: No such option '--strct'. Did you mean '--strict'?",
        ),
        (
            ["evaluate", PLAN, "--lang", "en", "--plugins-dir", "/no/such/dir"],
            "error: Invalid value for '--plugins-dir': Directory '/no/such/dir' does not exist.",
        ),
    ],
)
def test_in_english_a_usage_error_reads_as_click_writes_it(args, line):
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, line + "\n")


def _click_source() -> str:
    folder = Path(click.__file__).parent
    return "".join(
        (folder / name).read_text("utf-8")
        for name in ("exceptions.py", "parser.py", "core.py", "types.py")
    )


#: Texts of earlier click releases (8.1 to 8.3) that the installed one words otherwise.
EARLIER = {"No such option: {name}"}


@pytest.mark.parametrize("template", CLICK_TEXTS)
def test_each_recognised_text_is_one_click_writes(template):
    if template in EARLIER:
        pytest.skip("a text of an earlier click release")
    source = _click_source()
    if template.startswith("{message} "):  # click appends the suggestion to its message
        template = template.removeprefix("{message} ")
    if template.startswith("{name} {filename}"):  # click puts "File", "Directory" or "Path"
        template = template.replace("{filename}", "{filename!r}")
    number = re.fullmatch(r"\{value\} is not a valid (.+)\.", template)
    if number:  # click names the type it wanted
        assert number.group(1) in {t.name for t in (click.FLOAT, click.INT)} | {
            click.FloatRange.name,
            click.IntRange.name,
        }
        template = "{value} is not a valid {number_type}."
    if template.startswith("Missing ") and "{param_hint}" in template:
        template = template.split(" {")[0]  # click adds the hint and the full stop itself
    wanted = re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
    wanted = re.sub(r"\{(\w+)\}", r"\\{\1(!r)?\\}", wanted)
    assert re.search(wanted, source), template


def test_a_text_click_words_otherwise_is_shown_as_it_is():
    text = "Something new went wrong."
    assert recognised(text).render(language("vi").translator()) == text


def test_errors_are_in_the_plans_language_once_the_plan_is_read(tmp_path):
    write_csv(tmp_path / "m.csv", ONE_MEETING)
    body = plan_text(
        [indicator("online_meeting_coverage", {"meetings": "nowhere.csv"})],
        plan={"language": "en"},
    )
    (tmp_path / "plan.toml").write_text(body, "utf-8")
    result = run("evaluate", tmp_path / "plan.toml", "--as-of", "2012-12-31")
    assert result.exit_code == 2
    assert "not found" in result.stderr and "không" not in result.stderr
    # Before the plan is read, nothing says it is English: Vietnamese, the default.
    assert run("evaluate", tmp_path / "plan.toml", "--as-of", "x").stderr.startswith("lỗi: ")
    assert run("explain", tmp_path / "plan.toml", "nope").stderr.startswith(
        "error: no indicator 'nope' in the plan"
    )
