"""Text from a plan or records, made safe to show on a terminal.

A title, an id, a group or a message may hold control characters. A terminal runs an escape
sequence (``\\x1b[31m``, or ``\\x9b`` alone, the one-character CSI) instead of showing it: it
changes colours, moves the cursor, retitles the window or hides a line; ``\\r`` and ``\\b``
write over what was shown, and a line break starts a line that seems to be the program's.
Bidirectional controls reorder what follows. Every such character is shown escaped instead,
as Python writes it, so that what is on the screen is what is in the file.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidirectional
# marks, embeddings, overrides and isolates.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """``text`` with every control character escaped (``\\x1b``, ``\\n``, ``\\u202e``): one
    line that a terminal shows as it is."""
    return _CONTROL.sub(_escaped, text)
