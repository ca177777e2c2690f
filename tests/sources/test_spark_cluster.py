"""The Spark path is the cluster path: a standalone Spark cluster (a master and two workers,
on loopback) is started by the test, and the seed plan, its records in Parquet files that
Spark reads, evaluates on it, from the command line, to the figures of its CSV files.

Marked slow: starting the cluster and its executors takes about a minute.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import SEED_PLAN
from pgcluster import DATA, FILES
from sparksession import _missing

from vpcp_indicators import Engine

pytestmark = [pytest.mark.slow, pytest.mark.spark]

DATES = [dt.date(2012, 12, 31), dt.date(2015, 12, 31)]
COUNTED = ("documents", "meetings", "staff")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A master and two workers of one core each; the master's URL and its web UI's."""
    try:
        import pyspark
    except ImportError:
        _missing("PySpark")
    spark_class = Path(pyspark.__file__).parent / "bin" / "spark-class"
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_NO_DAEMONIZE": "1"}
    logs = tmp_path_factory.mktemp("spark-logs")
    port, ui = _port(), _port()
    master = f"spark://127.0.0.1:{port}"
    started = []

    def start(name: str, *args: str) -> None:
        log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        started.append(subprocess.Popen([str(spark_class), *args], env=env, stdout=log, stderr=log))

    start(
        "master",
        "org.apache.spark.deploy.master.Master",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--webui-port",
        str(ui),
    )
    for n in range(2):
        start(
            f"worker{n}",
            "org.apache.spark.deploy.worker.Worker",
            master,
            "--host",
            "127.0.0.1",
            "--cores",
            "1",
            "--memory",
            "1g",
            "--webui-port",
            str(_port()),
            "--work-dir",
            str(logs / f"work{n}"),
        )
    try:
        status = f"http://127.0.0.1:{ui}/json/"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if len(_get(status)["workers"]) == 2:
                    break
            except OSError:
                pass
            time.sleep(1)
        else:
            pytest.fail("the Spark cluster did not start; see " + str(logs))
        yield master, status
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def _parquet(folder: Path) -> None:
    """The seed's records as Parquet files, all text, after a ``line`` column that numbers
    them in file order (Spark numbers rows by the text of their columns)."""
    con = duckdb.connect()
    for name in COUNTED:
        source = str(DATA / FILES[name])
        con.execute(
            f"COPY (SELECT printf('%06d', row_number() OVER ()) AS line, * FROM "
            f"read_csv('{source}', all_varchar = true)) TO '{folder / name}.parquet'"
        )


def test_the_seed_plan_counts_on_a_standalone_cluster(cluster, tmp_path):
    master, status = cluster
    _parquet(tmp_path)
    text = SEED_PLAN.read_text("utf-8")
    for name in COUNTED:
        query = f"select * from parquet.`{tmp_path / name}.parquet`"
        text = text.replace(f'"data/{FILES[name]}"', f'{{ url = "{master}", query = "{query}" }}')
    plan = tmp_path / "plan.toml"
    plan.write_text(text, "utf-8")
    (tmp_path / "data").symlink_to(DATA)
    dates = [f"--as-of={d.isoformat()}" for d in DATES]
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "vpcp_indicators",
            "evaluate",
            str(plan),
            *dates,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)["evaluations"]
    expected = Engine().evaluate(SEED_PLAN, DATES, backend="python").figures()["evaluations"]
    for evaluations, shift in ((report, 0), (expected, 1)):
        for evaluation in evaluations:
            for result in evaluation["indicators"]:
                for warning in result["warnings"]:
                    del warning["file"], warning["message"]
                    if warning["source"] in COUNTED:
                        warning["rows"] = [row - shift for row in warning["rows"]]
    assert report == expected
    # The counts ran on the cluster: its master lists the application, run and finished.
    apps = _get(status)["completedapps"]
    assert [app["name"] for app in apps] == ["vpcp-indicators"]
