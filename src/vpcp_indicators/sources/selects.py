"""The SQL a database reader sends, as SQLGlot expression trees: the plan's query checked to
be one SELECT, and the SELECT of the columns a kind reads from a table or from that query.

Nothing from a plan is formatted into SQL text: a table's and a column's names become quoted
identifiers, and a query is parsed, checked, and rendered again from its tree (without its
comments), so that what runs is what was checked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..i18n import N_

# SQLGlot is imported where SQL is built: a plan that reads no database never loads it.
if TYPE_CHECKING:
    from sqlglot import exp

__all__ = [
    "NotOneSelect",
    "by_key",
    "by_text",
    "catalog_table",
    "described",
    "in_row_order",
    "inlined",
    "one_select",
    "query_select",
    "read_source",
    "render",
    "row_values",
    "statements",
    "table_name",
    "table_select",
    "why_bad",
]

#: What a query may not hold anywhere in its tree: statements that write or lock, and
#: ``SELECT ... INTO`` (which creates a table); names of SQLGlot's expressions.
_FORBIDDEN = (
    "Insert",
    "Update",
    "Delete",
    "Merge",
    "Into",
    "Copy",
    "Create",
    "Drop",
    "Alter",
    "TruncateTable",
    "Command",
    "Lock",
    "Set",
    "Transaction",
    "Commit",
)


class NotOneSelect(ValueError):
    """A plan's query that is not exactly one SELECT; ``reason`` says why (a message)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def statements(query: str, dialect: str) -> list[exp.Expr]:
    """The statements of a plan's query, parsed in a dialect (SqlglotError if it cannot be):
    a comment after the last semicolon is no statement of its own."""
    import sqlglot
    from sqlglot import exp

    # sqlglot logs a warning (quoting the text) when it falls back to an opaque command;
    # such a command is refused by the callers anyway, and the log must not print plan text.
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        parsed = sqlglot.parse(query, read=dialect)
    finally:
        logger.setLevel(level)
    return [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]


def one_select(query: str, dialect: str) -> exp.Query:
    """The plan's query as a tree, if it is exactly one SELECT (or a UNION of SELECTs) that
    writes nothing; otherwise :class:`NotOneSelect`."""
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        trees = statements(query, dialect)
    except SqlglotError as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise NotOneSelect(N_("the query cannot be parsed: {detail}"), detail) from error
    if len(trees) != 1:
        raise NotOneSelect(N_("the query must be exactly one SELECT statement"))
    tree = trees[0]
    while isinstance(tree, exp.Subquery):  # "(SELECT ...)": the SELECT inside
        tree = tree.this
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise NotOneSelect(N_("the query must be exactly one SELECT statement"))
    forbidden = tuple(getattr(exp, name) for name in _FORBIDDEN)
    if any(isinstance(node, forbidden) for node in tree.walk()):
        raise NotOneSelect(N_("the query must be one SELECT that writes and locks nothing"))
    return tree


def catalog_table(name: str) -> exp.Table:
    """A plan's ``table`` as a quoted table name: ``name``, ``db.name`` or
    ``catalog.db.name`` (Spark's and Trino's three parts)."""
    from sqlglot import exp

    parts: list[exp.Identifier | None] = [
        exp.to_identifier(p, quoted=True) for p in name.split(".", 2)
    ]
    while len(parts) < 3:
        parts.insert(0, None)
    catalog, db, this = parts
    return exp.Table(this=this, db=db, catalog=catalog)


def read_source(where: str, table: str | None, query: str | None, dialect: str) -> exp.Expr:
    """What a plan's source reads, as a tree: its table (see :func:`catalog_table`), or its
    query, checked to be one SELECT, as the subquery ``q``."""
    if table is not None:
        return catalog_table(table)
    if query is None:
        raise SourceError.at(where, "give the database's table or a query, one of them")
    try:
        return one_select(query, dialect).subquery("q")
    except NotOneSelect as refused:
        raise SourceError.at(where, refused.reason, detail=refused.detail) from None


def why_bad(
    values: Sequence[tuple[exp.Expr, str]],
    unreadable: Callable[[str], bool],
    reason: str,
    text: str = "varchar",
) -> exp.Expr:
    """SQL of why a row cannot be read: ``reason`` when one of its ``(value, type)`` pairs
    holds a value of a type that is ``unreadable``, else NULL (of the dialect's ``text``
    type)."""
    from sqlglot import exp

    held = [
        exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))
        for value, kind in values
        if unreadable(kind)
    ]
    if not held:
        return exp.cast(exp.Null(), text)
    return exp.Case().when(exp.or_(*held), exp.Literal.string(reason))


