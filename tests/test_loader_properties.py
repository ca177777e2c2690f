"""Whatever a plan file holds, loading and validating it raise only the project's errors, and
every line they give is one line, under 500 characters, naming the file (and the key).

Two generators: random TOML-like documents, and random mutations of the seed plan (lines
deleted, repeated or swapped, values of another type, line breaks and control characters in
strings, huge numbers, deep nesting, sources and plugins_dir pointing at odd paths).
VPCP_PLAN_EXAMPLES=5000 for a long hunt; CI runs the default.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import SEED_PLAN
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vpcp_indicators import Engine, PlanError, VpcpError, load_plan
from vpcp_indicators.errors import VALUE_WIDTH, one_line

SETTINGS = settings(
    max_examples=int(os.environ.get("VPCP_PLAN_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ENGINE = Engine()
SEED_LINES = SEED_PLAN.read_text("utf-8").splitlines()

# -- values and keys ------------------------------------------------------------------------

KEYS = [
    "plan", "id", "title", "start", "end", "decision", "description", "plugins_dir",
    "language", "scoring", "at_risk", "aggregation", "tasks", "projects", "lead",
    "indicators", "task", "kind", "weight", "direction", "baseline", "on", "value",
    "targets", "by", "window", "unit", "sources", "params", "documents", "issuers", "x",
]  # fmt: skip
# Characters that break lines, move the cursor, hide or reorder text.
NASTY = ["\n", "\r", "\t", "\x00", "\x1b[2J", "\x7f", "\x85", "\x9b", "\u2028", "\u202e", "\ufeff"]


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every character that needs it escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


texts = st.one_of(
    st.text(max_size=20),
    st.lists(st.sampled_from([*NASTY, "a", "é", "{x}", "'", '"', "%s"]), max_size=12).map("".join),
    st.integers(0, 3000).map(lambda n: "x" * n),
)
strings = st.one_of(
    texts.map(toml_string),
    st.text(st.characters(blacklist_characters="'\n\r"), max_size=10).map(lambda t: f"'{t}'"),
    texts.map(lambda t: '"""' + t.replace("\\", "").replace('"', "") + '"""'),
)
numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(
        [
            "0",
            "-0",
            "0.7",
            "1.0",
            "80",
            "1e400",
            "-1e400",
            "inf",
            "-inf",
            "nan",
            "+nan",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "5e-324",
            "1e-400",
            "0x7fffffff",
            "0o777",
            "0b1",
            "1_000",
            str(10**309),
            "9" * 5000,
            "1" + "0" * 400,
        ]
    ),
    st.floats().map(repr).filter(lambda t: t not in ("nan", "inf", "-inf")),
    st.integers(300, 400).map(lambda n: "1" + "0" * n),
)
dates = st.sampled_from(
    [
        "2011-01-01",
        "2015-12-31",
        "2012-12-31",
        "0001-01-01",
        "9999-12-31",
        "2012-02-29",
        "1979-05-27T07:32:00Z",
        "1979-05-27T00:32:00.999999-07:00",
        "07:32:00",
        "2011-01-01 12:00",
    ]
)
scalars = st.one_of(strings, numbers, dates, st.sampled_from(["true", "false"]))


def nested(depth: int, inner: str, tables: bool) -> str:
    if tables:
        return "{ a = " * depth + inner + " }" * depth
    return "[" * depth + inner + "]" * depth


values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(st.sampled_from(KEYS), inner), max_size=4).map(
            lambda pairs: "{ " + ", ".join(f"{k} = {v}" for k, v in dict(pairs).items()) + " }"
        ),
    ),
    max_leaves=8,
) | st.builds(nested, st.integers(1, 1500), scalars, st.booleans())
keys = st.one_of(
    st.sampled_from(KEYS),
    texts.map(toml_string),
    st.lists(st.sampled_from(KEYS), min_size=2, max_size=50).map(".".join),
)

# -- random documents -----------------------------------------------------------------------

