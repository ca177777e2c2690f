"""Messages stay one readable line whatever their values hold: escaped, cut, never raising."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vpcp_indicators.errors import (
    LINE_WIDTH,
    VALUE_WIDTH,
    Message,
    PlanError,
    Problem,
    VpcpError,
    one_line,
)


def test_a_value_with_line_breaks_and_escapes_is_shown_on_one_line():
    text = Message("unknown window '{window}'", {"window": "ye\nar\r\t\x1b[31m\x85\x7f"})
    assert text.render() == "unknown window 'ye\\nar\\r\\t\\x1b[31m\\x85\\x7f'"


def test_line_separators_surrogates_and_bidi_controls_are_escaped():
    text = Message("{a}", {"a": "x\u2028y\u2029z\udcff\u202e"})
    assert text.render() == "x\\u2028y\\u2029z\\udcff\\u202e"


def test_vietnamese_and_other_printable_text_is_shown_as_written():
    title = "Kế hoạch ứng dụng CNTT – giai đoạn 2011 - 2015 ✔"
    assert Message("plan '{title}'", {"title": title}).render() == f"plan '{title}'"


def test_a_long_value_is_cut_with_an_ellipsis():
    text = Message("found {value}", {"value": "x" * 1_000_000})
    assert text.render() == "found " + "x" * (VALUE_WIDTH - 1) + "…"


def test_a_value_shown_with_repr_is_escaped_once_and_cut():
    assert Message("the string {text!r}", {"text": "a\nb"}).render() == "the string 'a\\nb'"
    cut = Message("{text!r}", {"text": "y" * 5000}).render()
    assert cut == "'" + "y" * (VALUE_WIDTH - 2) + "…"


def test_escapes_count_toward_the_width_and_are_never_split():
    # 100 line breaks are 200 characters once escaped: they fit exactly; one more does not.
    assert one_line("\n" * 100, 200) == "\\n" * 100
    assert one_line("\n" * 101, 200) == "\\n" * 99 + "…"


def test_a_nested_message_is_translated_and_not_escaped_again():
    inner = Message("the string {text!r}", {"text": "a\tb"})
    outer = Message("expected a date, found {found}", {"found": inner})
    words = {
        "the string {text!r}": "chuỗi {text!r}",
        "expected a date, found {found}": "cần {found}",
    }
    assert outer.render(words.get) == "cần chuỗi 'a\\tb'"


def test_an_integer_too_long_to_write_does_not_break_the_message():
    assert Message("found {value}", {"value": 10**5000}).render() == "found <int>"


def test_a_template_handed_in_by_a_plugin_is_kept_on_one_line_too():
    assert Message("bad\nparams").render() == "bad\\nparams"
    assert len(Message("z" * 10_000).render()) == LINE_WIDTH


def test_a_problem_line_escapes_its_file_and_key_and_stays_short():
    problem = Problem(
        Message("unknown key (allowed: {allowed})", {"allowed": "a, b"}),
        file="odd\nname.toml",
        line=3,
        column=1,
        key="params.k\x1bey",
    )
    assert problem.render() == "odd\\nname.toml:3:1: params.k\\x1bey: unknown key (allowed: a, b)"
    huge = Problem(Message("{a} {b} {c}", {"a": "a" * 999, "b": "b" * 999, "c": "c" * 999}),
                   file="f" * 999, key="k" * 999)  # fmt: skip
    line = huge.render()
    assert len(line) == LINE_WIDTH and line.endswith("…")
    assert line.startswith("f" * (VALUE_WIDTH - 1) + "…: " + "k" * (VALUE_WIDTH - 1) + "…: a")


def test_errors_give_their_lines_safe():
    error = PlanError([Problem(Message("{v}", {"v": "a\nb"}), file="p.toml", line=1)])
    assert error.lines() == ["p.toml:1: a\\nb"]
    assert str(error) == "p.toml:1: a\\nb"
    assert VpcpError("no indicator '{id}'", id="x\ny").lines() == ["no indicator 'x\\ny'"]


# Every code point, lone surrogates included (they come from file names that are not UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=()))


@given(ANY_TEXT, st.integers(1, 600))
def test_one_line_is_always_one_short_line(text, width):
    shown = one_line(text, width)
    assert len(shown) <= width
    assert len(shown.splitlines()) <= 1
    shown.encode("utf-8")  # no lone surrogate: it can be printed
    if len(text) <= width and text.isprintable() and "\\" not in text:
        assert shown == text


@given(st.dictionaries(st.sampled_from("abc"), st.one_of(ANY_TEXT, st.integers(), st.floats())))
def test_any_values_give_one_line(values):
    line = Problem(Message("x {a} {b!r} {c}", values), file="p.toml", key="k").render()
    assert len(line) <= LINE_WIDTH and len(line.splitlines()) == 1


def test_a_template_with_a_missing_field_or_a_stray_brace_is_still_shown():
    assert Message("{a} and {b}", {"a": 1}).render() == "1 and {b}"
    assert Message("50% {", {"a": 1}).render() == "50% {"


def test_a_date_in_a_message_is_written_as_the_readers_language_writes_it():
    import datetime as dt

    from vpcp_indicators.i18n import language

    text = Message(
        "target date {date} is outside the plan ({start} to {end})",
        {"date": dt.date(2016, 12, 31), "start": dt.date(2011, 1, 1), "end": dt.date(2015, 12, 31)},
    )
    english = "target date 2016-12-31 is outside the plan (2011-01-01 to 2015-12-31)"
    assert text.render() == english
    assert text.render(language("en").translator()) == english
    assert text.render(language("vi").translator()) == (
        "thời hạn mục tiêu 31/12/2016 nằm ngoài kế hoạch (01/01/2011 đến 31/12/2015)"
    )


def test_a_plural_message_takes_the_form_its_count_asks_for():
    from vpcp_indicators.errors import plural_message
    from vpcp_indicators.i18n import language

    one = plural_message("{count} task", "{count} tasks", 1)
    many = plural_message("{count} task", "{count} tasks", 3)
    assert (one.render(), many.render()) == ("1 task", "3 tasks")
    english = language("en").translator()
    assert (one.render(english), many.render(english)) == ("1 task", "3 tasks")
    # Vietnamese has one form for every count.
    vietnamese = language("vi").translator()
    assert (one.render(vietnamese), many.render(vietnamese)) == ("1 nhiệm vụ", "3 nhiệm vụ")


def test_the_systems_reasons_are_said_in_the_readers_language():
    import errno
    import os

    from vpcp_indicators.errors import os_reason
    from vpcp_indicators.i18n import language

    full = os_reason(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    assert full.render() == "No space left on device"
    assert full.render(language("vi").translator()) == "thiết bị đã hết dung lượng trống"
    denied = Message(
        "cannot write {path}: {reason}",
        {"path": "/x", "reason": os_reason(PermissionError(errno.EACCES, "Permission denied"))},
    )
    assert denied.render(language("vi").translator()) == (
        language("vi")
        .translator()("cannot write {path}: {reason}")
        .format(path="/x", reason="không có quyền truy cập")
    )
    # A refusal the catalog does not know keeps the system's words; one without an errno,
    # the kind of error.
    odd = os_reason(OSError(errno.ENOLINK, "Link has been severed"))
    assert odd.render(language("vi").translator()) == "Link has been severed"
    assert os_reason(OSError("x")).render() == "OSError"
