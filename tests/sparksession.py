"""A Spark session for the tests of Spark sources (the ``spark`` fixture): PySpark in local
mode (``local[2]``), started once per test session with the machine's Java and stopped at
the end. The tests are skipped when PySpark or Java is not installed, unless
VPCP_REQUIRE_SPARK is set (CI sets it: .ci/run installs the ``spark`` extra).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from vpcp_indicators.sources.spark import session

#: The URL of the tests' Spark sources: the session the fixture starts.
URL = "spark:local[2]"


def _missing(what: str) -> None:
    if os.environ.get("VPCP_REQUIRE_SPARK"):
        pytest.fail(f"{what} is required (VPCP_REQUIRE_SPARK is set) but not installed")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The session's SparkSession, made as a ``spark:local[2]`` source makes it."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _missing("PySpark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _missing("Java")
    made = session(URL)
    yield made
    made.stop()


def view(
    spark: Any, name: str, header: list[str], rows: list[list[Any]], types: dict[str, str]
) -> None:
    """A temporary view of the session's catalog holding these rows, columns of these types
    (``string`` when not given)."""
    schema = ", ".join(f"`{c.replace('`', '``')}` {types.get(c, 'string')}" for c in header)
    spark.createDataFrame(rows, schema).createOrReplaceTempView(name)
