"""Time the CLI on records in databases against hand-written SQL on the same database.

    python bench/databases.py --size national --rounds 3               # PostgreSQL
    python bench/databases.py --size small --engines postgresql,sqlite,spark

The benchmark plan's records (bench/generate.py) are loaded into each database, dates typed
as dates where the database has the type (PostgreSQL, Spark), as ISO text in SQLite. The CLI
evaluates the plan at five dates, whole process; the hand-written SQL gives the same figures
(``psql -f`` for PostgreSQL, a Python script for SQLite and Spark). The figures must agree, or
the run fails. For PostgreSQL, pg_stat_statements says how many statements read each table
and how many rows they returned. The PostgreSQL server is a throw-away cluster on loopback,
started and stopped here (Debian's PostgreSQL; as root, run as the ``postgres`` user).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "baselines"))

from common import COURSE, DATES, write  # noqa: E402
from generate import SIZES, generate  # noqa: E402
from run import cli_figures, run_once  # noqa: E402

TABLES = {
    "documents": ["doc_id", "issued_on", "issuer", "classification", "channel"],
    "meetings": ["meeting_id", "held_on", "chair", "counterpart_kind", "mode"],
    "staff": ["staff_id", "unit", "unit_kind", "joined_on", "left_on", "signature_issued_on",
              "email_issued_on"],
    "trainings": ["staff_id", "course", "completed_on"],
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[tuple[Path, int]]:
    """A throw-away cluster with pg_stat_statements: its bin folder and port."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    bindir = found[-1].parent
    root = Path(tempfile.mkdtemp(prefix="vpcp-bench-pg-"))
    runner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        runner = ["runuser", "-u", "postgres", "--"]

    def run(*args: object) -> None:
        subprocess.run([*runner, *map(str, args)], check=True, capture_output=True, cwd=root)

    run(bindir / "initdb", "-D", root / "data", "-U", "postgres", "-A", "trust", "-E", "UTF8")
    port = _free_port()
    settings = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
        "-c shared_preload_libraries=pg_stat_statements -c shared_buffers=1GB "
        "-c max_parallel_workers_per_gather=2 -c work_mem=64MB"
    )
    run(bindir / "pg_ctl", "-D", root / "data", "-l", root / "log", "-w", "-o", settings, "start")
    try:
        yield bindir, port
    finally:
        run(bindir / "pg_ctl", "-D", root / "data", "-m", "fast", "stop")
        shutil.rmtree(root, ignore_errors=True)


def load_postgres(port: int, data: Path) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", autocommit=True) as admin:
        admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        admin.execute("DROP ROLE IF EXISTS reader")
        admin.execute("CREATE ROLE reader LOGIN")
        for table, columns in TABLES.items():
            typed = ", ".join(f"{c} {'date' if c.endswith('_on') else 'text'}" for c in columns)
            admin.execute(f"CREATE TABLE {table} ({typed})")
            copying = f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)"
            with (
                open(data / f"{table}.csv", "rb") as stream,
                admin.cursor() as cursor,
                cursor.copy(copying) as copy,
            ):
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
            admin.execute(f"VACUUM ANALYZE {table}")
            admin.execute(f"GRANT SELECT ON {table} TO reader")


def postgres_sql() -> str:
    """The figures in hand-written PostgreSQL, one row per (indicator, date, group)."""
    days = "ARRAY[" + ", ".join(f"DATE '{d}'" for d in DATES) + "]"
    return f"""
SELECT 'e-documents', extract(year FROM issued_on)::int || '-12-31', issuer,
       count(*) FILTER (WHERE channel IN ('electronic', 'both')), count(*)
FROM documents
WHERE issuer IN ('government', 'prime_minister') AND classification = 'normal'
  AND issued_on BETWEEN DATE '2011-01-01' AND DATE '2015-12-31'
GROUP BY 2, 3;
SELECT 'online-meetings', extract(year FROM held_on)::int || '-12-31', counterpart_kind,
       count(*) FILTER (WHERE mode IN ('online', 'hybrid')), count(*)
FROM meetings
WHERE chair = 'prime_minister' AND held_on BETWEEN DATE '2011-01-01' AND DATE '2015-12-31'
  AND counterpart_kind IN ('ministry', 'sector', 'province', 'state_group', 'corporation_91')
GROUP BY 2, 3;
SELECT 'digital-signatures', d::text, unit,
       count(*) FILTER (WHERE signature_issued_on <= d AND email_issued_on <= d), count(*)
FROM staff, unnest({days}) AS d
WHERE unit_kind = 'advisory' AND joined_on <= d AND (left_on IS NULL OR left_on > d)
GROUP BY 2, 3;
WITH done AS (SELECT staff_id, min(completed_on) AS first FROM trainings
              WHERE course = '{COURSE}' GROUP BY 1)
SELECT 'it-training', d::text, unit, count(*) FILTER (WHERE done.first <= d), count(*)
FROM staff JOIN unnest({days}) AS d ON joined_on <= d AND (left_on IS NULL OR left_on > d)
LEFT JOIN done USING (staff_id)
GROUP BY 2, 3;
"""


