"""A block of a document that a script writes, between two HTML comments: replaced whole,
and checked by CI to be what the script would write (``--check``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def replaced(text: str, start: str, end: str, body: str) -> str:
    """``text`` with what stands between ``start`` and ``end`` replaced by ``body``."""
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}{end}{tail}"


def main(path: Path, written: Callable[[str], str], what: str) -> None:
    """Rewrite the block of ``path``; with ``--check``, fail if it is stale instead."""
    current = path.read_text("utf-8")
    fresh = written(current)
    if "--check" in sys.argv:
        if fresh != current:
            shown = path.relative_to(Path(__file__).resolve().parent.parent)
            print(f"{shown}: the {what} is stale: run {sys.argv[0]}")
            sys.exit(1)
        print(f"{what} up to date")
    else:
        path.write_text(fresh, "utf-8")
