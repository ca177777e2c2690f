"""Counting in a database's own SQL: a kind's conditions and counts as SQLGlot expression
trees, rendered for each dialect (DuckDB, SQLite, PostgreSQL, Spark, Trino).

The SQL is built as expression trees, never by formatting text: a plan's values are bound
parameters (:class:`Params`), a column's name a quoted identifier. Each condition is
two-valued (never NULL), written in forms that mean the same on every engine: ``COALESCE``
instead of ``IS NOT TRUE`` (which Trino rewrites to ``NOT x``, dropping NULL rows), plain
comparisons of ISO dates instead of ``EXTRACT`` or date arithmetic.
"""

from __future__ import annotations

from .conditions import Params, condition_sql

__all__ = ["Params", "condition_sql"]