def psql_figures(output: str, out: Path) -> None:
    figures: dict = defaultdict(lambda: defaultdict(dict))
    for line in output.splitlines():
        if line.strip():
            indicator, day, group, num, den = line.split("|")
            figures[indicator][day][group] = (int(num), int(den))
    write(out, figures)


def statements(port: int) -> dict[str, tuple[int, int]]:
    """Per table: the statements that read its rows (not the LIMIT 0 look at its columns),
    and the rows they returned."""
    import psycopg

    found: dict[str, tuple[int, int]] = {}
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres") as admin:
        rows = admin.execute(
            "SELECT query, calls, rows FROM pg_stat_statements s JOIN pg_roles r "
            "ON r.oid = s.userid WHERE r.rolname = 'reader'"
        ).fetchall()
    for table in TABLES:
        # pg_stat_statements writes constants as $n: a look at the columns is "LIMIT $1".
        reading = [
            (calls, count, query.lstrip().upper().startswith("DECLARE"))
            for query, calls, count in rows
            if f'"{table}"' in query and "LIMIT $" not in query
        ]
        streamed = any(cursor for *_, cursor in reading)
        found[table] = (
            sum(c for c, _, _ in reading),
            -1 if streamed else sum(n for _, n, _ in reading),
        )
    return found


def reset_statements(port: int) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", autocommit=True) as admin:
        admin.execute("SELECT pg_stat_statements_reset()")


def plan_for(data: Path, url: str, name: str) -> Path:
    """The benchmark plan with every source a table of the database at ``url``."""
    text = (HERE / "plan.toml.in").read_text("utf-8")
    for table in TABLES:
        text = text.replace(f'"{table}.EXT"', f'{{ url = "{url}", table = "{table}" }}')
    plan = data / f"plan-{name}.toml"
    plan.write_text(text, "utf-8")
    return plan


def cli(plan: Path, out: Path) -> list[str]:
    dates = [a for d in DATES for a in ("--as-of", d)]
    return [sys.executable, "-m", "vpcp_indicators", "evaluate", str(plan), *dates,
            "--format", "json", "--output", str(out)]  # fmt: skip


