"""Reading PostgreSQL, from a throw-away cluster (see tests/pgcluster.py): nothing is ever
written, each reading is named, read-only and timed, rows stream through a server-side
cursor, values become the contract's text, and each failure is one line naming the source,
never a password."""

from __future__ import annotations

import tracemalloc

import pytest
from click.testing import CliRunner
from conftest import indicator, plan_text
from pgcluster import SECRET
from sqlglot import exp

from vpcp_indicators import SourceError
from vpcp_indicators.cli import cli
from vpcp_indicators.sources.postgres import PostgresReader

pytestmark = pytest.mark.postgres


def test_nothing_is_written_even_by_a_role_that_may_write(postgres):
    with postgres.admin() as admin:
        admin.execute("CREATE TABLE public.log (n integer)")
        admin.execute("CREATE SEQUENCE public.seq")
        admin.execute("GRANT USAGE ON SEQUENCE public.seq TO writer")
        admin.execute(
            "CREATE FUNCTION public.bump() RETURNS integer LANGUAGE sql"
            " AS $$ INSERT INTO public.log VALUES (1) RETURNING n $$"
        )
    writer = postgres.url("writer")
    for query in ["select public.bump() as x", "select nextval('public.seq') as x"]:
        with pytest.raises(SourceError, match=r"cannot execute .* in a read-only transaction"):
            list(PostgresReader().rows(writer, ["x"], query=query))
    with postgres.admin() as admin:
        assert admin.execute("SELECT count(*) FROM public.log").fetchone() == (0,)
        assert admin.execute("SELECT is_called FROM public.seq").fetchone() == (False,)


SETTINGS = (
    "select current_setting('application_name') as a,"
    " current_setting('transaction_read_only') as r,"
    " current_setting('default_transaction_read_only') as d,"
    " current_setting('statement_timeout') as t"
)


def test_each_reading_is_named_read_only_and_timed_whatever_the_url_says(postgres):
    # The URL's own settings are overridden by the reader's.
    url = postgres.url() + (
        "?application_name=other&options=-c%20default_transaction_read_only%3Doff"
    )
    reader = PostgresReader()
    assert list(reader.rows(url, ["a", "r", "d", "t"], query=SETTINGS)) == [
        (1, ("vpcp-indicators", "on", "on", "5min"))
    ]
    assert list(reader.rows(url, ["t"], query=SETTINGS, timeout=2.5)) == [(1, ("2500ms",))]


def test_a_counting_statement_runs_without_jit(postgres):
    # JIT-compiling the statement's many sums costs more than it saves (docs/benchmarks.md).
    def build(relations):
        return exp.select(exp.func("current_setting", exp.Literal.string("jit"))), {}

    reader = PostgresReader()
    assert reader.tally(postgres.url(), ["a"], build, query="select 1 as a") == [("off",)]


