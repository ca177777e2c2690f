"""The SQL the compiler writes for Trino, kept as golden files: reviewed when it changes,
parsed back by SQLGlot's Trino dialect, and run (carried to DuckDB, where it is portable) to
the reference's figures on the seed plan's records.

Regenerate after a deliberate change: ``VPCP_UPDATE_GOLDEN=1 python -m pytest tests/sql``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest
import sqlglot
from conftest import SEED_PLAN
from sqlglot import exp

from vpcp_indicators import Engine, load_plan
from vpcp_indicators.engine.jobs import make_job
from vpcp_indicators.engine.validation import check_plan
from vpcp_indicators.sql.conditions import Params, condition_sql
from vpcp_indicators.sql.counts import count_sql
from vpcp_indicators.sql.related import Side, earliest_of, related_test, with_related
from vpcp_indicators.windows import window_on

GOLDEN = Path(__file__).parent / "golden"
DAYS = [dt.date(2012, 12, 31), dt.date(2015, 12, 31)]
#: The seed's indicators whose kinds count (training looks into another source).
COUNTED = ["online-meetings", "e-documents", "digital-signatures", "it-training"]


def _table_column(table: str):
    return lambda name: exp.column(name, table=table, quoted=True)


def _sides(job, params):
    """The sources the count looks into, as tables of the same database (``s``)."""
    sides = []
    for rel in job.count.related():
        rows = exp.to_table(rel.source).as_("s")
        column = _table_column("s")
        earliest = earliest_of(rel)
        firsts = ()
        if earliest is not None:
            date, parts = earliest
            firsts = tuple(
                exp.Case().when(condition_sql(part, column, params), column(date)) for part in parts
            )
        sides.append(Side(rel, rows, column, firsts))
    return sides


def compiled(indicator_id: str):
    engine = Engine()
    plan = load_plan(SEED_PLAN)
    resolved, _ = check_plan(plan, engine.registry_for(plan))
    item = next(r for r in resolved if r.indicator.id == indicator_id)
    job = make_job(item)
    windows = [window_on(item.window, day, plan.start) for day in DAYS]
    spans = [(day, w.start, w.end) for day, w in zip(DAYS, windows, strict=True)]
    params = Params()
    sides = _sides(job, params)
    relation = exp.to_table(job.count.source).as_("t" if sides else "r")
    if sides:
        relation = with_related(relation, _table_column("t"), sides, spans, params)
    made = count_sql(
        job.count,
        relation,
        spans,
        _table_column("c" if sides else "r"),
        related_test(sides) if sides else None,
        params=params,
    )
    return engine, plan, job, made


@pytest.mark.parametrize("indicator_id", COUNTED)
def test_the_trino_sql_is_the_golden_file_and_parses_back(indicator_id):
    _, _, _, made = compiled(indicator_id)
    sql = made.sql("trino") + "\n"
    golden = GOLDEN / f"{indicator_id}.trino.sql"
    if os.environ.get("VPCP_UPDATE_GOLDEN"):
        golden.write_text(sql, "utf-8")
    assert sql == golden.read_text("utf-8"), "run with VPCP_UPDATE_GOLDEN=1 and review the diff"
    # Trino's own dialect reads it back into the same tree.
    again = sqlglot.parse_one(sql, read="trino")
    assert again.sql("trino") + "\n" == sql


@pytest.mark.parametrize("indicator_id", COUNTED)
def test_the_golden_sql_counts_what_the_reference_counts(indicator_id):
    engine, plan, job, made = compiled(indicator_id)
    golden = (GOLDEN / f"{indicator_id}.trino.sql").read_text("utf-8")
    con = duckdb.connect()
    dated = {c.name for s in job.kind.sources for c in s.columns if c.type == "date"}
    # The records as a database would hold them: dates as dates, a date it cannot read as
    # none (the reference leaves such a row out with a warning: the seed's rows agree).
    for name in [job.count.source, *(rel.source for rel in job.count.related())]:
        path = job.files[name].path
        names = [c.name for c in job.kind.source(name).columns]
        read = (
            f"read_csv('{path}', all_varchar=true)"
            if path.suffix == ".csv"
            else f"read_json('{path}', columns={{{', '.join(f'{n!r}: VARCHAR' for n in names)}}})"
        )
        con.execute(f"CREATE OR REPLACE TABLE src AS SELECT * FROM {read}")
        columns = ", ".join(
            f'TRY_CAST("{c}" AS DATE) AS "{c}"' if c in dated else f'"{c}"'
            for (c,) in con.execute("SELECT name FROM pragma_table_info('src')").fetchall()
        )
        con.execute(f'CREATE TABLE "{name}" AS SELECT {columns} FROM src')
    sql = sqlglot.transpile(golden, read="trino", write="duckdb")[0]
    values = made.params.used(sqlglot.parse_one(sql, read="duckdb"))
    rows = con.execute(sql, values).fetchall()
    report = engine.evaluate(plan, DAYS, backend="python")
    for i, evaluation in enumerate(report.evaluations):
        result = evaluation.indicator(indicator_id)
        mine = [r for r in rows if r[0] == i]
        den = sum(r[2] or 0 for r in mine)
        num = sum(r[3] or 0 for r in mine)
        assert (num, den) == (result.numerator, result.denominator), evaluation.as_of
        if made.grouped:
            groups = {r[1]: (r[3], r[2]) for r in mine if r[2]}
            assert groups == {g.key: (g.numerator, g.denominator) for g in result.breakdown}
