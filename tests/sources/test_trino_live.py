"""The seed records on a real Trino server, when ``VPCP_TRINO_URL`` names one whose catalog
and schema take new tables (``trino://user@localhost:8080/memory/default``, say): they give
the files' report with both backends. Skipped otherwise."""

from __future__ import annotations

import os
import uuid

import pytest
from conftest import SEED_PLAN
from pgcluster import DATA, FILES, _records
from sqlglot import exp
from test_postgres import _plan
from test_spark import DATES, _comparable

from vpcp_indicators import Engine
from vpcp_indicators.sources.selects import render
from vpcp_indicators.sources.trino import connection_options

URL = os.environ.get("VPCP_TRINO_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="VPCP_TRINO_URL names no Trino server")


@pytest.fixture(scope="module")
def tables():
    """The seed records as tables of text (first column ``line``, as in test_trino), named
    apart from anything the server holds; dropped at the end."""
    import trino

    connection = trino.dbapi.connect(**connection_options(URL, 300))
    cursor = connection.cursor()
    names = {}
    for name, file in FILES.items():
        table = names[name] = f"vpcp_{name}_{uuid.uuid4().hex[:8]}"
        header, rows = _records(DATA / file)
        columns = ", ".join(f'"{c}" varchar' for c in ["line", *header])
        cursor.execute(f'CREATE TABLE "{table}" ({columns})')
        cursor.fetchall()
        lined = [[f"{n:06d}", *row] for n, row in enumerate(rows, start=1)]
        for start in range(0, len(lined), 500):
            values = exp.values(
                [
                    tuple(exp.Literal.string(v) if v is not None else exp.Null() for v in row)
                    for row in lined[start : start + 500]
                ]
            )
            cursor.execute(f'INSERT INTO "{table}" {render(values, "trino")}')
            cursor.fetchall()
    yield names
    for table in names.values():
        cursor.execute(f'DROP TABLE "{table}"')
        cursor.fetchall()
    connection.close()


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_seed_records_give_the_files_report(tmp_path, tables, backend):
    expected = _comparable(Engine().evaluate(SEED_PLAN, DATES, backend="python"), shifted=True)
    sources = {n: f'{{ url = "{URL}", table = "{t}" }}' for n, t in tables.items()}
    report = Engine().evaluate(_plan(tmp_path, sources), DATES, backend=backend)
    assert _comparable(report) == expected