def load_sqlite(data: Path) -> Path:
    path = data / "records.sqlite"
    if path.exists():
        return path
    con = sqlite3.connect(path)
    for table, columns in TABLES.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} TEXT' for c in columns)})")
        with open(data / f"{table}.csv", encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            next(reader)
            marks = ", ".join("?" for _ in columns)
            con.executemany(
                f"INSERT INTO {table} VALUES ({marks})", ([v or None for v in r] for r in reader)
            )
    con.commit()
    con.close()
    return path


def load_spark(data: Path) -> None:
    """Parquet files with dates typed as DATE, for Spark to read."""
    import duckdb

    con = duckdb.connect()
    for table, columns in TABLES.items():
        target = data / f"spark-{table}.parquet"
        if target.exists():
            continue
        types = ", ".join(f"'{c}': '{'DATE' if c.endswith('_on') else 'VARCHAR'}'" for c in columns)
        con.execute(
            f"COPY (SELECT * FROM read_csv('{data / table}.csv', header = true, "
            f"columns = {{{types}}})) TO '{target}'"
        )


def spark_plan(data: Path) -> Path:
    text = (HERE / "plan.toml.in").read_text("utf-8")
    for table in TABLES:
        query = f"select * from parquet.`{data / f'spark-{table}.parquet'}`"
        text = text.replace(f'"{table}.EXT"', f'{{ url = "spark:local[*]", query = "{query}" }}')
    plan = data / "plan-spark.toml"
    plan.write_text(text, "utf-8")
    return plan


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default="postgresql")
    parser.add_argument(
        "--profile", action="store_true", help="PostgreSQL: time each statement, in process"
    )
    args = parser.parse_args(argv)
    data = (args.data or HERE / "data" / args.size).resolve()
    if not (data / "trainings.csv").exists():
        generate(data, SIZES[args.size], parquet=True)
    out = data / "results"
    out.mkdir(exist_ok=True)
    engines = args.engines.split(",")
    with open(data / "documents.csv", "rb") as stream:
        rows = sum(1 for _ in stream) - 1
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {rows:,} documents; `python bench/databases.py --size "
        f"{args.size} --rounds {args.rounds} --engines {args.engines}`; median of "
        f"{args.rounds} interleaved rounds, whole process.\n"
    )
    print("| source | tool | wall | peak memory |\n|---|---|---|---|")
    ratios = []
    if "postgresql" in engines:
        with postgres_server() as (bindir, port):
            load_postgres(port, data)
            url = f"postgresql://reader@127.0.0.1:{port}/postgres"
            ours = cli(plan_for(data, url, "postgresql"), out / "pg-cli.json")
            sql = out / "pg-hand.sql"
            sql.write_text(postgres_sql(), "utf-8")
            hand = [str(bindir / "psql"), "-X", "-q", "-A", "-t", "-F", "|", "-h", "127.0.0.1",
                    "-p", str(port), "-U", "reader", "-d", "postgres", "-o",
                    str(out / "pg-hand.txt"), "-f", str(sql)]  # fmt: skip
            reset_statements(port)
            times = interleaved({"vpcp-indicators": ours, "hand-written SQL in psql": hand},
                                args.rounds)  # fmt: skip
            read = statements(port)
            psql_figures((out / "pg-hand.txt").read_text(), out / "pg-hand.json")
            agree(out / "pg-cli.json", out / "pg-hand.json", "PostgreSQL")
            ratios.append(report("PostgreSQL", times))
            if args.profile:
                profile(port, plan_for(data, url, "postgresql"), sql)
            per_round = {
                t: (c // args.rounds, n // args.rounds if n >= 0 else n)
                for t, (c, n) in read.items()
            }
    if "sqlite" in engines:
        path = load_sqlite(data)
        ours = cli(plan_for(data, f"sqlite:{path}", "sqlite"), out / "sqlite-cli.json")
        hand = [sys.executable, str(HERE / "baselines" / "database_sql.py"), "sqlite", str(path),
                str(out / "sqlite-hand.json")]  # fmt: skip
        times = interleaved({"vpcp-indicators": ours, "hand-written SQL": hand}, args.rounds)
        agree(out / "sqlite-cli.json", out / "sqlite-hand.json", "SQLite")
        ratios.append(report("SQLite", times))
    if "spark" in engines:
        load_spark(data)
        ours = cli(spark_plan(data), out / "spark-cli.json")
        hand = [sys.executable, str(HERE / "baselines" / "database_sql.py"), "spark", str(data),
                str(out / "spark-hand.json")]  # fmt: skip
        times = interleaved({"vpcp-indicators": ours, "hand-written Spark SQL": hand}, args.rounds)
        agree(out / "spark-cli.json", out / "spark-hand.json", "Spark")
        ratios.append(report("Spark, local[*]", times))
    print("\n| source | vpcp-indicators / hand-written | target |\n|---|---|---|")
    for name, ratio in ratios:
        print(f"| {name} | {ratio:.2f} x | <= 1.25 x |")
    if "postgresql" in engines:
        print("\n| PostgreSQL table | statements that read it, per run | rows they returned |")
        print("|---|---|---|")
        for table, (calls, count) in per_round.items():
            shown = "every record, through a cursor" if count < 0 else str(count)
            print(f"| {table} | {calls} | {shown} |")


def profile(port: int, plan: Path, sql: Path) -> None:
    """Time each reading the engine makes of PostgreSQL (a counted statement, or the records
    through a cursor) and each hand-written query, in this process."""
    import datetime as dt
    import time

    import psycopg

    from vpcp_indicators import Engine
    from vpcp_indicators.sources import postgres

    def timed(method, what):
        def wrapper(self, *args, **options):
            start = time.perf_counter()
            result = method(self, *args, **options)
            if what == "records":
                result = list(result)
            name = f"{options.get('table')}, {what}"
            print(f"| {name} | {time.perf_counter() - start:.2f} s |")
            return iter(result) if what == "records" else result

        return wrapper

    reader = postgres.PostgresReader
    reader.tally = timed(reader.tally, "counted")  # type: ignore[method-assign]
    reader.rows = timed(reader.rows, "records")  # type: ignore[method-assign]
    print("\n| reading | wall |\n|---|---|")
    start = time.perf_counter()
    Engine().evaluate(plan, [dt.date.fromisoformat(d) for d in DATES])
    print(f"| the whole evaluation, in process | {time.perf_counter() - start:.2f} s |")
    with psycopg.connect(host="127.0.0.1", port=port, user="reader", dbname="postgres") as con:
        for query in sql.read_text("utf-8").split(";"):
            if query.strip():
                start = time.perf_counter()
                name = con.execute(query).fetchall()[0][0]
                print(f"| hand-written, {name} | {time.perf_counter() - start:.2f} s |")


def interleaved(commands: dict[str, list[str]], rounds: int) -> dict[str, list[tuple]]:
    times: dict[str, list[tuple]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(run_once(command))
    return times


def agree(cli_report: Path, hand: Path, where: str) -> None:
    ours = cli_figures(cli_report)
    theirs = json.loads(hand.read_text("utf-8"))
    if ours != theirs:
        raise SystemExit(f"figures differ on {where}: {cli_report} and {hand}")


def report(source: str, times: dict[str, list[tuple]]) -> tuple[str, float]:
    median = {
        name: (statistics.median(w for w, _ in runs), statistics.median(m for _, m in runs))
        for name, runs in times.items()
    }
    for name, (wall, peak) in median.items():
        print(f"| {source} | {name} | {wall:.2f} s | {peak:.0f} MB |")
    ours, hand = (median[name][0] for name in times)
    return source, ours / hand


if __name__ == "__main__":
    main()
