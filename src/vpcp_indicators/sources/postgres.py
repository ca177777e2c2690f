"""PostgreSQL sources (``postgresql://`` or ``postgres://`` URLs), read through psycopg 3,
which the ``postgres`` extra installs.

The reading, as the README's contract states it:

- Each connection names itself ``vpcp-indicators`` (``application_name``), reads in a
  ``READ ONLY`` transaction (and with ``default_transaction_read_only`` on), and gives each
  statement the source's ``timeout`` (default :data:`DEFAULT_TIMEOUT` seconds). Nothing is
  written; the transaction is rolled back when the reading ends.
- A URL never holds a password: it comes from ``PGPASSWORD``, ``~/.pgpass`` or a service
  file. No message names a password.
- A ``table`` is ``name`` or ``schema.name`` (split at the first dot); a ``query`` must be
  exactly one SELECT that writes nothing (see :mod:`.selects`).
- Rows are streamed through a server-side cursor, :data:`BATCH` at a time, and numbered
  from 1 in a fixed order: a table's by its primary key, else by the values read (as text,
  in the "C" collation); a query's by its own ORDER BY, else by the values read.
- Each value is turned into the text the reading contract checks (see :mod:`.pgtext`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import SourceError
from ..hookspecs import hookimpl
from ..i18n import N_
from ..plan.sourceref import PASSWORD_IN_URL, has_password, redacted
from . import Build, Other, Relation, RowValues, pgtext
from .pgtext import GROUPED_AS_IS, converters, scrubbed, text_sql, why_bad_sql
from .selects import (
    NotOneSelect,
    by_key,
    by_text,
    described,
    inlined,
    one_select,
    query_select,
    render,
    table_name,
    table_select,
)

# SQLGlot is imported where SQL is built: a plan that reads no database never loads it.
if TYPE_CHECKING:
    from sqlglot import exp

if TYPE_CHECKING:
    import psycopg

__all__ = ["APPLICATION", "BATCH", "DEFAULT_TIMEOUT", "PostgresReader"]

#: Seconds a statement may take, when the plan does not say.
DEFAULT_TIMEOUT = 300
#: Seconds to wait for a connection.
CONNECT_TIMEOUT = 10
#: How the connections name themselves to the server (``pg_stat_activity``).
APPLICATION = "vpcp-indicators"
#: Rows fetched from the server-side cursor at a time.
BATCH = 2000
#: The name of the server-side cursor.
CURSOR = "vpcp_indicators_rows"

NEEDS_PSYCOPG = N_("PostgreSQL sources need psycopg: pip install 'vpcp-indicators[postgres]'")

# The primary key of a table, in its order; the table is a bound parameter (regclass).
_PRIMARY_KEY = (
    "SELECT a.attname FROM pg_catalog.pg_index AS i"
    " JOIN pg_catalog.pg_attribute AS a"
    " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
    " WHERE i.indrelid = %s::regclass AND i.indisprimary"
    " ORDER BY array_position(i.indkey::int2[], a.attnum)"
)
_TYPES = "SELECT oid::int8, typname, typcategory FROM pg_catalog.pg_type WHERE oid = ANY(%s)"

# libpq's report of a failed connection: "connection to server at ..., port ... failed:
# FATAL:  ...": the server's words are after the last "failed:", without the severity.
_SEVERITY = re.compile(r"^\s*(FATAL|ERROR|PANIC):\s*")


def _driver(where: str) -> Any:
    """psycopg, imported when a PostgreSQL source is read (it is an optional extra)."""
    try:
        import psycopg
    except ImportError as error:
        raise SourceError.at(where, NEEDS_PSYCOPG) from error
    return psycopg


def _where(url: str, table: str | None) -> str:
    """How messages name the source: as :attr:`SourceRef.name` does."""
    return f"{redacted(url)} [{table}]" if table else redacted(url)


#: The first server version with ``jit`` (11).
_JIT_SINCE = 110000


def _options(timeout: float) -> str:
    settings = {
        "default_transaction_read_only": "on",
        "statement_timeout": str(max(1, round(timeout * 1000))),  # milliseconds
        # The text of dates, times and floats, whatever the server's defaults.
        "DateStyle": "ISO",
        "TimeZone": "UTC",
        "extra_float_digits": "1",
        # A backslash in a string literal is a backslash.
        "standard_conforming_strings": "on",
    }
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


@contextmanager
def _connected(
    url: str, where: str, timeout: float, table: str | None
) -> Iterator[psycopg.Connection[Any]]:
    """A connection in a read-only transaction; psycopg's errors become one-line
    SourceErrors naming the source."""
    driver = _driver(where)
    if has_password(url):
        raise SourceError.at(where, PASSWORD_IN_URL)
    try:
        # Given as arguments, these override whatever the URL or a service file says.
        connection = driver.connect(
            url,
            application_name=APPLICATION,
            connect_timeout=CONNECT_TIMEOUT,
            client_encoding="UTF8",
            options=_options(timeout),
        )
    except driver.Error as error:
        raise _failure(error, where, timeout, _secrets(driver), connecting=True) from None
    try:
        connection.read_only = True  # each transaction begins READ ONLY
        yield connection
    except driver.Error as error:
        raise _failure(error, where, timeout, _secrets(driver), table=table) from None
    finally:
        connection.close()  # the transaction is rolled back: nothing was written anyway


def _secrets(driver: Any) -> list[str]:
    """The password libpq would send without being given one (PGPASSWORD, as libpq reads
    it), to keep out of messages; a password of ~/.pgpass is never in one."""
    return [
        option.val.decode("utf-8", "replace")
        for option in driver.pq.Conninfo.get_defaults()
        if option.keyword == b"password" and option.val
    ]


def _reason(error: Exception, connecting: bool, secrets: Sequence[str]) -> str:
    """What went wrong, in one line, without host details or secrets."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None) if not connecting else None
    lines = [line for line in str(primary or error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    if connecting and "failed:" in text:
        text = text.rsplit("failed:", 1)[1]
    return scrubbed(_SEVERITY.sub("", text).strip(), secrets)


def _failure(
    error: Exception,
    where: str,
    timeout: float,
    secrets: Sequence[str],
    connecting: bool = False,
    table: str | None = None,
) -> SourceError:
    """A psycopg error as a one-line SourceError (``from None``: psycopg's own text may
    name the connection, and no traceback shows it)."""
    from psycopg import errors

    reason = _reason(error, connecting, secrets)
    if connecting:
        return SourceError.at(where, "cannot connect to the database: {reason}", reason=reason)
    if isinstance(error, errors.QueryCanceled):
        return SourceError.at(
            where,
            "the database did not answer within {seconds} seconds (the source's timeout)",
            seconds=f"{timeout:g}",
        )
    if isinstance(error, errors.UndefinedTable) and table is not None:
        return SourceError.at(where, "the database has no table '{table}'", table=table)
    if isinstance(error, errors.InsufficientPrivilege):
        return SourceError.at(where, "permission denied: {reason}", reason=reason)
    return SourceError.at(where, "the database refused the reading: {reason}", reason=reason)


@attrs.frozen
class _Read:
    """What the plan reads: a table, as a quoted name, or a query, as a checked tree."""

    table: exp.Table | None = None
    query: exp.Query | None = None

    @classmethod
    def of(cls, where: str, table: str | None, query: str | None) -> _Read:
        if table is not None:
            return cls(table=table_name(table))
        if query is None:
            raise SourceError.at(where, "give the database's table or a query, one of them")
        try:
            return cls(query=one_select(query, "postgres"))
        except NotOneSelect as refused:
            raise SourceError.at(where, refused.reason, detail=refused.detail) from None

    def select(
        self,
        columns: Sequence[str] | None,
        order: Sequence[exp.Expression] | None = None,
        as_text: bool = True,
    ) -> exp.Select:
        """The SELECT of ``columns`` (see :func:`.selects.table_select`)."""
        if self.table is not None:
            return table_select(self.table, columns, order, as_text)
        assert self.query is not None
        return query_select(self.query, columns, order, as_text)


class PostgresReader:
    """Reads a table or a query of a PostgreSQL database, and counts in it (see
    :class:`~vpcp_indicators.sources.CountingReader`)."""

    name = "postgresql"
    extensions = ("postgresql", "postgres")
    dialect = "postgres"

    def tally(
        self,
        url: str,
        columns: Sequence[str],
        build: Build,
        numbered: bool = False,
        *,
        others: Sequence[Other] = (),
        table: str | None = None,
        query: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[tuple[Any, ...]]:
        """The rows of the statement ``build`` makes of the sources' rows."""
        where = _where(url, table)
        with _connected(url, where, timeout, table) as connection:
            relations: list[Relation] = []
            sources = [(columns, {"table": table, "query": query}), *others]
            for asked, given in sources:
                name, text = given.get("table"), given.get("query")
                read = _Read.of(_where(url, name), name, text)
                types = _types(connection, read.select(asked, as_text=False), len(asked))
                order = _order(connection, read) if numbered else None
                dated = frozenset(i for i, (kind, _) in enumerate(types) if kind == "date")
                if numbered:
                    relations.append((_relation(read, asked, types, order, True), dated))
                else:
                    # The counts group on PostgreSQL's own values, then make their text.
                    relation = _relation(read, asked, types, None, False, as_is=True)
                    relations.append((relation, dated, pgtext.values(types)))
            statement, values = build(relations)
            with connection.cursor() as cursor:
                if connection.info.server_version >= _JIT_SINCE:
                    # The statement's many sums of CASE are what PostgreSQL's JIT compiles,
                    # at a cost (0.5 to 1.4 s a statement on the national benchmark) that
                    # its few rows after grouping never earn back.
                    cursor.execute("SET LOCAL jit = off")
                # Without parameters psycopg reads no "%" in the text, where a quoted name
                # may hold one.
                cursor.execute(render(inlined(statement, values), "postgres"))
                return list(cursor.fetchall())

    def columns(
        self,
        url: str,
        table: str | None = None,
        query: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[str]:
        """The columns of the table or of the query's result, as the database names them."""
        where = _where(url, table)
        select = _Read.of(where, table, query).select(None)
        with _connected(url, where, timeout, table) as connection, connection.cursor() as cursor:
            cursor.execute(render(described(select), "postgres"))
            names = [column.name for column in cursor.description or ()]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            listed = ", ".join(f"'{n}'" for n in twice)
            raise SourceError.at(
                where, "the query gives one name to several columns ({names})", names=listed
            )
        return names

    def rows(
        self,
        url: str,
        columns: Sequence[str],
        table: str | None = None,
        query: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Iterator[RowValues]:
        """Each record's values for ``columns``, as text, numbered from 1 in a fixed order."""
        where = _where(url, table)
        read = _Read.of(where, table, query)
        with _connected(url, where, timeout, table) as connection:
            plain = read.select(columns, as_text=False)
            select = read.select(columns, _order(connection, read))
            convert = converters(_types(connection, plain, len(columns)))
            # A named cursor lives on the server: rows come BATCH at a time.
            with connection.cursor(name=CURSOR) as cursor:
                cursor.itersize = BATCH
                cursor.execute(render(select, "postgres"))
                for number, row in enumerate(cursor, start=1):
                    yield number, convert(row)


def _primary_key(connection: psycopg.Connection[Any], table: exp.Table) -> list[str]:
    """The columns of the table's primary key, in order (none: a view, or no key)."""
    with connection.cursor() as cursor:
        cursor.execute(_PRIMARY_KEY, [render(table, "postgres")])
        return [str(name) for (name,) in cursor.fetchall()]


def _types(
    connection: psycopg.Connection[Any], plain: exp.Select, width: int
) -> list[tuple[str, str]]:
    """The type of each column read: its name and category in ``pg_type``."""
    with connection.cursor() as cursor:
        cursor.execute(render(described(plain), "postgres"))
        oids = [column.type_code for column in cursor.description or ()][:width]
        cursor.execute(_TYPES, [sorted(set(oids))])
        types = {int(oid): (str(name), str(category)) for oid, name, category in cursor}
    return [types.get(oid, ("", "")) for oid in oids]


def _order(connection: psycopg.Connection[Any], read: _Read) -> list[exp.Expression] | None:
    """The order rows are numbered in: a table's primary key; else (a table without one, a
    query without an ORDER BY) the text of every one of its columns, whichever a kind reads,
    so that a row's number does not depend on the indicators; None for a query's own
    ORDER BY."""
    if read.table is not None:
        key = _primary_key(connection, read.table)
        if key:
            return by_key(key)
    elif read.query is not None and read.query.args.get("order"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(render(described(read.select(None)), "postgres"))
        return by_text([column.name for column in cursor.description or ()])


def _relation(
    read: _Read,
    columns: Sequence[str],
    types: Sequence[tuple[str, str]],
    order: list[exp.Expression] | None,
    numbered: bool,
    as_is: bool = False,
) -> exp.Expr:
    """The rows as :meth:`PostgresReader.rows` reads them, for :meth:`PostgresReader.tally`;
    numbered, if asked, in ``order`` (None: the query's own). ``as_is``: the columns of
    :data:`~.pgtext.GROUPED_AS_IS` types as PostgreSQL holds them (see :func:`.pgtext.values`)."""
    from sqlglot import exp

    values = [exp.column(c, quoted=True) for c in columns]
    picked: list[exp.Expr] = [
        exp.alias_(
            v.copy() if as_is and name in GROUPED_AS_IS else text_sql(v, name, category), f"k{i}"
        )
        for i, (v, (name, category)) in enumerate(zip(values, types, strict=True))
    ]
    picked.append(
        exp.alias_(
            why_bad_sql([(v, n, c) for v, (n, c) in zip(values, types, strict=True)]), "__bad"
        )
    )
    if numbered:
        window = exp.Window(
            this=exp.RowNumber(), order=exp.Order(expressions=order) if order else None
        )
        picked.append(exp.alias_(window, "__row"))
    inner = read.select(None).subquery("s") if read.query is not None else read.table
    assert inner is not None
    return exp.select(*picked).from_(inner.copy()).subquery("r")


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(PostgresReader())
