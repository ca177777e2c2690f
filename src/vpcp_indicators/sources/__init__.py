"""Readers of record sources, one module per file format.

Each reader is registered through the ``register_source_readers`` hook (see ``hookspecs``);
the engine picks one by the ending of the source's file name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

__all__ = ["RowValues", "SourceReader"]

#: What a reader yields per record: its line, and its values or why it cannot be read.
RowValues = tuple[int, "tuple[str, ...] | str"]


class SourceReader(Protocol):
    """What the engine asks of a reader."""

    name: str
    extensions: tuple[str, ...]

    def columns(self, path: Path) -> list[str]:
        """The column names of the source, in file order."""
        ...

    def rows(self, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
        """``(line, values)`` per record, values in the order of ``columns``, ``""`` for none."""
        ...
