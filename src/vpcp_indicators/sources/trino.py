"""Trino sources (``trino://`` URLs), read and counted by Trino through its Python client,
which the ``trino`` extra installs.

The reading, as the README's contract states it:

- ``trino://user@host:port/catalog[/schema]`` names the server, the user (else
  ``vpcp-indicators``) and the default catalog and schema; ``?http_scheme=https`` speaks
  HTTPS. A password is never in the URL, and the library reads no variable of the
  environment: the reader authenticates as the user alone (a server behind a password is
  not readable yet).
- A ``table`` is ``name``, ``schema.name`` or ``catalog.schema.name``, as quoted
  identifiers; a ``query`` must be one SELECT (see :mod:`.selects`). Trino's client has no
  read-only transaction: the reader runs nothing but the SELECTs it builds.
- Every statement is named ``vpcp-indicators`` (the client's ``source``) and limited to the
  source's ``timeout`` (``query_max_execution_time``; default :data:`TIMEOUT` seconds).
- Each value is made text in SQL, the same for the rows read and the counts sent: a
  ``varchar`` as written, a date ``YYYY-MM-DD``, a timestamp at midnight as its date (else as
  Trino writes it), any other scalar as Trino casts it to ``varchar``; a ``varbinary``,
  ``array``, ``map``, ``row`` or ``json`` value makes the row unreadable.
- Rows are numbered from 1 in the order of the text of the source's scalar columns, so
  that a row's number is the same whichever columns the indicators read.
- A plan's values reach Trino as literals SQLGlot quotes (the client's ``?`` placeholders
  are not a style SQLGlot writes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import SourceError
from ..hookspecs import hookimpl
from ..i18n import N_
from . import Build, Other, Relation, RowValues
from .selects import described, in_row_order, inlined, read_source, render, row_values, why_bad

# SQLGlot is imported where SQL is built: a plan that reads no database never loads it.
if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["TIMEOUT", "TrinoReader", "connection_options", "text_sql"]

#: Seconds a reading may take, when the plan does not say.
TIMEOUT = 300
#: How the reader names itself to the server.
APPLICATION = "vpcp-indicators"
#: Rows fetched per request.
BATCH = 2000

NEEDS_TRINO = N_("Trino sources need the trino client: pip install 'vpcp-indicators[trino]'")
NOT_SCALAR = N_("a value is binary, an array, a map, a row or JSON")

_NOT_SCALAR = ("varbinary", "array", "map", "row", "json")


def connection_options(url: str, timeout: float) -> dict[str, Any]:
    """The client's ``connect`` arguments for a ``trino://`` URL (no password: see the
    module's notes)."""
    parts = urlsplit(url)
    path = [unquote(p) for p in parts.path.split("/") if p]
    query = dict(parse_qsl(parts.query))
    options: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 8080,
        "user": unquote(parts.username or "") or APPLICATION,
        "source": APPLICATION,
        "http_scheme": query.get("http_scheme", "http"),
        "session_properties": {"query_max_execution_time": f"{max(int(timeout), 1)}s"},
        "request_timeout": float(timeout),
    }
    if path:
        options["catalog"] = path[0]
    if len(path) > 1:
        options["schema"] = path[1]
    return options