def test_rows_stream_through_a_server_side_cursor_in_bounded_memory(postgres):
    with postgres.admin() as admin:
        admin.execute(
            "CREATE TABLE public.big AS SELECT n AS id, repeat('x', 1000) || n AS s"
            " FROM generate_series(1, 50000) AS n"
        )
        admin.execute("ALTER TABLE public.big ADD PRIMARY KEY (id)")
    rows = PostgresReader().rows(postgres.url(), ["s"], table="public.big")
    tracemalloc.start()
    try:
        assert next(rows) == (1, ("x" * 1000 + "1",))
        with postgres.admin() as admin:
            (query,) = admin.execute(
                "SELECT query FROM pg_stat_activity WHERE application_name = 'vpcp-indicators'"
            ).fetchone()
        # The reader's session fetches from its cursor, a batch at a time.
        assert query.startswith('FETCH FORWARD 2000 FROM "vpcp_indicators_rows"')
        count = 1 + sum(1 for _ in rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 50_000
    # The values alone are 50 MB: read at once, they would all be held.
    assert peak < 10_000_000


def test_values_become_the_text_the_reading_contract_checks(postgres):
    with postgres.admin() as admin:
        admin.execute(
            "CREATE TABLE public.kinds (t text, i bigint, n numeric, f double precision,"
            " r real, b boolean, d date, ts timestamp, tz timestamptz, j jsonb, a integer[],"
            " y bytea, u uuid)"
        )
        admin.execute(
            "INSERT INTO public.kinds VALUES"
            " ('a', 12, 3.50, 1e16, 0.75, true, '2011-01-02', '2011-01-01 00:00',"
            "  '2011-01-01 07:00+07', NULL, NULL, NULL, '00000000-0000-0000-0000-000000000001'),"
            " ('b', -3, 100, -0.0, 1.5e-7, false, 'infinity', '2011-01-01 10:30',"
            "  NULL, NULL, NULL, NULL, NULL),"
            " ('c', NULL, 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, '{}', NULL, NULL, NULL),"
            " ('d', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{1}', NULL, NULL),"
            " ('e', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'x', NULL)"
        )
    columns = ["t", "i", "n", "f", "r", "b", "d", "ts", "tz", "j", "a", "y", "u"]
    rows = dict(PostgresReader().rows(postgres.url(), columns, table="public.kinds"))
    unreadable = "a value is an array, a record, JSON or binary data"
    assert rows == {
        1: (
            "a", "12", "3.5", "10000000000000000", "0.75", "true", "2011-01-02",
            "2011-01-01", "2011-01-01 00:00:00+00", "", "", "",
            "00000000-0000-0000-0000-000000000001",
        ),
        2: (
            "b", "-3", "100", "0", "0.00000015", "false", "infinity",
            "2011-01-01 10:30:00", "", "", "", "", "",
        ),
        3: unreadable,
        4: unreadable,
        5: unreadable,
    }  # fmt: skip


def test_rows_are_numbered_by_the_key_else_by_the_values_else_as_the_query_orders(postgres):
    with postgres.admin() as admin:
        admin.execute("CREATE TABLE public.keyed (n integer PRIMARY KEY, s text)")
        admin.execute('CREATE TABLE public.unkeyed (s text COLLATE "und-x-icu", n integer)')
        for table in ("keyed", "unkeyed"):  # stored out of either order
            admin.execute(
                f"INSERT INTO public.{table} (s, n) VALUES ('b', 1), ('a', 4), ('B', 3), (NULL, 2)"
            )
    reader, url = PostgresReader(), postgres.url()
    assert list(reader.rows(url, ["s"], table="public.keyed")) == [
        (1, ("b",)),
        (2, ("",)),
        (3, ("B",)),
        (4, ("a",)),
    ]
    # Text in the "C" collation, whatever the column's (ICU's would put "a" first); NULL last.
    assert list(reader.rows(url, ["s", "n"], table="public.unkeyed")) == [
        (1, ("B", "3")),
        (2, ("a", "4")),
        (3, ("b", "1")),
        (4, ("", "2")),
    ]
    query = "select s from public.unkeyed order by n desc"
    assert [values for _, values in reader.rows(url, ["s"], query=query)] == [
        ("a",),
        ("B",),
        ("",),
        ("b",),
    ]


def test_a_query_that_names_two_columns_alike_is_refused(postgres):
    with pytest.raises(SourceError, match=r"gives one name to several columns \('x'\)"):
        PostgresReader().columns(postgres.url(), query="select 1 as x, 2 as x")


def _one_line(tmp_path, source, env=None):
    """``evaluate`` of a plan whose e-documents indicator reads ``source``: its stderr."""
    plan = tmp_path / "plan.toml"
    written = indicator(
        "e_document_dispatch", {"documents": source}, params={"issuers": ["government"]}
    )
    plan.write_text(plan_text([written]), "utf-8")
    result = CliRunner().invoke(
        cli, ["evaluate", "--lang", "en", "--as-of", "2012-12-31", str(plan)], env=env
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    return line


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("wrong password", 'password authentication failed for user "secret_reader"'),
        ("unknown database", 'database "nodb" does not exist'),
        ("unknown table", "the database has no table 'public.nope'"),
        ("unknown column", "]: lacks column 'ngay' that kind 'e_document_dispatch' needs"),
        ("permission denied", "permission denied: permission denied for table secret"),
        ("connection refused", "cannot connect to the database: Connection refused"),
        ("timeout", "did not answer within 0.5 seconds (the source's timeout)"),
    ],
)
def test_each_failure_is_one_line_naming_the_source_never_the_password(
    tmp_path, seed_db, case, said
):
    url, table = seed_db.url(), "public.documents"
    source: dict = {"url": url, "table": table}
    env = {"PGPASSWORD": SECRET}  # the right password, for another role: never shown
    if case == "wrong password":
        source["url"] = seed_db.url("secret_reader")
        env = {"PGPASSWORD": "wrong-" + SECRET}
    elif case == "unknown database":
        source["url"] = seed_db.url(database="nodb")
    elif case == "unknown table":
        source["table"] = "public.nope"
    elif case == "unknown column":
        source["columns"] = {"issued_on": "ngay"}
    elif case == "permission denied":
        with seed_db.admin() as admin:
            admin.execute("CREATE TABLE IF NOT EXISTS public.secret (LIKE public.documents)")
            admin.execute("REVOKE SELECT ON public.secret FROM reader")
        source["table"] = "public.secret"
    elif case == "connection refused":
        source["url"] = url.replace(str(seed_db.port), str(_closed_port()))
    elif case == "timeout":
        del source["table"]
        source["query"] = (
            "select doc_id, issued_on, issuer, classification, channel"
            " from public.documents where pg_sleep(1) is not null"
        )
        source["timeout"] = 0.5
    line = _one_line(tmp_path, source, env)
    name = source["url"] + (f" [{source['table']}]" if "table" in source else "")
    assert name in line
    assert said in line
    assert SECRET not in line
