"""Start-up imports only what a command uses: --version no engine and no catalog, validate
of a plan of files no SQL builder and no DuckDB (issue 12's start-up goal; the times are
in docs/benchmarks.md, measured by bench/run.py, never asserted here)."""

from __future__ import annotations

import subprocess
import sys

from conftest import SEED_PLAN

RUN = """
import sys
sys.argv = ["vpcp-indicators", *{args!r}]
from vpcp_indicators.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(args=list(args))], capture_output=True, text=True
    )
    return set(done.stderr.split())


def test_version_loads_neither_the_engine_nor_the_catalogs():
    modules = loaded("--version")
    assert "vpcp_indicators.cli" in modules
    assert not {"vpcp_indicators.engine", "vpcp_indicators.i18n", "attrs"} & modules


def test_validate_of_a_plan_of_files_loads_no_sql_builder_and_no_duckdb():
    modules = loaded("validate", str(SEED_PLAN))
    assert "vpcp_indicators.engine" in modules
    assert not {"sqlglot", "duckdb", "psycopg", "pyspark"} & modules
