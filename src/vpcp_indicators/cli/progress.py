"""The progress line of long runs, on standard error when it is a terminal."""

from __future__ import annotations

import sys
import time

from ..i18n import Language
from ..printable import printable

__all__ = ["Progress"]


class Progress:
    """The progress line of a long run, on standard error, only when it is a terminal.

    The engine calls it with the file being read, the share done (or None) and the records
    read so far (or None); it redraws at most a few times a second.
    """

    def __init__(self, lang: Language):
        self.lang = lang
        self.start = time.monotonic()
        self.shown = 0.0
        self.width = 0
        self.current = ""

    @staticmethod
    def wanted() -> bool:
        """Whether to show one: standard error is a terminal."""
        return sys.stderr is not None and sys.stderr.isatty()

    def __call__(self, name: str, done: float | None, rows: int | None) -> None:
        now = time.monotonic()
        if name != self.current:
            self.current, self.start = name, now
        if now - self.shown < 0.2 and done != 1.0:
            return
        self.shown = now
        lang, elapsed = self.lang, max(now - self.start, 1e-6)
        parts = [printable(name)]
        if rows is not None:
            parts.append(
                lang.gettext(
                    "{rows} records, {rate}/s",
                    rows=lang.integer(rows),
                    rate=lang.integer(int(rows / elapsed)),
                )
            )
        if done:
            parts.append(lang.percent(done))
            if done < 1:
                left = elapsed * (1 - done) / done
                parts.append(lang.gettext("{seconds} s left", seconds=lang.integer(int(left))))
        line = "  ".join(parts)
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = len(line)

    def close(self) -> None:
        """Clear the line."""
        if self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
