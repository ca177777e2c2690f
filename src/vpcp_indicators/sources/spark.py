"""Spark SQL sources (``spark:`` URLs), read and counted by Spark through PySpark, which the
``spark`` extra installs.

The reading, as the README's contract states it:

- ``spark:`` uses the process's SparkSession if there is one, else makes one with Spark's
  defaults; ``spark:local[4]`` or ``spark://host:7077`` names the master of the session it
  makes. A session the reader makes is called ``vpcp-indicators``, keeps time in UTC and
  prints no progress bars.
- A ``table`` is ``name``, ``db.name`` or ``catalog.db.name`` of the session's catalog, as
  quoted identifiers; a ``query`` must be one SELECT (see :mod:`.selects`), which may read a
  file as Spark does (``SELECT * FROM parquet.`/data/docs.parquet```). Spark has no read-only
  transaction: the reader runs nothing but the SELECTs it builds.
- Each reading is a Spark job group cancelled after the source's ``timeout`` (default
  :data:`TIMEOUT` seconds).
- Each value is made text in SQL, the same for the rows read and the counts sent: a string
  as written, a date ``YYYY-MM-DD``, a timestamp at midnight as its date (else as Spark
  writes it), a number or boolean as Spark writes it (``0.75``, ``1.0E16``, ``true``); a
  binary, array, map or struct value makes the row unreadable.
- Rows are numbered from 1 in the order of the text of all the source's columns, so that a
  row's number is the same whichever columns the indicators read.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..hookspecs import hookimpl
from ..i18n import N_
from . import Build, Other, Relation, RowValues
from .selects import in_row_order, read_source, render, row_values, why_bad

# SQLGlot is imported where SQL is built: a plan that reads no database never loads it.
if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["TIMEOUT", "SparkReader"]

#: Seconds a reading may take, when the plan does not say.
TIMEOUT = 300
#: How a session the reader makes names itself.
APPLICATION = "vpcp-indicators"

NEEDS_PYSPARK = N_("Spark sources need PySpark: pip install 'vpcp-indicators[spark]'")
NOT_SCALAR = N_("a value is binary, an array, a map or a struct")

_NOT_SCALAR_TYPES = ("BinaryType", "ArrayType", "MapType", "StructType")
_TIMESTAMPS = ("TimestampType", "TimestampNTZType")
_TEXTS = ("StringType", "VarcharType", "CharType")


def _master(url: str) -> str | None:
    """The master a ``spark:`` URL names: none (the session's), ``local[...]`` or the URL."""
    if url.startswith("spark://"):
        return url
    rest = url.split(":", 1)[1] if ":" in url else ""
    return rest or None


def session(url: str) -> Any:
    """The SparkSession a source reads with (made, if the process has none)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SourceError.at(url, NEEDS_PYSPARK) from error
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    quiet = resources.files(__package__).joinpath("spark-log4j2.properties")
    builder = (
        SparkSession.builder.appName(APPLICATION)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={quiet}")
    )
    master = _master(url)
    if master is not None:
        builder = builder.master(master)
    try:
        made = builder.getOrCreate()
    except Exception as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SourceError.at(url, "cannot start Spark: {reason}", reason=reason) from None
    made.sparkContext.setLogLevel("ERROR")
    return made


def _reason(error: Exception) -> str:
    text = getattr(error, "desc", None) or str(error)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@contextmanager
def _timed(spark: Any, where: str, timeout: float) -> Iterator[None]:
    """Spark's jobs started inside, cancelled after ``timeout`` seconds; Spark's errors as
    one-line SourceErrors naming the source."""
    context = spark.sparkContext
    group = f"vpcp-{uuid.uuid4().hex}"
    context.setJobGroup(group, APPLICATION, interruptOnCancel=True)
    late = threading.Event()

    def cancel() -> None:
        late.set()
        context.cancelJobGroup(group)

    timer = threading.Timer(timeout, cancel)
    timer.daemon = True
    timer.start()
    try:
        yield
    except SourceError:
        raise
    except Exception as error:
        if late.is_set():
            raise SourceError.at(
                where,
                "Spark did not answer within {seconds} seconds (the source's timeout)",
                seconds=f"{timeout:g}",
            ) from None
        raise SourceError.at(
            where, "Spark refused the reading: {reason}", reason=_reason(error)
        ) from None
    finally:
        timer.cancel()
        context.setLocalProperty("spark.jobGroup.id", None)


def _column(name: str) -> exp.Column:
    from sqlglot import exp

    return exp.column(name, quoted=True)


def _text(value: exp.Expr, kind: str) -> exp.Expr:
    """SQL of a value's text (NULL for none, and for a value that is not scalar)."""
    from sqlglot import exp

    if kind in _NOT_SCALAR_TYPES:
        return exp.cast(exp.Null(), "string")
    text: exp.Expr = value.copy() if kind in _TEXTS else exp.cast(value.copy(), "string")
    if kind in _TIMESTAMPS:
        text = exp.RegexpReplace(
            this=text,
            expression=exp.Literal.string(" 00:00:00$"),
            replacement=exp.Literal.string(""),
        )
    return exp.Nullif(this=text, expression=exp.Literal.string(""))


def _order(names: Sequence[str]) -> list[exp.Expr]:
    """Every column's text, in order: how rows are numbered."""
    from sqlglot import exp

    return [exp.Ordered(this=exp.cast(_column(n), "string"), nulls_first=True) for n in names]


class _Source:
    """A source's session, what it reads, and its columns' types."""

    def __init__(self, url: str, table: str | None, query: str | None, timeout: float):
        self.where = f"{url} [{table}]" if table else url
        self.read = read_source(self.where, table, query, "spark")
        self.timeout = timeout
        self.spark = session(url)

    def sql(self, tree: exp.Expr, values: Mapping[str, Any] | None = None) -> Any:
        """A DataFrame of a statement (Spark plans it; no job runs yet)."""
        return self.spark.sql(render(tree, "spark"), args=dict(values or {}) or None)

    @functools.cached_property
    def types(self) -> dict[str, str]:
        """Each column's name and Spark type (Spark analyses the source once; no job runs)."""
        from sqlglot import exp

        with _timed(self.spark, self.where, self.timeout):
            schema = self.sql(exp.select(exp.Star()).from_(self.read.copy())).schema
        return {field.name: type(field.dataType).__name__ for field in schema.fields}

    def relation(self, columns: Sequence[str], numbered: bool) -> exp.Expr:
        """The rows as text (``k0``..., ``__bad``, and ``__row`` if ``numbered``)."""
        from sqlglot import exp

        types = self.types
        missing = [c for c in columns if c not in types]
        if missing:
            raise SourceError.at(
                self.where, "the source has no column '{column}'", column=missing[0]
            )
        values = [(_column(c), types[c]) for c in columns]
        picked = [exp.alias_(_text(v, kind), f"k{i}") for i, (v, kind) in enumerate(values)]
        picked.append(
            exp.alias_(
                why_bad(values, _NOT_SCALAR_TYPES.__contains__, NOT_SCALAR, "string"), "__bad"
            )
        )
        if numbered:
            order = exp.Order(expressions=_order(list(types)))
            picked.append(exp.alias_(exp.Window(this=exp.RowNumber(), order=order), "__row"))
        return exp.select(*picked).from_(self.read.copy()).subquery("r")


class SparkReader:
    """Reads and counts a table or a query of Spark SQL (see
    :class:`~vpcp_indicators.sources.CountingReader`)."""

    name = "spark"
    extensions = ("spark",)
    dialect = "spark"

    def columns(
        self, url: str, table: str | None = None, query: str | None = None, timeout: float = TIMEOUT
    ) -> list[str]:
        """The columns of the table or of the query's result."""
        return list(_Source(url, table, query, timeout).types)

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
        # Numbered as the counts number them (see _order), then streamed in that order.
        ordered = in_row_order(source.relation(columns, True), len(columns))
        with _timed(source.spark, source.where, timeout):
            for row in source.sql(ordered).toLocalIterator():
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
        source = _Source(url, table, query, timeout)
        reads = [(columns, source)]
        for asked, given in others:
            reads.append((asked, _Source(url, given.get("table"), given.get("query"), timeout)))
        relations: list[Relation] = []
        for asked, read in reads:
            types = read.types
            dated = frozenset(i for i, c in enumerate(asked) if types.get(c) == "DateType")
            relations.append((read.relation(asked, numbered), dated))
        statement, values = build(relations)
        with _timed(source.spark, source.where, timeout):
            return [tuple(row) for row in source.sql(statement, values).collect()]


@hookimpl
def register_source_readers(register: Callable[[object], None]) -> None:
    register(SparkReader())
