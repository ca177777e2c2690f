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
from ..plan.sourceref import SourceRef

__all__ = ["RowValues", "SourceReader", "read_columns", "read_rows"]

#: What a reader yields per record: its line, and its values or why it cannot be read.
RowValues = tuple[int, "tuple[str, ...] | str"]


class SourceReader(Protocol):
    """What the engine asks of a reader.

    A reader of files lists the endings of their names in ``extensions`` (``(".csv",)``) and
    is given a :class:`~pathlib.Path`; a reader of a database lists its URL's scheme
    (``("sqlite",)``) and is given the URL. What the plan says beside the file or the URL
    (a workbook's ``sheet``, a database's ``table`` or ``query``) reaches ``columns`` and
    ``rows`` as keyword arguments, only when the plan says it.
    """

    name: str
    extensions: tuple[str, ...]

    def columns(self, path: Path, **options: str) -> list[str]:
        """The column names of the source, in file order."""
        ...

    def rows(self, path: Path, columns: Sequence[str], **options: str) -> Iterator[RowValues]:
        """``(line, values)`` per record, values in the order of ``columns``, ``""`` for none."""
        ...


def _own(reader: SourceReader) -> bool:
    return type(reader).__module__.startswith(__name__ + ".")


def read_columns(reader: SourceReader, ref: SourceRef) -> list[str]:
    """The columns of a source, named as the kind names them (the plan's ``columns`` map
    the kind's names to the source's)."""
    found = reader.columns(ref.target, **ref.options)  # type: ignore[arg-type]
    # A source's column named like a kind's column that the plan maps to another is not
    # that column: {issued_on = "ngay"} reads "ngay", whatever "issued_on" holds.
    away = {kind for kind, source in ref.columns if kind != source}
    return [ref.kind_column(c) for c in found if c not in away or ref.kind_column(c) != c]


def read_rows(
    reader: SourceReader, ref: SourceRef | Path, columns: Sequence[str]
) -> Iterator[RowValues]:
    """The reader's rows for ``columns`` (the kind's names).

    A third-party reader that raises makes the file a :class:`SourceError` naming it, and a
    value of its that is not text (a string with an unpaired surrogate, which no output can
    write) makes its row unreadable, as a CSV row with bytes that are not UTF-8 is.
    """
    if not isinstance(ref, SourceRef):
        ref = SourceRef.file(ref)
    asked = [ref.source_column(c) for c in columns]
    if _own(reader):
        return reader.rows(ref.target, asked, **ref.options)  # type: ignore[arg-type]
    return _checked(reader, ref, asked)


def _checked(reader: SourceReader, ref: SourceRef, columns: Sequence[str]) -> Iterator[RowValues]:
    path = ref.target
    try:
        for line, values in reader.rows(path, columns, **ref.options):  # type: ignore[arg-type]
            if isinstance(values, str) or all(v.isascii() or _encodable(v) for v in values):
                yield line, values
            else:
                yield line, N_("not UTF-8 text")
    except VpcpError:
        raise
    except Exception as error:  # a third-party reader's failure is reported, not a traceback
        reason = f"{type(error).__name__}: {error}"
        raise SourceError.at(
            ref.where, "reader '{reader}' failed: {reason}", reader=reader.name, reason=reason
        ) from error


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
