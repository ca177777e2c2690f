"""SQLite sources: a table or a query of a database file, read through the standard library.

The reading, as the README's contract states it:

- The file is opened read-only (``mode=ro``): a missing file is an error, never a new
  database, and nothing is ever written to it. Every statement runs under an authorizer that
  allows reading and nothing else, and under a timeout (:data:`TIMEOUT` unless the plan's
  ``timeout`` says otherwise) that each step of SQLite's work must finish within.
- A ``table`` reaches SQL only as a quoted identifier; a ``query`` must be one ``SELECT``
  (a compound one, ``UNION`` and the like, included), parsed with SQLGlot, and is read as a
  subquery. All SQL is built as SQLGlot expression trees, never by pasting text together.
- Rows are numbered from 1 in the order they are read: a table by its ``rowid`` (a
  ``WITHOUT ROWID`` table by its primary key), a view or a query in the order SQLite gives
  its rows (a query's ``ORDER BY`` fixes it).
- TEXT is taken as written; INTEGER as its decimal digits; REAL in the shortest form that
  reads back as the same double (``0.75``, ``3.0``, ``1e+16``), as a JSON Lines number is;
  NULL is no value. A BLOB in a column read makes its row unreadable, and so does TEXT that
  is not UTF-8 in a column read.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..errors import SourceError
from ..filekinds import file_problem
from ..hookspecs import hookimpl
from ..i18n import N_
from . import Build, Other, Relation, RowValues
from .selects import render, statements

# SQLGlot is imported where SQL is built: a plan that reads no database never loads it.
if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["TIMEOUT", "SqliteReader", "parse_query"]

#: Seconds a step of SQLite's work may take, unless the plan's ``timeout`` says otherwise.
TIMEOUT = 300.0

BINARY = N_("a value is binary")
NOT_UTF8 = N_("not UTF-8 text")

_BATCH = 4096
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
# How many SQLite virtual machine steps pass between two looks at the clock.
_STEPS = 10_000
# What the plan's SQL may do: read. Anything else (a write, ATTACH, a PRAGMA) is refused
# by SQLite before it runs, whatever got past the parser.
_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}
_ALLOWED.add(getattr(sqlite3, "SQLITE_RECURSIVE", 33))


def _identifier(name: str) -> exp.Identifier:
    from sqlglot import exp

    return exp.Identifier(this=name, quoted=True)


def parse_query(query: str, where: object) -> exp.Query:
    """The plan's query as an expression tree; a SourceError naming ``where`` unless it is
    one SELECT."""
    import sqlglot
    from sqlglot import exp

    try:
        found = statements(query, "sqlite")
    except sqlglot.errors.SqlglotError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SourceError.at(where, "the query cannot be read: {reason}", reason=reason) from None
    if len(found) != 1:
        raise SourceError.at(
            where, "the query must be one SELECT, not {count} statements", count=len(found)
        )
    tree = found[0]
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise SourceError.at(where, "the query must be one SELECT")
    return tree


def _timeout(options: dict[str, object]) -> float:
    value = options.get("timeout")
    return float(value) if isinstance(value, int | float) else TIMEOUT


class _Database:
    """A read-only connection, and the statements the reader runs on it."""

    def __init__(self, path: Path, timeout: float):
        self.path = path
        self.timeout = timeout
        what = file_problem(path)
        if what is not None:
            raise SourceError.at(path, "cannot open the source: {reason}", reason=what)
        # mode=ro: SQLite opens the file for reading only, and does not create it.
        uri = f"file:{quote(str(path.absolute()))}?mode=ro"
        self.deadline = float("inf")
        self.timed_out = False
        try:
            self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as error:
            raise self.error(error) from None
        # Bytes that are not UTF-8 make one row unreadable, not the whole read fail.
        self.connection.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
        self.connection.set_progress_handler(self._past_deadline, _STEPS)

    def _past_deadline(self) -> int:
        self.timed_out = time.monotonic() > self.deadline
        return int(self.timed_out)

    def error(self, error: sqlite3.Error) -> SourceError:
        """An error of SQLite as one line naming the database."""
        if self.timed_out:
            return SourceError.at(
                self.path,
                "the database took longer than {seconds} seconds (the source's timeout)",
                seconds=f"{self.timeout:g}",
            )
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return SourceError.at(self.path, "cannot read the database: {reason}", reason=reason)

    def run(
        self, statement: str, parameters: Sequence[str] | Mapping[str, Any] = ()
    ) -> sqlite3.Cursor:
        """A statement started, within the timeout."""
        self.deadline = time.monotonic() + self.timeout
        try:
            return self.connection.execute(statement, parameters)
        except sqlite3.Error as error:
            raise self.error(error) from None

    def fetch(self, cursor: sqlite3.Cursor) -> list[tuple[object, ...]]:
        """The next rows of a statement, within the timeout."""
        self.deadline = time.monotonic() + self.timeout
        try:
            return cursor.fetchmany(_BATCH)
        except sqlite3.Error as error:
            raise self.error(error) from None

    def guard(self) -> None:
        """From now on, only reading is allowed."""
        self.connection.set_authorizer(_authorize)

    def order(self, table: str) -> list[exp.Expression]:
        """What a table's rows are read in order of: its rowid, or its primary key."""
        from sqlglot import exp

        rowid = exp.Column(this=exp.Identifier(this="rowid"), table=_identifier(table))
        probe = exp.select(rowid).from_(_table(table)).limit(0)
        try:
            self.connection.execute(probe.sql(dialect="sqlite"))
            return [rowid]
        except sqlite3.Error:
            pass  # a WITHOUT ROWID table, or no table at all (which reading it will say)
        keys = self.run(
            "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,)
        ).fetchall()
        return [_column(str(name), table) for (name,) in keys]

    def close(self) -> None:
        """The connection closed."""
        self.connection.close()


