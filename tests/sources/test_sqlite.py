"""SQLite sources read by the reader: values as text, rows in a fixed order, read-only, SQL
that no name or query can turn into something else, and one-line errors."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from vpcp_indicators import SourceError
from vpcp_indicators.sources.sqlite import SqliteReader, parse_query

READER = SqliteReader()


def database(path, script, *rows):
    """A database file made by ``script``, with ``rows`` as ``(sql, values)`` inserted."""
    connection = sqlite3.connect(path)
    connection.executescript(script)
    for statement, values in rows:
        connection.execute(statement, values)
    connection.commit()
    connection.close()
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path):
    return database(
        tmp_path / "hr.sqlite",
        "CREATE TABLE t (a TEXT, b INTEGER, c REAL, d BLOB, e);",
        ("INSERT INTO t VALUES ('Vụ', 12, 0.75, NULL, 3.0)", ()),
        ("INSERT INTO t VALUES ('2012-1-5', NULL, 1e16, x'00ff', '')", ()),
        ("INSERT INTO t VALUES (CAST(? AS TEXT), -3, 1.5, 'text', 7)", (b"x\xff",)),
    )


def test_values_become_text_as_the_contract_says(db):
    assert READER.columns(db, table="t") == ["a", "b", "c", "d", "e"]
    assert list(READER.rows(db, ["a", "b", "c", "e"], table="t")) == [
        (1, ("Vụ", "12", "0.75", "3.0")),
        (2, ("2012-1-5", "", "1e+16", "")),
        # TEXT whose bytes are not UTF-8: the row cannot be read, the others can.
        (3, "not UTF-8 text"),
    ]


def test_a_blob_in_a_column_read_makes_its_row_unreadable(db):
    assert list(READER.rows(db, ["b", "d"], table="t")) == [
        (1, ("12", "")),
        (2, "a value is binary"),
        (3, ("-3", "text")),
    ]


def test_a_table_is_read_by_rowid_and_one_without_rowid_by_its_primary_key(tmp_path):
    path = database(
        tmp_path / "o.sqlite",
        "CREATE TABLE r (k TEXT, v INTEGER); CREATE INDEX rv ON r (v);"
        "CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID; CREATE INDEX wv ON w (v);"
        "INSERT INTO r VALUES ('b', 2), ('a', 1); INSERT INTO w VALUES ('b', 1), ('a', 2);",
    )
    # Without an ORDER BY, SQLite would read the covering index: by v.
    assert list(READER.rows(path, ["v"], table="r")) == [(1, ("2",)), (2, ("1",))]
    assert list(READER.rows(path, ["v"], table="w")) == [(1, ("2",)), (2, ("1",))]
    assert list(READER.rows(path, [], table="w")) == [(1, ()), (2, ())]


def test_a_query_is_read_in_its_own_order_under_its_own_names(db):
    query = "SELECT b AS n, a FROM t WHERE b IS NOT NULL ORDER BY b"
    assert READER.columns(db, query=query) == ["n", "a"]
    assert list(READER.rows(db, ["n"], query=query)) == [(1, ("-3",)), (2, ("12",))]


def test_a_query_naming_two_columns_alike_is_refused(db):
    with pytest.raises(SourceError, match=r"one name to several columns \(a\)"):
        READER.columns(db, query="SELECT a, b AS a FROM t")


HOSTILE = ['x"; DROP TABLE t; --', "t'; DROP TABLE t; --", "[t]", "`t`", "t;", 'a""b', "é t"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_table_and_column_names_reach_sqlite_only_quoted(tmp_path, name):
    path = database(
        tmp_path / "h.sqlite", "CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('keep');"
    )
    quoted = '"' + name.replace('"', '""') + '"'
    database(path, f"CREATE TABLE {quoted} ({quoted} TEXT); INSERT INTO {quoted} VALUES ('v');")
    before = digest(path)
    assert READER.columns(path, table=name) == [name]
    assert list(READER.rows(path, [name], table=name)) == [(1, ("v",))]
    # A name that is no table's or column's is an error about that name, and nothing more.
    with pytest.raises(SourceError, match="no such table"):
        READER.columns(path, table=name + "x")
    with pytest.raises(SourceError, match="no such column"):
        list(READER.rows(path, [name + "x"], table=name))
    with pytest.raises(SourceError, match="no such column"):
        list(READER.rows(path, [name + "x"], query=f"SELECT * FROM {quoted}"))
    assert digest(path) == before
    assert list(READER.rows(path, ["a"], table="t")) == [(1, ("keep",))]


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT 1; SELECT 2", "one SELECT, not 2 statements"),
        ("SELECT a FROM t; DROP TABLE t; --", "one SELECT, not 2 statements"),
        ("", "one SELECT, not 0 statements"),
        ("DROP TABLE t", "must be one SELECT"),
        ("DELETE FROM t", "must be one SELECT"),
        ("INSERT INTO t VALUES (1, 2, 3, 4, 5)", "must be one SELECT"),
        ("UPDATE t SET a = 'x'", "must be one SELECT"),
        ("PRAGMA writable_schema = 1", "must be one SELECT"),
        ("ATTACH 'other.sqlite' AS o", "must be one SELECT"),
        ("VACUUM INTO 'copy.sqlite'", "must be one SELECT"),
        ("CREATE TABLE x (a)", "must be one SELECT"),
        ("SELECT (", "the query cannot be read"),
    ],
)
def test_a_query_that_is_not_one_select_is_refused_in_one_line(db, query, said):
    before = digest(db)
    with pytest.raises(SourceError, match=said) as caught:
        READER.columns(db, query=query)
    assert len(caught.value.lines()) == 1 and "\n" not in caught.value.lines()[0]
    assert digest(db) == before
    assert not (db.parent / "copy.sqlite").exists()


def test_a_compound_select_and_a_common_table_expression_are_one_select():
    assert parse_query("SELECT 1 UNION ALL SELECT 2", "x")
    assert parse_query("WITH c AS (SELECT 1 AS a) SELECT a FROM c; -- end", "x")


def test_what_the_parser_lets_through_sqlite_still_allows_only_to_read(db):
    # A SELECT of a pragma's table: the authorizer refuses it.
    with pytest.raises(SourceError, match="not authorized"):
        READER.columns(db, query="SELECT * FROM pragma_table_info('t')")


def test_a_missing_database_is_an_error_and_is_not_created(tmp_path):
    path = tmp_path / "none.sqlite"
    with pytest.raises(SourceError, match=r"none.sqlite: cannot open the source: not found"):
        READER.columns(path, table="t")
    assert not path.exists()


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(SourceError, match="cannot read the database: file is not a database"):
        READER.columns(path, table="t")


def test_the_database_is_opened_read_only_and_never_written(db):
    db.chmod(0o444)
    stamp, before = db.stat().st_mtime_ns, digest(db)
    assert READER.columns(db, table="t")
    assert len(list(READER.rows(db, ["a"], table="t"))) == 3
    assert list(READER.rows(db, ["a"], query="SELECT a FROM t LIMIT 1")) == [(1, ("Vụ",))]
    assert (db.stat().st_mtime_ns, digest(db)) == (stamp, before)
    assert sorted(p.name for p in db.parent.iterdir()) == ["hr.sqlite"]


def test_a_query_that_runs_past_the_timeout_is_stopped_in_one_line(db):
    slow = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT x FROM c WHERE x = 1000000000"
    )
    with pytest.raises(SourceError) as caught:
        list(READER.rows(db, ["x"], query=slow, timeout=0.2))
    assert caught.value.lines() == [
        f"{db}: the database took longer than 0.2 seconds (the source's timeout)"
    ]


def test_the_connection_itself_cannot_write(db):
    # Below the authorizer: the file is opened read-only, so even a statement the reader
    # never makes could not write.
    from vpcp_indicators.sources.sqlite import _Database

    connection = _Database(db, 5.0).connection
    with pytest.raises(sqlite3.OperationalError, match="readonly database"):
        connection.execute("CREATE TABLE x (a)")
    connection.close()
