"""What the tests share. Writing plans and sources and running kinds on inline records come
from ``vpcp_indicators.testing`` (whose fixtures pytest loads through its entry point), the
same helpers plugin authors use."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import pytest
from pgcluster import postgres, seed_db  # noqa: F401 - the session's PostgreSQL, for tests/sources
from sparksession import spark  # noqa: F401 - the session's Spark, defined once for every test

from vpcp_indicators import Engine, Report
from vpcp_indicators.testing import (  # noqa: F401 - re-exported for the tests
    indicator,
    plan_text,
    toml_value,
    write_csv,
    write_jsonl,
)

# Before any test module makes an Engine (some make one as they are imported): the tally
# cache of the whole run lives in a folder of its own, never in the developer's.
CACHE_HOME = tempfile.TemporaryDirectory(prefix="vpcp-test-cache-home-")
os.environ["XDG_CACHE_HOME"] = CACHE_HOME.name

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "plans" / "vpcp-2011-2015.toml"

#: A meetings source of one online meeting, for tests about what surrounds the figures.
ONE_MEETING = (
    "meeting_id,held_on,chair,counterpart_kind,mode\nM1,2012-02-01,prime_minister,ministry,online\n"
)


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test starts with an empty user cache folder of its own (for the tally cache,
    on by default), never the developer's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files DuckDB reads (not taken from the cache), in order, as the plan names them."""
    from vpcp_indicators.backends.duckdb import run as duckdb_run

    seen: list[str] = []
    real = duckdb_run.Run._read

    def spy(self, scan, progress):
        seen.append(scan.name)
        return real(self, scan, progress)

    monkeypatch.setattr(duckdb_run.Run, "_read", spy)
    return seen


@pytest.fixture
def seed_report() -> Report:
    """The seed plan evaluated at the end of each year of the plan."""
    dates = [dt.date(year, 12, 31) for year in range(2011, 2016)]
    return Engine().evaluate(SEED_PLAN, dates)


def d(text: str) -> dt.date:
    """A date from ISO text, for brevity in tests."""
    return dt.date.fromisoformat(text)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the CLI without colour or pinned plugins from the developer's environment."""
    monkeypatch.delenv("VPCP_INDICATORS_LOAD_PLUGINS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


PYTHON = sys.executable


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with vpcp-indicators installed from this checkout, as a
    user would install it (slow: it builds and installs the package)."""
    import subprocess
    import venv

    where = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"{ROOT}[test]"],
        check=True,
        capture_output=True,
    )
    return where