def _reason(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@contextmanager
def _connected(url: str, where: str, timeout: float) -> Iterator[Any]:
    """A connection to the server; its errors as one-line SourceErrors naming the source."""
    try:
        import trino
    except ImportError as error:
        raise SourceError.at(where, NEEDS_TRINO) from error
    options = connection_options(url, timeout)
    connect: Callable[..., Any] = trino.dbapi.connect
    connection = connect(**options)
    try:
        yield connection
    except SourceError:
        raise
    except Exception as error:
        if getattr(error, "error_name", None) == "EXCEEDED_TIME_LIMIT":
            raise SourceError.at(
                where,
                "Trino did not answer within {seconds} seconds (the source's timeout)",
                seconds=f"{timeout:g}",
            ) from None
        raise SourceError.at(
            where, "Trino refused the reading: {reason}", reason=_reason(error)
        ) from None
    finally:
        connection.close()


def _unreadable(kind: str) -> bool:
    return kind.lower().startswith(_NOT_SCALAR)


def _scalar(kind: str) -> bool:
    return not _unreadable(kind)


def text_sql(value: exp.Expr, kind: str) -> exp.Expr:
    """SQL of a value's text (NULL for none, and for a value that is not scalar), for a
    column of Trino's type ``kind`` (as the client describes it: ``varchar(10)``...)."""
    from sqlglot import exp

    kind = kind.lower()
    if not _scalar(kind):
        return exp.cast(exp.Null(), "varchar")
    text = value.copy() if kind.startswith("varchar") else exp.cast(value.copy(), "varchar")
    if kind.startswith("timestamp") and "with time zone" not in kind:
        text = exp.RegexpReplace(
            this=text,
            expression=exp.Literal.string(r" 00:00:00(\.0+)?$"),
            replacement=exp.Literal.string(""),
        )
    return exp.Nullif(this=text, expression=exp.Literal.string(""))


class _Source:
    """A source's server, what it reads, and its columns' types."""

    def __init__(self, url: str, table: str | None, query: str | None, timeout: float):
        self.url = url
        self.where = f"{url} [{table}]" if table else url
        self.read = read_source(self.where, table, query, "trino")
        self.timeout = timeout

    def types(self, connection: Any) -> dict[str, str]:
        """Each column's name and Trino type, as the server describes the source."""
        from sqlglot import exp

        cursor = connection.cursor()
        select = exp.select(exp.Star()).from_(self.read.copy())
        cursor.execute(render(described(select), "trino"))
        cursor.fetchall()
        return {str(d[0]): str(d[1]) for d in cursor.description or ()}

    def relation(self, types: Mapping[str, str], columns: Sequence[str], numbered: bool) -> Any:
        """The rows as text (``k0``..., ``__bad``, and ``__row`` if ``numbered``)."""
        from sqlglot import exp

        missing = [c for c in columns if c not in types]
        if missing:
            raise SourceError.at(
                self.where, "the source has no column '{column}'", column=missing[0]
            )
        values = [(exp.column(c, quoted=True), types[c]) for c in columns]
        picked = [exp.alias_(text_sql(v, kind), f"k{i}") for i, (v, kind) in enumerate(values)]
        picked.append(exp.alias_(why_bad(values, _unreadable, NOT_SCALAR), "__bad"))
        if numbered:
            order = exp.Order(
                expressions=[
                    exp.Ordered(this=text_sql(exp.column(n, quoted=True), kind), nulls_first=True)
                    for n, kind in types.items()
                    if _scalar(kind)
                ]
            )
            picked.append(exp.alias_(exp.Window(this=exp.RowNumber(), order=order), "__row"))
        return exp.select(*picked).from_(self.read.copy()).subquery("r")


class TrinoReader:
    """Reads and counts a table or a query of a Trino server (see
    :class:`~vpcp_indicators.sources.CountingReader`)."""

    name = "trino"
    extensions = ("trino",)
    dialect = "trino"

    def columns(
        self, url: str, table: str | None = None, query: str | None = None, timeout: float = TIMEOUT
    ) -> list[str]:
        """The columns of the table or of the query's result."""
        source = _Source(url, table, query, timeout)
        with _connected(url, source.where, timeout) as connection:
            return list(source.types(connection))

    def rows(
        self,
        url: str,
        columns: Sequence[str],
        table: str | None = None,
        query: str | None = None,
        timeout: float = TIMEOUT,
    ) -> Iterator[RowValues]:
        """Each record's values for ``columns``, as text, numbered from 1 in a fixed order."""
        source = _Source(url, table, query, timeout)
        with _connected(url, source.where, timeout) as connection:
            relation = source.relation(source.types(connection), columns, True)
            cursor = connection.cursor()
            cursor.execute(render(in_row_order(relation, len(columns)), "trino"))
            while batch := cursor.fetchmany(BATCH):
                for row in batch:
                    yield row_values(row, len(columns))

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
        timeout: float = TIMEOUT,
    ) -> list[tuple[Any, ...]]:
        """The rows of the statement ``build`` makes of the sources' rows."""
        main = _Source(url, table, query, timeout)
        reads = [(columns, main)]
        for asked, given in others:
            reads.append((asked, _Source(url, given.get("table"), given.get("query"), timeout)))
        with _connected(url, main.where, timeout) as connection:
            relations: list[Relation] = []
            for asked, read in reads:
                types = read.types(connection)
                dated = frozenset(
                    i for i, c in enumerate(asked) if types.get(c, "").lower() == "date"
                )
                relations.append((read.relation(types, asked, numbered), dated))
            statement, values = build(relations)
            cursor = connection.cursor()
            cursor.execute(render(inlined(statement, values), "trino"))
            return [tuple(row) for row in cursor.fetchall()]


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(TrinoReader())
