"""A source's rows as a counting reader's relation gives them, in SQL: its columns, and the
problem code of a row (see :mod:`vpcp_indicators.sql.faults`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import attrs
from sqlglot import exp

from ...kinds.kind import Source
from ...plan.sourceref import SourceRef
from ...sql.faults import bad_date_sql, problem_sql

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

    def tallied(
        self,
        relation: exp.Expr,
        typed: frozenset[int],
        read: set[str],
        firsts: Sequence[tuple[str, exp.Expr]] = (),
    ) -> exp.Select:
        """The relation reduced to a tally: a row per distinct combination of what is
        ``read`` (as text) and of what the checks need of the rest (whether each required
        column has a value, whether each date column's value is a date; why a row cannot be
        read), with the number of records behind it (``__n``) and its problem code (``__p``).
        Each of ``firsts``, ``(date column, test of a row of relation r)``, adds the earliest
        date of the rows that pass the test (``__f0``...): a related source's rows reduced to
        what a count needs of them (:func:`vpcp_indicators.sql.related.earliest_of`).

        The records are grouped once; the checks and the conditions are then worked out once
        per tally row, not once per record (and not again in every sum that reads them, as
        an engine that substitutes a subquery's expressions would)."""
        columns, column = self.source.columns, self.column
        names = [c.name for c in columns]
        kept = [n for n in names if n in read]
        flagged = [c.name for c in columns if c.required and c.name not in read]
        unread = [c.name for c in columns if c.type == "date" and c.name not in read]
        dated = self.dated(typed)
        bad = exp.column("__bad", table="r")
        keys = [column(n) for n in kept]
        keys += [exp.Is(this=column(n), expression=exp.Null()) for n in flagged]
        keys += [bad_date_sql(column(n), n in dated) for n in unread]
        aliases = [f"k{names.index(n)}" for n in kept]
        aliases += [f"m{i}" for i in range(len(flagged))]
        aliases += [f"d{i}" for i in range(len(unread))]
        inner = exp.select(*(exp.alias_(k, a) for k, a in zip(keys, aliases, strict=True)))
        inner = inner.select(
            exp.alias_(bad, "__bad"), exp.alias_(exp.Count(this=exp.Star()), "__n")
        )
        for i, (date, test) in enumerate(firsts):
            # A row whose date is not one is left out with its group (its ``d`` flag).
            earliest = exp.Min(this=exp.Case().when(test, column(date)))
            inner = inner.select(exp.alias_(earliest, f"__f{i}"))
        inner = inner.from_(relation).group_by(*(k.copy() for k in keys), bad.copy())

        def missing(name: str) -> exp.Expr:
            if name in flagged:
                return exp.column(f"m{flagged.index(name)}", table="t")
            return exp.Is(this=column(name, "t"), expression=exp.Null())

        def bad_date(name: str) -> exp.Expr | None:
            return exp.column(f"d{unread.index(name)}", table="t") if name in unread else None

        problem = problem_sql(
            columns, partial(column, table="t"), exp.column("__bad", table="t"), missing,
            dated, bad_date,
        )  # fmt: skip
        return exp.select(
            *(exp.column(f"k{names.index(n)}", table="t") for n in kept),
            *(exp.column(f"__f{i}", table="t") for i in range(len(firsts))),
            exp.alias_(problem, "__p"),
            exp.column("__bad", table="t"),
            exp.column("__n", table="t"),
        ).from_(inner.subquery("t"))

    def kept(self, relation: exp.Expr, typed: frozenset[int], alias: str) -> exp.Expr:
        """The rows the count keeps (no problem), aliased ``alias``."""
        clean = exp.Is(this=self.problem(typed), expression=exp.Null())
        rows = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("r")))
        return rows.from_(relation.copy()).where(clean).subquery(alias)
