"""A throw-away PostgreSQL cluster for the tests of PostgreSQL sources (the ``postgres``
fixture, which tests/conftest.py gives every test).

Debian's PostgreSQL (``/usr/lib/postgresql/*/bin``) is started once per session in a
temporary directory, listening on a free loopback port, and stopped at the end, failed
tests or not. As root, initdb and pg_ctl run as the ``postgres`` user (initdb refuses root).
The tests are skipped when PostgreSQL or psycopg is not installed, unless
VPCP_REQUIRE_POSTGRES is set (CI sets it: .ci/run installs PostgreSQL).

The cluster has a database ``eoffice`` and these roles: ``reader`` (may only read, no
password), ``secret_reader`` (the same, with the password :data:`SECRET`), and ``writer``
(may write the tables: for showing that the transaction itself refuses to write).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

#: The password of ``secret_reader``.
SECRET = "s3cr3t-Pa55word"

#: The seed plan's sample data, and its sources, each loaded into the table of its name.
DATA = Path(__file__).resolve().parent.parent / "plans" / "data"
FILES = {
    "documents": "documents.csv",
    "meetings": "meetings.csv",
    "staff": "staff.csv",
    "projects": "projects.csv",
    "reports": "reports.csv",
    "trainings": "trainings.jsonl",
}
#: Columns of the typed tables that are neither text nor dates (those end with "_on").
TYPES = {"percent_done": "integer", "value": "numeric"}

_HBA = """\
local all all trust
host all secret_reader 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
"""


def _bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def _missing(what: str) -> None:
    if os.environ.get("VPCP_REQUIRE_POSTGRES"):
        pytest.fail(f"{what} is required (VPCP_REQUIRE_POSTGRES is set) but not installed")
    pytest.skip(f"{what} is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@attrs.frozen
class Cluster:
    """A running cluster: its port, and connections and URLs to it."""

    port: int

    def url(self, user: str = "reader", database: str = "eoffice") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "eoffice") -> Any:
        """A superuser's connection, committing each statement."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """The session's cluster, with its database and roles."""
    bindir = _bindir()
    if bindir is None:
        _missing("PostgreSQL")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg")
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="vpcp-pg-"))
    runner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        runner = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "log"

    def run(*args: object) -> None:
        subprocess.run([*runner, *map(str, args)], check=True, capture_output=True, cwd=root)

    run(bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8")
    (data / "pg_hba.conf").write_text(_HBA)
    port = _free_port()
    settings = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root}"
    run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", settings, "start")
    try:
        cluster = Cluster(port)
        with cluster.admin("postgres") as admin:
            admin.execute("CREATE ROLE reader LOGIN")
            admin.execute(f"CREATE ROLE secret_reader LOGIN PASSWORD '{SECRET}'")
            admin.execute("CREATE ROLE writer LOGIN")
            admin.execute("CREATE DATABASE eoffice")
        with cluster.admin() as admin:
            for schema in ("public", "typed", "hostile"):
                admin.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO reader, secret_reader, writer")
                admin.execute(
                    f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
                    " GRANT SELECT ON TABLES TO reader, secret_reader"
                )
                admin.execute(
                    f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT ALL ON TABLES TO writer"
                )
        yield cluster
    finally:
        subprocess.run(
            [*runner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            cwd=root,
        )
        shutil.rmtree(root, ignore_errors=True)


def _records(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """A file's columns and records, an empty value as NULL."""
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as stream:
            header, *rows = list(csv.reader(stream))
        return header, [[v or None for v in row] for row in rows]
    objects = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    header = list(objects[0])
    return header, [[o.get(k) for k in header] for o in objects]


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:  # 2013-02-30, which a date column cannot hold
        return None


def _copy(admin: Any, table: str, columns: list[str], rows: Any) -> None:
    from psycopg import sql

    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(*table.split(".")), names)
    with admin.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@pytest.fixture(scope="session")
def seed_db(postgres: Cluster) -> Cluster:
    """The seed records twice: as exported (text columns, in file order by a primary key
    ``line``) in ``public``, and with dates and numbers typed (no key) in ``typed``."""
    from psycopg import sql

    with postgres.admin() as admin:
        for table, file in FILES.items():
            header, rows = _records(DATA / file)
            texts = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
            admin.execute(
                sql.SQL("CREATE TABLE {} (line integer PRIMARY KEY, {})").format(
                    sql.Identifier("public", table), texts
                )
            )
            numbered = ([n, *row] for n, row in enumerate(rows, start=1))
            _copy(admin, f"public.{table}", ["line", *header], numbered)
            types = ["date" if c.endswith("_on") else TYPES.get(c, "text") for c in header]
            typed = sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t))
                for c, t in zip(header, types, strict=True)
            )
            admin.execute(
                sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier("typed", table), typed)
            )
            values = (
                [_date(v) if t == "date" else v for v, t in zip(row, types, strict=True)]
                for row in rows
            )
            _copy(admin, f"typed.{table}", header, values)
    return postgres
