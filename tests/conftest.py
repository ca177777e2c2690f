"""Helpers shared by the tests: write plans and sources, run one kind on inline records."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from vpcp_indicators import Engine, IndicatorResult, Report

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "plans" / "vpcp-2011-2015.toml"


def toml_value(value: Any) -> str:
    """A Python value written as TOML (strings, numbers, booleans, dates, arrays, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def toml_table(header: str, values: Mapping[str, Any]) -> str:
    lines = [header] + [f"{k} = {toml_value(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n\n"


def plan_text(
    indicators: Sequence[Mapping[str, Any]],
    tasks: Sequence[Mapping[str, Any]] = ({"id": "T1", "title": "Task one"},),
    plan: Mapping[str, Any] | None = None,
    scoring: Mapping[str, Any] | None = None,
) -> str:
    """A plan file's text; indicators' ``sources`` and ``params`` are written inline."""
    head = {
        "id": "test-plan",
        "title": "Test plan",
        "start": dt.date(2011, 1, 1),
        "end": dt.date(2015, 12, 31),
    }
    text = toml_table("[plan]", {**head, **(plan or {})})
    if scoring:
        text += toml_table("[scoring]", scoring)
    for task in tasks:
        text += toml_table("[[tasks]]", task)
    for indicator in indicators:
        text += toml_table("[[indicators]]", indicator)
    return text


def write_csv(path: Path, rows: Sequence[Mapping[str, str]] | str) -> Path:
    """Write rows (dicts, header from the first) or raw text as a CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(rows, str):
        path.write_text(rows, encoding="utf-8")
        return path
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, records: Sequence[Mapping[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def indicator(
    kind: str,
    sources: Mapping[str, str],
    *,
    id: str = "ind",
    task: str = "T1",
    targets: Sequence[Mapping[str, Any]] = ({"by": dt.date(2015, 12, 31), "value": 1.0},),
    **extra: Any,
) -> dict[str, Any]:
    """An indicator table for :func:`plan_text`."""
    return {
        "id": id,
        "task": task,
        "kind": kind,
        "title": f"Indicator {id}",
        "targets": list(targets),
        "sources": dict(sources),
        **extra,
    }


class KindRunner:
    """Runs one kind on inline records in a temporary directory."""

    def __init__(self, directory: Path):
        self.directory = directory

    def __call__(
        self,
        kind: str,
        sources: Mapping[str, Sequence[Mapping[str, Any]] | str],
        dates: Sequence[dt.date],
        jsonl: Sequence[str] = (),
        **indicator_keys: Any,
    ) -> list[IndicatorResult]:
        """The indicator's result at each date (the kind's plugin found by entry point).

        Sources are written as CSV (rows as dicts, or raw text), as JSON Lines if named in
        ``jsonl``; other keyword arguments are keys of the indicator (params, window, ...).
        """
        files = {}
        for name, rows in sources.items():
            if name in jsonl:
                assert not isinstance(rows, str)
                files[name] = write_jsonl(self.directory / f"{name}.jsonl", rows).name
            else:
                files[name] = write_csv(self.directory / f"{name}.csv", rows).name
        plan = self.directory / "plan.toml"
        plan.write_text(plan_text([indicator(kind, files, **indicator_keys)]), "utf-8")
        report = Engine().evaluate(plan, dates)
        return [e.indicator("ind") for e in report.evaluations]


@pytest.fixture
def run_kind(tmp_path: Path) -> KindRunner:
    """Run a kind on inline records: ``run_kind(kind, {source: rows}, dates, params=...)``."""
    return KindRunner(tmp_path)


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