def _authorize(action: int, *arguments: object) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED else sqlite3.SQLITE_DENY


def _table(name: str) -> exp.Table:
    from sqlglot import exp

    return exp.Table(this=_identifier(name))


def _column(name: str, table: str) -> exp.Column:
    """A column, qualified: SQLite takes an unqualified double-quoted name that is no
    column's for a string, so that a missing column would read as its own name."""
    from sqlglot import exp

    return exp.Column(this=_identifier(name), table=_identifier(table))


#: What a query's rows are selected from, as SQL and in SQLite's messages ("query.x").
QUERY = "query"


def _source(
    db: _Database, options: Mapping[str, object]
) -> tuple[exp.Expression, str, list[exp.Expression]]:
    """What the rows are selected from (the table, or the query as a subquery), its name in
    the statement, and the order to read the rows in."""
    query = options.get("query")
    if isinstance(query, str):
        return parse_query(query, db.path).subquery(_identifier(QUERY)), QUERY, []
    table = options.get("table")
    if not isinstance(table, str):
        raise SourceError.at(db.path, "give the database's table or a query, one of them")
    return _table(table), table, db.order(table)


def _text(value: object) -> str:
    """A value of SQLite as the text the contract reads (ValueError for a BLOB)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise ValueError(BINARY)


def _real(value: float) -> str:
    return repr(value)


def _utf8(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return 1


def _typeof(value: exp.Expression, name: str) -> exp.Expression:
    from sqlglot import exp

    return exp.EQ(
        this=exp.Anonymous(this="typeof", expressions=[value.copy()]),
        expression=exp.Literal.string(name),
    )


def _as_text(value: exp.Expression) -> exp.Expression:
    """A value as the text :func:`_text` makes of it, NULL for none (and for a BLOB)."""
    from sqlglot import exp

    return (
        exp.Case()
        .when(
            _typeof(value, "text"), exp.Nullif(this=value.copy(), expression=exp.Literal.string(""))
        )
        .when(_typeof(value, "integer"), exp.cast(value.copy(), "text"))
        .when(_typeof(value, "real"), exp.Anonymous(this="vpcp_real", expressions=[value.copy()]))
    )


#: Text holding a byte that is not ASCII: GLOB reads any such byte as a character above
#: U+007F, so only such text needs the (slower) UTF-8 test.
_NOT_ASCII = "*[^\x01-\x7f]*"


def _why_bad(values: Sequence[exp.Expression]) -> exp.Expression:
    """Why a row of these values cannot be read, as :func:`_values` says, NULL if it can."""
    from sqlglot import exp

    if not values:
        return exp.Null()
    binary = exp.or_(*(_typeof(v, "blob") for v in values))
    broken = exp.or_(
        *(
            exp.and_(
                _typeof(v, "text"),
                exp.Glob(this=v.copy(), expression=exp.Literal.string(_NOT_ASCII)),
                exp.EQ(
                    this=exp.Anonymous(this="vpcp_utf8", expressions=[exp.cast(v.copy(), "blob")]),
                    expression=exp.Literal.number(0),
                ),
            )
            for v in values
        )
    )
    return (
        exp.Case()
        .when(binary, exp.Literal.string(BINARY))
        .when(broken, exp.Literal.string(NOT_UTF8))
    )


def _relation(
    source: exp.Expression,
    name: str,
    columns: Sequence[str],
    order: Sequence[exp.Expression],
    numbered: bool,
) -> exp.Expression:
    """The rows as :meth:`SqliteReader.rows` reads them, for :meth:`SqliteReader.tally`."""
    from sqlglot import exp

    values = [_column(c, name) for c in columns]
    picked = [exp.alias_(_as_text(v), f"k{i}") for i, v in enumerate(values)]
    picked.append(exp.alias_(_why_bad(values), "__bad"))
    if numbered:
        window = exp.Window(
            this=exp.RowNumber(), order=exp.Order(expressions=list(order)) if order else None
        )
        picked.append(exp.alias_(window, "__row"))
    # OFFSET 0 keeps SQLite from flattening the subquery: each value's text (and its UTF-8
    # test) is made once per row, not again in every test that reads it.
    return exp.select(*picked).from_(source.copy()).offset(0).subquery("r")


class SqliteReader:
    """Reads a table or a query of an SQLite database (``sqlite:PATH`` sources), and counts
    in it (see :class:`~vpcp_indicators.sources.CountingReader`)."""

    name = "sqlite"
    extensions = ("sqlite",)
    dialect = "sqlite"

    def tally(
        self,
        path: Path,
        columns: Sequence[str],
        build: Build,
        numbered: bool = False,
        *,
        others: Sequence[Other] = (),
        **options: object,
    ) -> list[tuple[Any, ...]]:
        """The rows of the statement ``build`` makes of the sources' rows."""
        db = _Database(path, _timeout(options))
        try:
            relations: list[Relation] = []
            for asked, given in [(columns, options), *others]:
                source, name, order = _source(db, given)
                # SQLite has no date type: every date is text, and checked.
                relation = _relation(source, name, asked, order, numbered)
                relations.append((relation, frozenset()))
            statement, values = build(relations)
            # The row checks of :func:`_values` that SQL cannot make itself.
            db.connection.create_function("vpcp_real", 1, _real, deterministic=True)
            db.connection.create_function("vpcp_utf8", 1, _utf8, deterministic=True)
            db.guard()
            cursor = db.run(render(statement, "sqlite"), dict(values))
            found: list[tuple[Any, ...]] = []
            while batch := db.fetch(cursor):
                found += batch
            return found
        finally:
            db.close()

    def columns(self, path: Path, **options: object) -> list[str]:
        """The names of the table's or the query's columns, each given once."""
        from sqlglot import exp

        db = _Database(path, _timeout(options))
        try:
            source, _, _ = _source(db, options)
            db.guard()
            # A query is asked alone: as a subquery, SQLite would rename a repeated name.
            if isinstance(source, exp.Subquery):
                statement = source.this.copy().limit(0)
            else:
                statement = exp.select(exp.Star()).from_(source).limit(0)
            cursor = db.run(statement.sql(dialect="sqlite"))
            names = [str(d[0]) for d in cursor.description or ()]
        finally:
            db.close()
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise SourceError.at(
                path,
                "the query gives one name to several columns ({names})",
                names=", ".join(repeated),
            )
        return names

    def rows(self, path: Path, columns: Sequence[str], **options: object) -> Iterator[RowValues]:
        """Each record's values for ``columns`` as text, numbered from 1 in reading order."""
        from sqlglot import exp

        db = _Database(path, _timeout(options))
        try:
            source, name, order = _source(db, options)
            picked: list[exp.Expression] = [_column(c, name) for c in columns]
            # A constant keeps the statement valid when the kind reads no column.
            statement = exp.select(*picked or [exp.Literal.number(1)]).from_(source)
            if order:
                statement = statement.order_by(*order)
            db.guard()
            cursor = db.run(statement.sql(dialect="sqlite"))
            number = 0
            width = len(columns)
            while batch := db.fetch(cursor):
                for row in batch:
                    number += 1
                    yield number, _values(row, width)
        finally:
            db.close()


def _values(row: tuple[object, ...], width: int) -> tuple[str, ...] | str:
    """A row's values as text, or why the row cannot be read."""
    try:
        values = tuple(map(_text, row[:width]))
    except ValueError:
        return BINARY
    # A byte that was not UTF-8 was decoded to a lone surrogate (see text_factory).
    if any(not v.isascii() and _NOT_UTF8.search(v) for v in values):
        return NOT_UTF8
    return values


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(SqliteReader())
