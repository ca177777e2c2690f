"""Readers of record sources, one module per file format.

Each reader is registered through the ``register_source_readers`` hook (see ``hookspecs``);
the engine picks one by the ending of the source's file name. :func:`read_rows` is how every
backend reads a file through its reader: the project's readers keep the reading contract
themselves, and a third-party reader is held to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ..errors import SourceError, VpcpError
from ..i18n import N_
from ..plan.sourceref import SourceRef

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = [
    "READING_CONTRACT",
    "Build",
    "CountingReader",
    "Other",
    "Relation",
    "RowValues",
    "SourceReader",
    "Values",
    "counts_itself",
    "read_columns",
    "read_rows",
    "tally",
    "values_of",
]

#: The version of the reading contract (what a value, a missing value, a date and a broken
#: row are): a tally kept in the cache was read under one, and is not used under another.
#: Raise it with any change to how the project's readers read.
READING_CONTRACT = 1

#: What a reader yields per record: its line, and its values or why it cannot be read.
RowValues = tuple[int, "tuple[str, ...] | str"]


class SourceReader(Protocol):
    """What the engine asks of a reader.

    A reader of files lists the endings of their names in ``extensions`` (``(".csv",)``) and
    is given a :class:`~pathlib.Path`; a reader of a database lists its URL's scheme
    (``("sqlite",)``, no dot) and is given the URL, or the file of a ``sqlite:PATH`` URL.
    What the plan says beside the file or the URL (a workbook's ``sheet``, a database's
    ``table`` or ``query`` and its ``timeout`` in seconds) reaches ``columns`` and ``rows``
    as keyword arguments, only when the plan says it. A reader's errors that name what it was
    given are made to name the source as the plan does.
    """

    name: str
    extensions: tuple[str, ...]

    def columns(self, path: Path, **options: str | float) -> list[str]:
        """The column names of the source, in file order."""
        ...

    def rows(
        self, path: Path, columns: Sequence[str], **options: str | float
    ) -> Iterator[RowValues]:
        """``(line, values)`` per record, values in the order of ``columns``, ``""`` for none."""
        ...


@attrs.frozen
class Values:
    """What makes a relation's columns the contract's text, when a counting reader gives each
    column's own value instead (``k0``... as the database holds them), so that the counts
    group records on the database's types and make each text once per group, not once per
    record. Each function is given a column's position and a value's SQL:

    - ``text``: the text :meth:`SourceReader.rows` gives (NULL for none);
    - ``missing``: the test that the value is none (no text);
    - ``date``: for a column the database types as a date, the test that its value's text is
      ``YYYY-MM-DD`` (a day of the years 1 to 9999).
    """

    text: Callable[[int, exp.Expr], exp.Expr]
    missing: Callable[[int, exp.Expr], exp.Expr]
    date: Callable[[int, exp.Expr], exp.Expr]


#: A source's rows in a counting reader's database: the relation, the positions of its
#: columns the database types as dates (whose text is always a date) and, optionally,
#: :class:`Values` when its columns are the database's own values rather than their text.
Relation = (
    tuple["exp.Expr", "frozenset[int]"] | tuple["exp.Expr", "frozenset[int]", "Values | None"]
)


def values_of(relation: Relation) -> Values | None:
    """A relation's :class:`Values`, None when its columns are text."""
    return relation[2] if len(relation) > 2 else None


#: What a counting reader is given to make its statement: given the relations of the sources
#: it reads (the source's own first, then the others it was asked for), it gives back the
#: statement to run and the values of its placeholders.
Build = Callable[[Sequence[Relation]], "tuple[exp.Expr, Mapping[str, Any]]"]

#: Another source of the same database that a statement reads: its columns (as the source
#: names them) and its options (``table``, ``query``...).
Other = tuple[Sequence[str], Mapping[str, Any]]


