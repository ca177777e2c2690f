"""Trino sources, without a Trino server: the client's ``connect`` is replaced by one that
hands each statement the reader sends to DuckDB, after SQLGlot has parsed it as Trino SQL
(the statements are Trino's; DuckDB runs them where the SQL is portable). The seed records
read this way give the files' report, with both backends, the count sent as one statement
per source. A live server is tested by test_trino_live.py, when VPCP_TRINO_URL names one.
"""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from conftest import SEED_PLAN
from pgcluster import DATA, FILES, _records
from test_postgres import _plan
from test_spark import DATES, _comparable

from vpcp_indicators import Engine, SourceError
from vpcp_indicators.sources.trino import TrinoReader, connection_options

pytest.importorskip("trino")

URL = "trino://analyst@trino.example:8080/memory/default"
#: DuckDB's types as Trino's client describes Trino's.
TRINO_TYPES = {
    "VARCHAR": "varchar",
    "DATE": "date",
    "TIMESTAMP": "timestamp(3)",
    "BOOLEAN": "boolean",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DOUBLE": "double",
    "BLOB": "varbinary",
}


class _Cursor:
    def __init__(self, server: Server):
        self.server = server
        self.result: duckdb.DuckDBPyConnection | None = None

    def execute(self, sql: str) -> None:
        self.server.statements.append(sql)
        # Parsed as Trino's SQL (an error if it is not), then run by DuckDB.
        local = sqlglot.transpile(sql, read="trino", write="duckdb")[0]
        self.result = self.server.db.execute(local)

    @property
    def description(self):
        assert self.result is not None
        return [(name, TRINO_TYPES[str(kind)]) for name, kind, *_ in self.result.description]

    def fetchall(self):
        assert self.result is not None
        return self.result.fetchall()

    def fetchmany(self, size: int):
        assert self.result is not None
        return self.result.fetchmany(size)


class _Connection:
    def __init__(self, server: Server):
        self.server = server

    def cursor(self) -> _Cursor:
        return _Cursor(self.server)

    def close(self) -> None:
        self.server.closed += 1


class Server:
    """A stand-in for a Trino server: DuckDB's tables, and what the reader sent."""

    def __init__(self) -> None:
        self.db = duckdb.connect()
        self.statements: list[str] = []
        self.options: list[dict] = []
        self.closed = 0

    def connect(self, **options) -> _Connection:
        self.options.append(options)
        return _Connection(self)


@pytest.fixture
def server(monkeypatch):
    import trino.dbapi

    made = Server()
    monkeypatch.setattr(trino.dbapi, "connect", made.connect)
    return made


def _load_seed(server: Server) -> None:
    """The seed records as tables of text, after a first column ``line`` (the row's line in
    its file, zero-padded), by which the reader numbers rows in file order."""
    for name, file in FILES.items():
        header, rows = _records(DATA / file)
        columns = ", ".join(f'"{c}" VARCHAR' for c in ["line", *header])
        server.db.execute(f'CREATE TABLE "{name}" ({columns})')
        marks = ", ".join("?" for _ in range(len(header) + 1))
        lined = [[f"{n:06d}", *row] for n, row in enumerate(rows, start=1)]
        server.db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', lined)


def test_a_url_names_the_server_the_user_and_the_catalog():
    options = connection_options(
        "trino://analyst@db.example:8443/hive/eoffice?http_scheme=https", 90
    )
    assert options["host"] == "db.example"
    assert options["port"] == 8443
    assert options["user"] == "analyst"
    assert (options["catalog"], options["schema"]) == ("hive", "eoffice")
    assert options["http_scheme"] == "https"
    # Every statement is named and timed: the plan's timeout is the server's limit.
    assert options["source"] == "vpcp-indicators"
    assert options["session_properties"] == {"query_max_execution_time": "90s"}


def test_a_url_without_a_user_reads_as_vpcp_indicators():
    options = connection_options("trino://db.example/memory", 300)
    assert (options["user"], options["port"], options["catalog"]) == (
        "vpcp-indicators",
        8080,
        "memory",
    )
    assert "schema" not in options and "auth" not in options


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_the_seed_records_give_the_files_report(tmp_path, server, backend):
    _load_seed(server)
    expected = _comparable(Engine().evaluate(SEED_PLAN, DATES, backend="python"), shifted=True)
    sources = {n: f'{{ url = "{URL}", table = "{n}" }}' for n in FILES}
    before = len(server.statements)
    report = Engine().evaluate(_plan(tmp_path, sources), DATES, backend=backend)
    assert _comparable(report) == expected
    if backend == "duckdb":
        # Counted by the server: the counting statements read every source, and return
        # figures, never records (a row per date and group, or per fault).
        counted = [s for s in server.statements[before:] if "UNION ALL" in s]
        assert counted
        assert all("LIMIT 0" not in s for s in counted)
    assert server.closed == len(server.options)


def test_values_are_text_as_the_contract_reads_them(server):
    server.db.execute(
        "CREATE TABLE v (n BIGINT, d DATE, t TIMESTAMP, later TIMESTAMP, ok BOOLEAN, s VARCHAR)"
    )
    server.db.execute(
        "INSERT INTO v VALUES (1, DATE '2012-05-01', TIMESTAMP '2012-05-01 00:00:00', "
        "TIMESTAMP '2012-05-01 08:30:00', true, ''), (2, NULL, NULL, NULL, false, 'x')"
    )
    rows = list(TrinoReader().rows(URL, ["n", "d", "t", "later", "ok", "s"], table="v"))
    assert rows == [
        (1, ("1", "2012-05-01", "2012-05-01", "2012-05-01 08:30:00", "true", "")),
        (2, ("2", "", "", "", "false", "x")),
    ]


def test_a_binary_value_makes_its_row_unreadable(server):
    server.db.execute("CREATE TABLE b (a VARCHAR, blob BLOB)")
    server.db.execute("INSERT INTO b VALUES ('x', NULL), ('y', '\\x00'::BLOB)")
    rows = list(TrinoReader().rows(URL, ["a", "blob"], table="b"))
    assert rows[0] == (1, ("x", ""))
    assert rows[1] == (2, "a value is binary, an array, a map, a row or JSON")


def test_an_unknown_table_is_one_line_naming_the_source(server):
    with pytest.raises(SourceError) as caught:
        TrinoReader().columns(URL, table="missing")
    (line,) = caught.value.lines()
    assert line.startswith(f"{URL} [missing]: Trino refused the reading: ")
    assert "\n" not in line


def test_a_query_that_writes_is_refused_before_any_statement(server):
    with pytest.raises(SourceError, match="one SELECT"):
        TrinoReader().columns(URL, query="DELETE FROM documents")
    assert server.statements == []
