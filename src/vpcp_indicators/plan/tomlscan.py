"""A lexical scan of TOML text, for what the parser must not be given, and to point at it.

``tomllib`` recurses once per level of brackets (a thousand levels exhaust Python's stack),
takes time quadratic in the parts of a dotted key (a key of 40,000 parts takes a minute),
and cannot convert an integer of more than 4,300 digits. This scan needs no valid TOML and
never recurses: it finds the first place where brackets nest, or a dotted key has parts,
beyond a limit, and the first run of too many digits, so that each is refused with its
line and column before, or instead of, parsing.
"""

from __future__ import annotations

import re

__all__ = ["long_digits", "position_of", "too_deep"]

_LEXEMES = re.compile(
    # Multi-line strings: neither key parts nor anything that nests.
    r'(?P<text>"""(?:[^"\\]|\\.|""?(?!"))*"{3,5}'
    r"|'''(?:[^']|''?(?!'))*'{3,5})"
    # What a dotted key is made of (a float's "1.5" is two parts, no value has three).
    r'|(?P<part>"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|[A-Za-z0-9_+-]+)'
    r"|(?P<dot>\.)"
    # Anything else ends a dotted key: comments, brackets, "=", ",", line ends.
    r"|(?P<other>#[^\n]*|[^ \t])",
    re.DOTALL,
)


def position_of(text: str, offset: int) -> tuple[int, int]:
    """The ``(line, column)`` of an offset of ``text``, both 1-based."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def too_deep(text: str, limit: int) -> int | None:
    """The offset of the first ``[`` or ``{`` nested more than ``limit`` deep, or of the
    first dotted key of more than ``limit`` parts (it nests as deep), if any."""
    depth = 0
    parts = 0
    start = 0
    after_dot = False
    for match in _LEXEMES.finditer(text):
        kind, lexeme = match.lastgroup, match.group()
        if kind == "part":
            if not after_dot:
                parts, start = 0, match.start()
            parts += 1
            after_dot = False
            if parts > limit:
                return start
            continue
        after_dot = kind == "dot"
        if kind == "dot":
            continue
        parts = 0
        if lexeme in ("[", "{"):
            depth += 1
            if depth > limit:
                return match.start()
        elif lexeme in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


def long_digits(text: str, digits: int) -> int | None:
    """The offset of the first number of more than ``digits`` digits outside strings and
    comments (one too long for ``int()``), if any."""
    for match in _LEXEMES.finditer(text):
        lexeme = match.group().lstrip("+-")
        is_number = match.lastgroup == "part" and lexeme[:1].isdigit()
        if is_number and sum(c.isdigit() for c in lexeme) > digits:
            return match.start()
    return None