lines = st.one_of(
    st.tuples(keys, values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    keys.map(lambda k: f"[{k}]"),
    keys.map(lambda k: f"[[{k}]]"),
    st.sampled_from(
        [
            "[plan]",
            "[[tasks]]",
            "[[indicators]]",
            "[indicators.sources]",
            "[scoring]",
            "[indicators.params]",
            "[[tasks.projects]]",
            "# comment",
            "",
        ]
    ),
    st.text(max_size=30),
)
documents = st.lists(lines, max_size=30).map("\n".join)

# -- mutations of the seed plan -------------------------------------------------------------

# A number written in the plan (not a part of a date or a name).
NUMBER = re.compile(r"(?<![\w.-])[0-9][0-9.]*(?![\w-])")

# Sources and plugins dirs that are no regular file (made by the ``place`` fixture), or that
# cannot be looked at. None holds Python files: a plugins_dir runs its *.py.
ODD_PATHS = [
    "/dev/zero", "/dev/null", ".", "data", "folder.csv", "pipe.csv", "loop.csv", "dangling.csv",
    "x" * 300 + ".csv", "a\\u0000b.csv", "data/documents.csv/x.csv", "nowhere.csv",
    "plan.toml", "data/trainings.jsonl", "/", "~/x.csv", "data\\u001b[2J.csv",
]  # fmt: skip


NASTY_ESCAPES = ["\\n", "\\r\\n", "\\t", "\\u001b[31m", "\\u0085", "\\u2028", "\\u202e"]
HUGE = ["1e400", "9" * 5000, "1" + "0" * 400, "-1e999", "inf", "nan", "1.7976931348623159e308"]
# What each mutation applies to: a line, which it changes or puts a line after.
APPLIES_TO = {
    "delete": lambda line: True,
    "repeat": lambda line: True,
    "swap": lambda line: True,
    "insert": lambda line: True,
    "retype": lambda line: "=" in line,  # a value of another type, or any value
    "nasty": lambda line: '"' in line,  # a line break or control character in a string
    "raw": lambda line: '"' in line,  # the same, unescaped (not valid TOML)
    "huge": lambda line: bool(NUMBER.search(line)),
    "weight": lambda line: line in ("[[tasks]]", "[[indicators]]", "[scoring]"),
    "deep": lambda line: "=" in line,
    "source": lambda line: '.csv"' in line or '.jsonl"' in line,
    "plugins_dir": lambda line: line == "[plan]",
}


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    text_lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 5))):
        how = draw(st.sampled_from(sorted(APPLIES_TO)))
        fits = [i for i, line in enumerate(text_lines) if APPLIES_TO[how](line)]
        if not fits:
            continue
        index = draw(st.sampled_from(fits))
        line = text_lines[index]
        before = line.partition("=")[0]
        if how == "delete":
            del text_lines[index]
        elif how == "repeat":
            text_lines.insert(index, line)
        elif how == "swap":
            other = draw(st.integers(0, len(text_lines) - 1))
            text_lines[index], text_lines[other] = text_lines[other], line
        elif how == "insert":
            text_lines.insert(index, draw(lines))
        elif how == "retype":
            text_lines[index] = before + "= " + draw(values)
        elif how in ("nasty", "raw"):
            cut = line.index('"') + 1
            pool = NASTY_ESCAPES if how == "nasty" else NASTY
            text_lines[index] = line[:cut] + draw(st.sampled_from(pool)) + line[cut:]
        elif how == "huge":
            text_lines[index] = NUMBER.sub(draw(st.sampled_from(HUGE)), line, count=1)
        elif how == "weight":
            key = "at_risk" if line == "[scoring]" else "weight"
            text_lines.insert(index + 1, f"{key} = {draw(st.sampled_from(HUGE) | numbers)}")
        elif how == "deep":
            inner = nested(draw(st.integers(30, 2000)), "1", draw(st.booleans()))
            text_lines[index] = before + "= " + inner
        elif how == "source":
            text_lines[index] = f'{before}= "{draw(st.sampled_from(ODD_PATHS))}"'
        else:
            odd = draw(st.sampled_from(ODD_PATHS))
            text_lines.insert(index + 1, f'plugins_dir = "{odd}"')
    return "\n".join(text_lines) + "\n"


# -- the property ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    """A folder with the seed plan's data and odd things to point at."""
    where = tmp_path_factory.mktemp("plans")
    shutil.copytree(SEED_PLAN.parent / "data", where / "data")
    (where / "folder.csv").mkdir()
    os.mkfifo(where / "pipe.csv")
    (where / "loop.csv").symlink_to(where / "loop2.csv")
    (where / "loop2.csv").symlink_to(where / "loop.csv")
    (where / "dangling.csv").symlink_to(where / "nothing.csv")
    return where


def assert_lines_are_safe(path: Path, found: list[str], keys: list[str | None]) -> None:
    for line, key in zip(found, keys, strict=True):
        assert "\n" not in line and len(line.splitlines()) == 1, line
        assert len(line) < 500, line
        line.encode("utf-8")  # printable: no lone surrogate
        assert line.startswith(str(path)), line
        if key is not None:
            assert one_line(key, VALUE_WIDTH) in line, (key, line)


def check(path: Path, content: str | bytes) -> None:
    """Load and validate ``content`` as a plan file: only project errors, safe lines."""
    if isinstance(content, str):
        path.write_text(content, "utf-8", errors="surrogatepass")
    else:
        path.write_bytes(content)
    try:
        load_plan(path)
    except PlanError as error:
        for lang in (None, "vi"):
            keys = [p.key for p in error.problems]
            assert_lines_are_safe(path, error.lines(lang), keys)
    except VpcpError as error:  # a plugin error, say: one line each, no file to name
        for line in error.lines():
            assert len(line.splitlines()) == 1 and len(line) < 500
    try:
        problems = ENGINE.validate(path)
    except PlanError as error:
        problems = list(error.problems)
    except VpcpError:
        return
    for lang in (None, "vi"):
        rendered = [p.render(None if lang is None else _vi) for p in problems]
        assert_lines_are_safe(path, rendered, [p.key for p in problems])


def _vi(template: str) -> str:
    from vpcp_indicators.i18n import language

    return language("vi").translator()(template)


@SETTINGS
@given(documents)
@example("x = " + "[" * 1000 + "]" * 1000)
@example("at_risk = " + "9" * 5000)
@example('[plan]\nid = "a\\nb"\ntitle = ' + '"' + "x" * 1_000_000 + '"')
def test_any_toml_document_gives_only_project_errors_on_safe_lines(place, document):
    check(place / "plan.toml", document)


@SETTINGS
@given(mutated_seed())
def test_any_mutation_of_the_seed_plan_gives_only_project_errors_on_safe_lines(place, text):
    check(place / "plan.toml", text)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_give_only_project_errors_on_safe_lines(place, content):
    check(place / "plan.toml", content)
