"""Readers of record sources, one module per file format.

Each reader is registered through the ``register_source_readers`` hook (see ``hookspecs``);
the engine picks one by the ending of the source's file name. :func:`read_rows` is how every
backend reads a file through its reader: the project's readers keep the reading contract
themselves, and a third-party reader is held to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from ..errors import SourceError, VpcpError
from ..i18n import N_

__all__ = ["RowValues", "SourceReader", "read_rows"]

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


def _own(reader: SourceReader) -> bool:
    return type(reader).__module__.startswith(__name__ + ".")


def read_rows(reader: SourceReader, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
    """The reader's rows for ``columns``.

    A third-party reader that raises makes the file a :class:`SourceError` naming it, and a
    value of its that is not text (a string with an unpaired surrogate, which no output can
    write) makes its row unreadable, as a CSV row with bytes that are not UTF-8 is.
    """
    if _own(reader):
        return reader.rows(path, columns)
    return _checked(reader, path, columns)


def _checked(reader: SourceReader, path: Path, columns: Sequence[str]) -> Iterator[RowValues]:
    try:
        for line, values in reader.rows(path, columns):
            if isinstance(values, str) or all(v.isascii() or _encodable(v) for v in values):
                yield line, values
            else:
                yield line, N_("not UTF-8 text")
    except VpcpError:
        raise
    except Exception as error:  # a third-party reader's failure is reported, not a traceback
        reason = f"{type(error).__name__}: {error}"
        raise SourceError.at(
            path, "reader '{reader}' failed: {reason}", reader=reader.name, reason=reason
        ) from error


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