def table_name(table: str) -> exp.Table:
    """A plan's ``table`` as a quoted table name: ``schema.table`` at the first dot, else a
    table of the database's search path."""
    from sqlglot import exp

    schema, dot, name = table.partition(".")
    if not dot:
        return exp.Table(this=exp.to_identifier(table, quoted=True))
    return exp.Table(
        this=exp.to_identifier(name, quoted=True), db=exp.to_identifier(schema, quoted=True)
    )


def _column(name: str) -> exp.Column:
    # Not qualified: one table is read, and the database's messages name the column alone.
    from sqlglot import exp

    return exp.column(name, quoted=True)


def _as_text(column: str) -> exp.Expression:
    from sqlglot import exp

    return exp.cast(_column(column), "text")


def _read(columns: Sequence[str] | None, as_text: bool = True) -> list[exp.Expression]:
    """The SELECT list: each column (as text), or ``*`` for None."""
    from sqlglot import exp

    if columns is None:
        return [exp.Star()]
    if not as_text:
        return [_column(c) for c in columns] or [exp.Null()]
    # No column at all is no SELECT list: a NULL stands in, and is not read.
    return [_as_text(c) for c in columns] or [exp.Null()]


def by_text(columns: Sequence[str]) -> list[exp.Expression]:
    """An order of the values as text in the "C" collation: the same on every server,
    whatever its locale."""
    from sqlglot import exp

    return [
        exp.Ordered(this=exp.Collate(this=_as_text(c), expression=exp.column("C", quoted=True)))
        for c in columns
    ]


def by_key(columns: Sequence[str]) -> list[exp.Expression]:
    """An order by the values of a key's columns."""
    return [_column(c) for c in columns]


def described(select: exp.Select) -> exp.Select:
    """The same SELECT, to learn its columns and their types: no rows, no order."""
    plain = select.copy()
    plain.set("order", None)
    return plain.limit(0)


def table_select(
    table: exp.Table,
    columns: Sequence[str] | None,
    order: Sequence[exp.Expression] | None = None,
    as_text: bool = True,
) -> exp.Select:
    """``SELECT`` the columns (None: ``*``), each as text unless not ``as_text``, from a
    table, in ``order`` (None: in no order)."""
    from sqlglot import exp

    select = exp.select(*_read(columns, as_text)).from_(table.copy())
    return select.order_by(*order) if order else select


def query_select(
    query: exp.Query,
    columns: Sequence[str] | None,
    order: Sequence[exp.Expression] | None = None,
    as_text: bool = True,
) -> exp.Select:
    """``SELECT`` the columns (None: ``*``), each as text unless not ``as_text``, from the
    plan's query, in ``order`` (None: in the query's own order, if it has one)."""
    from sqlglot import exp

    inner = exp.Subquery(this=query.copy(), alias=exp.TableAlias(this=exp.to_identifier("q")))
    select = exp.select(*_read(columns, as_text)).from_(inner)
    return select.order_by(*order) if order else select


def render(tree: exp.Expr, dialect: str) -> str:
    """The SQL of a tree, without comments (a comment could only hide text)."""
    return tree.sql(dialect=dialect, comments=False)


def inlined(statement: exp.Expr, values: Mapping[str, Any]) -> exp.Expr:
    """The statement with each placeholder replaced by its value as a literal, which
    SQLGlot quotes: for a driver whose placeholders a quoted name could be taken for
    (psycopg reads ``%`` in one), or whose style SQLGlot does not write (Trino's ``?``)."""
    from sqlglot import exp

    def literal(node: exp.Expr) -> exp.Expr:
        if not isinstance(node, exp.Placeholder):
            return node
        value = values[node.name]
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"no literal for {value!r}")
        return exp.Literal.number(value) if isinstance(value, int) else exp.Literal.string(value)

    return statement.transform(literal)


def in_row_order(relation: exp.Expr, width: int) -> exp.Select:
    """A counting reader's numbered relation (``k0``..., ``__bad``, ``__row``) as the rows
    ``rows()`` yields, in their order."""
    from sqlglot import exp

    names = [f"k{i}" for i in range(width)]
    return exp.select(*names, "__bad", "__row").from_(relation).order_by("__row")


def row_values(row: Sequence[Any], width: int) -> tuple[int, tuple[str, ...] | str]:
    """A row of :func:`in_row_order` as a reader yields it: its number, and its values as
    text (``""`` for none) or why it cannot be read."""
    bad = row[width]
    return int(row[width + 1]), bad if bad is not None else tuple(v or "" for v in row[:width])
