"""A source's rows as a counting reader's relation gives them, in SQL: its columns, and the
problem code of a row (see :mod:`vpcp_indicators.sql.faults`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import attrs
from sqlglot import exp

from ...kinds.counting import Condition
from ...kinds.kind import Source
from ...plan.sourceref import SourceRef
from ...sources import Relation, values_of
from ...sql.conditions import Params, condition_sql
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
        relation: Relation,
        read: set[str],
        firsts: Sequence[tuple[str, Condition]] = (),
        params: Params | None = None,
    ) -> exp.Select:
        """The relation reduced to a tally: a row per distinct combination of what is
        ``read`` (as text) and of what the checks need of the rest (whether each required
        column has a value, whether each date column's value is a date; why a row cannot be
        read), with the number of records behind it (``__n``) and its problem code (``__p``).
        Each of ``firsts``, ``(date column, static condition)``, adds the earliest date of
        the rows that satisfy the condition (``__f0``...): a related source's rows reduced
        to what a count needs of them (:func:`vpcp_indicators.sql.related.earliest_of`).

        The records are grouped once, on the database's own values when the relation holds
        them (:class:`~vpcp_indicators.sources.Values`); the text, the checks and the
        conditions are then worked out once per tally row, not once per record (and not
        again in every sum that reads them, as an engine that substitutes a subquery's
        expressions would)."""
        rows, typed, values = relation[0], relation[1], values_of(relation)
        columns, column = self.source.columns, self.column
        names = [c.name for c in columns]
        kept = [n for n in names if n in read]
        flagged = [c.name for c in columns if c.required and c.name not in read]
        unread = [c.name for c in columns if c.type == "date" and c.name not in read]
        dated = self.dated(typed)

        def text(name: str, table: str = "r", value: exp.Expr | None = None) -> exp.Expr:
            found = column(name, table) if value is None else value
            return values.text(names.index(name), found) if values is not None else found

        def none(name: str) -> exp.Expr:
            if values is not None:
                return values.missing(names.index(name), column(name))
            return exp.Is(this=column(name), expression=exp.Null())

        def not_a_date(name: str) -> exp.Expr:
            if values is not None and name in dated:
                ok = values.date(names.index(name), column(name))
                return exp.and_(exp.Not(this=none(name)), exp.Not(this=exp.Paren(this=ok)))
            return bad_date_sql(text(name), name in dated)

        bad = exp.column("__bad", table="r")
        keys = [column(n) for n in kept]
        keys += [none(n) for n in flagged]
        keys += [not_a_date(n) for n in unread]
        aliases = [f"k{names.index(n)}" for n in kept]
        aliases += [f"m{i}" for i in range(len(flagged))]
        aliases += [f"d{i}" for i in range(len(unread))]
        inner = exp.select(*(exp.alias_(k, a) for k, a in zip(keys, aliases, strict=True)))
        inner = inner.select(
            exp.alias_(bad, "__bad"), exp.alias_(exp.Count(this=exp.Star()), "__n")
        )
        # A typed date is compared, and its earliest taken, as the database holds it.
        raw_dates = {d for d, _ in firsts if values is not None and d in dated}
        for i, (date, condition) in enumerate(firsts):
            assert params is not None
            test = condition_sql(condition, text, params)
            earliest = column(date) if date in raw_dates else text(date)
            # A row whose date is not one is left out with its group (its ``d`` flag).
            inner = inner.select(
                exp.alias_(exp.Min(this=exp.Case().when(test, earliest)), f"__f{i}")
            )
        inner = inner.from_(rows.copy()).group_by(*(k.copy() for k in keys), bad.copy())
        grouped = inner.subquery("t")
        if values is not None:
            # Each value made the contract's text once per tally row.
            made = [exp.alias_(text(n, "t0"), f"k{names.index(n)}") for n in kept]
            made += [exp.column(a, table="t0") for a in aliases[len(kept) :]]
            made += [exp.column(c, table="t0") for c in ("__bad", "__n")]
            for i, (date, _) in enumerate(firsts):
                first = exp.column(f"__f{i}", table="t0")
                made.append(
                    exp.alias_(text(date, value=first) if date in raw_dates else first, f"__f{i}")
                )
            grouped = exp.select(*made).from_(inner.subquery("t0")).subquery("t")

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
        ).from_(grouped)

    def kept(self, relation: exp.Expr, typed: frozenset[int], alias: str) -> exp.Expr:
        """The rows the count keeps (no problem), aliased ``alias``."""
        clean = exp.Is(this=self.problem(typed), expression=exp.Null())
        rows = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("r")))
        return rows.from_(relation.copy()).where(clean).subquery(alias)
