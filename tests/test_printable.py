"""Text shown on a terminal: every control character escaped, everything else as it is."""

from __future__ import annotations

import pytest

from vpcp_indicators.printable import printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # colour
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),  # window title, bell
        ("\x9b2J", "\\x9b2J"),  # the one-character CSI (C1): clear screen
        ("paid\rdue", "paid\\rdue"),  # overwrite the line
        ("ab\b\bxy", "ab\\x08\\x08xy"),  # backspaces
        ("one\ntwo\tthree", "one\\ntwo\\tthree"),
        ("\x00\x7f\x85", "\\x00\\x7f\\x85"),  # NUL, DEL, NEL
        ("\u202eevil\u202c \u2066x\u2069", "\\u202eevil\\u202c \\u2066x\\u2069"),  # bidi
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),  # line and paragraph separators
    ],
)
def test_control_characters_are_shown_escaped(text, shown):
    assert printable(text) == shown


def test_other_text_is_shown_as_it_is():
    text = "Ứng dụng CNTT – 70,5 % ✔ ● ▲ \\x1b \u00a0 日本 🙂 \u200d"
    assert printable(text) == text
