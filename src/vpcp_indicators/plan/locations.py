"""Where each key of a TOML document is written: line and column, for error messages.

``tomllib`` parses but forgets positions. This scanner walks a document that ``tomllib`` has
already accepted and records, for every key and array element, the position it starts at. It
relies on the document being valid TOML, which keeps it small: it never has to report a
syntax error.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

import attrs

from ..errors import Message, Problem

__all__ = ["KeyLocator", "Path", "key_text", "locate_keys"]

Path = tuple[str | int, ...]
Position = tuple[int, int]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPED = re.compile(r"\\(.)")


def locate_keys(text: str) -> dict[Path, Position]:
    """Map each key path of ``text`` to its ``(line, column)``, both 1-based.

    A path holds table keys and array indices: ``("indicators", 1, "targets", 0, "by")``.
    A table header's path maps to the header's position.
    """
    return _Scanner(text).scan()


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        # Offsets at which each line starts, to turn an offset into (line, column).
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.found: dict[Path, Position] = {}
        self.table_arrays: dict[Path, int] = {}

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def record(self, path: Path, offset: int) -> None:
        # The first place a key is written is where it is defined; later ones are skipped
        # before their position is looked up (a plan may repeat [[indicators]] thousands of
        # times).
        if path not in self.found:
            self.found[path] = self.position(offset)

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.pos += 1
            elif ch == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def scan(self) -> dict[Path, Position]:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return self.found
            if self.peek() == "[":
                table = self.header()
            else:
                self.keyval(table)

    def header(self) -> Path:
        start = self.pos
        is_array = self.peek(2) == "[["
        self.pos += 2 if is_array else 1
        keys = self.key()
        self.pos += 2 if is_array else 1
        path: Path = ()
        for i, key in enumerate(keys):
            path = (*path, key)
            last = i == len(keys) - 1
            if last and is_array:
                count = self.table_arrays.get(path, 0) + 1
                self.table_arrays[path] = count
                self.record(path, start)
                path = (*path, count - 1)
            elif path in self.table_arrays:
                path = (*path, self.table_arrays[path] - 1)
        self.record(path, start)
        return path

    def key(self) -> list[str]:
        """Read a possibly dotted key; leave the position after it."""
        parts = []
        while True:
            self.skip_blank(newlines=False)
            ch = self.peek()
            if ch in "\"'":
                end = self.string_end(self.pos)
                raw = self.text[self.pos + 1 : end - 1]
                parts.append(_ESCAPED.sub(r"\1", raw) if ch == '"' else raw)
                self.pos = end
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                assert match, "the document was accepted by tomllib"
                parts.append(match.group())
                self.pos = match.end()
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.pos += 1

    def keyval(self, table: Path) -> None:
        start = self.pos
        keys = self.key()
        # A dotted key a.b.c = 1 also defines a and a.b, at the same place.
        for end in range(1, len(keys) + 1):
            self.record((*table, *keys[:end]), start)
        path = (*table, *keys)
        self.skip_blank(newlines=False)
        self.pos += 1  # the "="
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        ch = self.peek()
        if ch in "\"'":
            self.pos = self.string_end(self.pos)
        elif ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1

    def array(self, path: Path) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "]":
                self.pos += 1
                return
            self.record((*path, index), self.pos)
            self.value((*path, index))
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.pos += 1
            index += 1

    def inline_table(self, path: Path) -> None:
        self.pos += 1
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "}":
                self.pos += 1
                return
            if self.peek() == ",":
                self.pos += 1
                continue
            self.keyval(path)

    def string_end(self, start: int) -> int:
        """The offset just past the string that starts at ``start``."""
        text = self.text
        quote = text[start]
        if text.startswith(quote * 3, start):
            i = start + 3
            while True:
                if quote == '"' and text[i] == "\\":
                    i += 2
                elif text.startswith(quote * 3, i):
                    # Up to two more quotes belong to the content: """a""""" is 'a""'.
                    run = 3
                    while run < 5 and text[i + run : i + run + 1] == quote:
                        run += 1
                    return i + run
                else:
                    i += 1
        i = start + 1
        while text[i] != quote:
            i += 2 if quote == '"' and text[i] == "\\" else 1
        return i + 1


@attrs.frozen
class KeyLocator:
    """Turns a key path of a plan file into a located :class:`Problem`.

    ``indicators`` maps each indicator id to its index in the file's ``[[indicators]]``, so
    that checks made after loading can point at the right table.
    """

    file: str
    positions: Mapping[Path, Position] = attrs.field(factory=dict)
    indicators: Mapping[str, int] = attrs.field(factory=dict)

    def problem(self, path: Path, message: Message | str) -> Problem:
        """A problem at the key ``path``, or at the nearest enclosing key the file has."""
        line = column = None
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                line, column = self.positions[path[:end]]
                break
        return Problem(message, self.file, line, column, key_text(path) or None)


def key_text(path: Path) -> str:
    """A key path as a person writes it: ``indicators[2].targets[0].by``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
