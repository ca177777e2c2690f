"""The data warnings of a statement's sources: rows that break the reading contract, and
related rows whose key the counted source does not hold.

Their counts come back with the figures (:meth:`Faults.counted` adds their rows to the
statement). Only when there are some is a second statement run, over the numbered rows, for
the first rows each warning names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ...measurement import FIRST_ROWS, DataWarning
from ...sources import Relation, tally
from ...sql.counts import COLUMNS, union_all
from ...sql.faults import BAD_ROW, checks
from .reading import Reading

if TYPE_CHECKING:
    from .statement import Statement

__all__ = ["UNKNOWN_KEY", "Faults"]

#: The problem code of related rows whose key the counted source does not hold.
UNKNOWN_KEY = -2

Key = tuple[Hashable, ...]


def _fault_row(k: int, p: exp.Expr, b: exp.Expr, n: exp.Expr, width: int) -> list[exp.Expr]:
    """A row of the statement that carries a count of faults: ``k`` is ``-1 - j`` for the
    ``j``-th other source."""
    values = {"i": exp.Literal.number(0), "p": p, "b": b, "n": n}
    row = [exp.alias_(exp.Literal.number(k), "k")]
    row += [exp.alias_(values.get(name, exp.Null()), name) for name in COLUMNS]
    return row + [exp.alias_(exp.Null(), f"x{x}") for x in range(width)]


class Faults:
    """The faults of one statement's sources."""

    def __init__(self, statement: Statement):
        self.statement = statement

    def _known(self, relation: exp.Expr, key: str) -> exp.Select:
        """The keys a readable row of the counted source holds: ``relation`` is its rows, or
        its tally, aliased ``r``."""
        column = self.statement.main.column(key)
        readable = exp.and_(
            exp.Is(this=exp.column("__bad", table="r"), expression=exp.Null()),
            exp.Not(this=exp.Is(this=column.copy(), expression=exp.Null())),
        )
        return exp.select(column).from_(relation.copy()).where(readable)

    def _unknown_key(self, counted: exp.Expr, j: int, key: str) -> exp.Expr:
        """The test that a row of the ``j``-th other source (aliased ``s``) holds a key the
        counted source (its rows or its tally, ``counted``) does not."""
        known = exp.Subquery(this=self._known(counted, key))
        return exp.Not(this=exp.In(this=self.statement.others[j].column(key, "s"), query=known))

    def counted(self, relations: Sequence[Relation], width: int) -> list[exp.Expr]:
        """Rows for the statement, from each other source's tally (see
        :meth:`Statement.build`): its rows with each fault, and per related key, the rows
        that hold an unknown one."""
        branches: list[exp.Expr] = []
        rows = exp.Sum(this=exp.column("__n"))
        for j, _ in enumerate(self.statement.others):
            faulty = exp.Not(this=exp.Is(this=exp.column("__p"), expression=exp.Null()))
            row = _fault_row(-1 - j, exp.column("__p"), exp.column("__bad"), rows, width)
            branches.append(
                exp.select(*row)
                .from_(self.statement.tally_table(j))
                .where(faulty)
                .group_by("__p", "__bad")
            )
        for j, key in self.statement.unknowns():
            test = exp.and_(
                exp.Is(this=exp.column("__p", table="s"), expression=exp.Null()),
                self._unknown_key(self.statement.tally_table(alias="r"), j, key),
            )
            code, name = exp.Literal.number(UNKNOWN_KEY), exp.Literal.string(key)
            row = _fault_row(-1 - j, code, name, rows.copy(), width)
            branches.append(exp.select(*row).from_(self.statement.tally_table(j, "s")).where(test))
        return branches

    def warnings(self, rows: Sequence[tuple[Any, ...]]) -> dict[Key, list[DataWarning]]:
        """The warnings, from the statement's rows: the counted source's (``("main",)``), the
        ``j``-th other source's (``("other", j)``) and its unknown keys' (``(UNKNOWN_KEY, j,
        key)``, without the counted source's name, which is each count's)."""
        p, b, n = (1 + COLUMNS.index(name) for name in ("p", "b", "n"))
        counts: dict[tuple[int, int, Any], int] = defaultdict(int)
        for row in rows:
            k = int(row[0])
            # Every count of the source carries its faults: the first one's are taken.
            if row[p] is not None and (k == 0 or k < 0) and int(row[n] or 0):
                counts[-1 - k if k < 0 else -1, int(row[p]), row[b]] += int(row[n])
        if not counts:
            return {}
        firsts: dict[tuple[int, int, Any], list[int]] = defaultdict(list)
        for s, code, bad, number in self._first_rows(counts):
            firsts[int(s) - 1, int(code), bad].append(int(number))
        found: dict[Key, list[DataWarning]] = defaultdict(list)
        for (j, code, bad), count in counts.items():
            reading = self.statement.main if j < 0 else self.statement.others[j]
            first = tuple(sorted(firsts[j, code, bad])[:FIRST_ROWS])
            if code == UNKNOWN_KEY:
                found[UNKNOWN_KEY, j, bad].append(
                    DataWarning(
                        source=reading.source.name,
                        file=reading.name,
                        problem="unknown_key",
                        count=count,
                        rows=first,
                        column=bad,
                    )
                )
                continue
            where: Key = ("main",) if j < 0 else ("other", j)
            found[where].append(_warning(reading, code, bad, count, first))
        return dict(found)

    def _first_rows(self, counts: dict[tuple[int, int, Any], int]) -> list[tuple[Any, ...]]:
        """The numbered rows of each fault (by source, code and detail), the first few."""
        statement = self.statement
        faulty = {j for j, code, _ in counts if code != UNKNOWN_KEY}
        unknown = {(j, key) for j, code, key in counts if code == UNKNOWN_KEY}

        def build(relations: Sequence[Relation]) -> tuple[exp.Expr, dict[str, Any]]:
            parts: list[exp.Expr] = []
            readings: list[tuple[int, Reading]] = [(-1, statement.main)]
            readings += list(enumerate(statement.others))
            for j, reading in readings:
                if j not in faulty:
                    continue
                relation, typed = relations[1 + j][0], relations[1 + j][1]
                parts.append(
                    exp.select(
                        exp.alias_(exp.Literal.number(j + 1), "s"),
                        exp.alias_(reading.problem(typed), "p"),
                        exp.alias_(exp.column("__bad", table="r"), "b"),
                        exp.alias_(exp.column("__row", table="r"), "row"),
                    ).from_(relation.copy())
                )
            for j, key in sorted(unknown):
                relation, typed = relations[1 + j][0], relations[1 + j][1]
                rows = statement.others[j].kept(relation, typed, "s")
                test = self._unknown_key(relations[0][0], j, key)
                parts.append(
                    exp.select(
                        exp.alias_(exp.Literal.number(j + 1), "s"),
                        exp.alias_(exp.Literal.number(UNKNOWN_KEY), "p"),
                        exp.alias_(exp.Literal.string(key), "b"),
                        exp.alias_(exp.column("__row", table="s"), "row"),
                    )
                    .from_(rows)
                    .where(test)
                )
            union = exp.Subquery(
                this=union_all(parts), alias=exp.TableAlias(this=exp.to_identifier("f"))
            )
            rows = exp.select("s", "p", "b", "row").from_(union)
            rank = exp.Window(
                this=exp.RowNumber(),
                partition_by=[exp.column("s"), exp.column("p"), exp.column("b")],
                order=exp.Order(expressions=[exp.column("row")]),
            )
            ranked = exp.select("s", "p", "b", "row", exp.alias_(rank, "rank")).from_(
                rows.where("p IS NOT NULL").subquery("g")
            )
            first = (
                exp.select("s", "p", "b", "row")
                .from_(ranked.subquery("h"))
                .where(exp.LTE(this=exp.column("rank"), expression=exp.Literal.number(FIRST_ROWS)))
            )
            return first, {}

        others = [(other.ref, other.columns) for other in statement.others]
        main = statement.main
        return tally(statement.reader, main.ref, main.columns, build, True, others)


def _warning(
    reading: Reading, code: int, bad: Any, count: int, rows: tuple[int, ...]
) -> DataWarning:
    problem, column = ("bad_row", None) if code == BAD_ROW else checks(reading.source.columns)[code]
    return DataWarning(
        source=reading.source.name,
        file=reading.name,
        problem=problem,
        count=count,
        rows=rows,
        column=column,
        detail=bad if code == BAD_ROW else None,
    )