class CountingReader(SourceReader, Protocol):
    """A reader of a database that counts: the engine sends it the count, and only the
    figures come back.

    ``dialect`` is SQLGlot's name of the database's SQL. :meth:`tally` makes the relation of
    the source's rows as the reader's :meth:`rows` would give them, aliased ``r``: the
    columns asked, in order, as ``k0``, ``k1``... (each the text ``rows`` gives, NULL for no
    value), ``__bad`` (why the row cannot be read, NULL when it can) and, when ``numbered``,
    ``__row`` (its number in ``rows``). It makes the same relation of each of ``others``:
    sources of the same database (the same path or URL) that the count reads too, such as
    the records a :class:`~vpcp_indicators.HasRelated` looks into. It hands the relations to
    ``build``, each with the positions of the columns its database types as dates (a date
    the database holds cannot be malformed, so those are not checked), renders the statement
    ``build`` gives in its dialect, runs it as it runs its reading (read-only, within the
    timeout), and returns its rows. When not ``numbered``, a relation may hold each column's
    own value instead of its text, with the :class:`Values` that make the text (a third item
    beside the relation and its date columns): the counts then group on the database's own
    types.
    """

    dialect: str

    def tally(
        self,
        path: Path,
        columns: Sequence[str],
        build: Build,
        numbered: bool = False,
        *,
        others: Sequence[Other] = (),
        **options: str | float,
    ) -> list[tuple[Any, ...]]:
        """The rows of the statement ``build`` makes of the sources' relations."""
        ...


def counts_itself(reader: SourceReader) -> bool:
    """Whether a reader's database can be sent the count (see :class:`CountingReader`)."""
    return isinstance(getattr(reader, "dialect", None), str) and callable(
        getattr(reader, "tally", None)
    )


def tally(
    reader: CountingReader,
    ref: SourceRef,
    columns: Sequence[str],
    build: Build,
    numbered: bool,
    others: Sequence[tuple[SourceRef, Sequence[str]]] = (),
) -> list[tuple[Any, ...]]:
    """The rows of the statement ``build`` makes, ``columns`` named as the kind names them
    (and those of each other source of the same database); the reader's errors name the
    source as the plan does."""
    asked = [ref.source_column(c) for c in columns]
    more = [([o.source_column(c) for c in names], dict(o.options)) for o, names in others]
    try:
        return reader.tally(ref.target, asked, build, numbered, others=more, **ref.options)  # type: ignore[arg-type]
    except SourceError as error:
        raise _named(error, ref) from error


def _own(reader: SourceReader) -> bool:
    return type(reader).__module__.startswith(__name__ + ".")


def read_columns(reader: SourceReader, ref: SourceRef) -> list[str]:
    """The columns of a source, named as the kind names them (the plan's ``columns`` map
    the kind's names to the source's)."""
    try:
        found = reader.columns(ref.target, **ref.options)  # type: ignore[arg-type]
    except SourceError as error:
        raise _named(error, ref) from error
    # A column named as a kind's column the plan maps to another is not that column.
    renamed = {kind for kind, source in ref.columns if kind != source}
    return [ref.kind_column(c) for c in found if c not in renamed or ref.kind_column(c) != c]


def _named(error: SourceError, ref: SourceRef) -> SourceError:
    """A reader's error naming the source as messages do (``sqlite:hr.sqlite [nhan_su]``),
    where it named the file or URL it was given."""
    given, name = str(ref.target), str(ref.where)
    if given == name:
        return error
    problems = [attrs.evolve(p, file=name) if p.file == given else p for p in error.problems]
    return SourceError(problems)


def _renamed(rows: Iterator[RowValues], ref: SourceRef) -> Iterator[RowValues]:
    try:
        yield from rows
    except SourceError as error:
        raise _named(error, ref) from error


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
        rows = reader.rows(ref.target, asked, **ref.options)  # type: ignore[arg-type]
        return rows if ref.is_plain_file else _renamed(rows, ref)
    return _renamed(_checked(reader, ref, asked), ref)


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
