"""What a PostgreSQL source refuses before any connection (no server is needed): a query
that is not one SELECT, a URL with a password, a missing driver; and how values and
messages are made text."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner
from conftest import indicator, plan_text

from vpcp_indicators import Engine, SourceError
from vpcp_indicators.cli import cli
from vpcp_indicators.sources.pgtext import number_text, scrubbed
from vpcp_indicators.sources.postgres import PostgresReader

# Nothing listens there: a refusal must come before any connection.
NOWHERE = "postgresql://reader@127.0.0.1:1/eoffice"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("select 1 as x; select 2 as x", "must be exactly one SELECT statement"),
        ("select 1 as x; drop table van_ban", "must be exactly one SELECT statement"),
        ("insert into van_ban values (1)", "must be exactly one SELECT statement"),
        ("delete from van_ban", "must be exactly one SELECT statement"),
        ("copy van_ban to stdout", "must be exactly one SELECT statement"),
        ("call archive()", "must be exactly one SELECT statement"),
        ("", "must be exactly one SELECT statement"),
        ("select * into copia from van_ban", "writes and locks nothing"),
        ("with d as (delete from van_ban returning *) select * from d", "writes and locks"),
        ("select * from van_ban for update", "writes and locks nothing"),
        ("select (", "the query cannot be parsed: "),
    ],
)
def test_anything_but_one_select_is_refused_before_connecting(query, said):
    with pytest.raises(SourceError, match=r"^postgresql://reader@127\.0\.0\.1:1/eoffice: ") as e:
        PostgresReader().columns(NOWHERE, query=query)
    assert said in str(e.value)
    assert len(str(e.value).splitlines()) == 1


def test_a_query_that_is_one_select_reaches_the_connection():
    # Refused for the connection, not the query: a UNION and a query in brackets are SELECTs.
    for query in ["select 1 as x union select 2", "(select 1 as x)", "select '50%' as x"]:
        with pytest.raises(SourceError, match="cannot connect to the database"):
            PostgresReader().columns(NOWHERE, query=query)


def test_a_url_with_a_password_given_in_code_is_refused_without_echoing_it():
    with pytest.raises(SourceError) as e:
        PostgresReader().columns("postgresql://reader:hunter2@127.0.0.1:1/eoffice", table="t")
    assert "a url must not hold a password" in str(e.value)
    assert "hunter2" not in str(e.value)


def _plan(tmp_path):
    plan = tmp_path / "plan.toml"
    source = {"url": NOWHERE, "table": "van_ban"}
    written = indicator("e_document_dispatch", {"documents": source}, params={"issuers": ["x"]})
    plan.write_text(plan_text([written]), "utf-8")
    return plan


def test_without_psycopg_a_postgresql_source_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg raises ImportError
    (problem,) = Engine().validate(_plan(tmp_path))
    assert problem.message == (
        f"{NOWHERE} [van_ban]: PostgreSQL sources need psycopg: "
        "pip install 'vpcp-indicators[postgres]'"
    )
    result = CliRunner().invoke(cli, ["evaluate", "--lang", "en", str(_plan(tmp_path))])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.endswith("pip install 'vpcp-indicators[postgres]'")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("3.50", "3.5"),
        ("100", "100"),
        ("1e+16", "10000000000000000"),
        ("1.5e-07", "0.00000015"),
        ("-0", "0"),
        ("-0.000", "0"),
        ("0.75", "0.75"),
        ("-12.0", "-12"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
    ],
)
def test_a_number_is_its_shortest_plain_decimal(text, canonical):
    assert number_text(text) == canonical


def test_a_message_never_shows_a_password():
    said = scrubbed(
        "failed for hunter2: host=db password=s3cret user=x, or postgresql://x:pw@db/y",
        ["hunter2"],
    )
    assert said == "failed for ***: host=db password=*** user=x, or postgresql://x:***@db/y"


def test_the_password_libpq_would_send_is_kept_out_of_messages(monkeypatch):
    import psycopg

    from vpcp_indicators.sources.postgres import _secrets

    monkeypatch.setenv("PGPASSWORD", "hunter2")
    assert _secrets(psycopg) == ["hunter2"]
    monkeypatch.delenv("PGPASSWORD")
    assert "hunter2" not in _secrets(psycopg)


def test_a_driver_message_that_quotes_the_password_is_scrubbed(monkeypatch):
    import psycopg

    def connect(*args, **kwargs):
        raise psycopg.OperationalError("connection to server failed: FATAL:  no hunter2 here")

    monkeypatch.setenv("PGPASSWORD", "hunter2")
    monkeypatch.setattr(psycopg, "connect", connect)
    with pytest.raises(SourceError) as e:
        PostgresReader().columns(NOWHERE, table="van_ban")
    assert str(e.value) == (f"{NOWHERE} [van_ban]: cannot connect to the database: no *** here")
