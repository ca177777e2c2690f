"""A source's rows as a counting reader's relation gives them, in SQL: its columns, and the
problem code of a row (see :mod:`vpcp_indicators.sql.faults`)."""

from __future__ import annotations

from functools import partial

import attrs
from sqlglot import exp

from ...kinds.kind import Source
from ...plan.sourceref import SourceRef
from ...sql.faults import problem_sql

__all__ = ["Reading", "column_of"]


def column_of(source: Source, name: str, table: str = "r") -> exp.Expr:
    """A column of the source in a reader's relation aliased ``table``: ``k`` and its
    position among the source's declared columns."""
    at = [c.name for c in source.columns].index(name)
    return exp.column(f"k{at}", table=table)


@attrs.frozen
class Reading:
    """A source a statement reads: where it is, the kind's description of it, and how
    warnings name it."""

    ref: SourceRef
    source: Source
    name: str

    @property
    def columns(self) -> list[str]:
        """The columns asked of the reader: every declared one, as the reference reads."""
        return [c.name for c in self.source.columns]

    def column(self, name: str, table: str = "r") -> exp.Expr:
        """A column of the relation aliased ``table``."""
        return column_of(self.source, name, table)

    def dated(self, positions: frozenset[int]) -> set[str]:
        """The names of the columns at ``positions``: those the database types as dates."""
        return {c.name for i, c in enumerate(self.source.columns) if i in positions}

    def problem(self, typed: frozenset[int], table: str = "r") -> exp.Expr:
        """A row's problem code, on the relation aliased ``table``."""
        return problem_sql(
            self.source.columns,
            partial(self.column, table=table),
            exp.column("__bad", table=table),
            dated=self.dated(typed),
        )

    def kept(self, relation: exp.Expr, typed: frozenset[int], alias: str) -> exp.Expr:
        """The rows the count keeps (no problem), aliased ``alias``."""
        clean = exp.Is(this=self.problem(typed), expression=exp.Null())
        rows = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("r")))
        return rows.from_(relation.copy()).where(clean).subquery(alias)
