"""Writing a plan and its source files from Python values, for tests: the plain functions
of the testing kit, which need neither pytest nor the engine."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "PLAN",
    "Day",
    "Rows",
    "indicator",
    "plan_text",
    "toml_value",
    "write_csv",
    "write_jsonl",
]

#: Rows of a source: dicts (the header is the first row's keys), or the file's raw text.
Rows = Sequence[Mapping[str, Any]] | str

#: A date as a ``datetime.date`` or as ISO text.
Day = dt.date | str


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
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _key(key: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _table(header: str, values: Mapping[str, Any]) -> str:
    lines = [header] + [f"{_key(key)} = {toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n\n"


#: The plan :func:`plan_text` writes unless told otherwise (``run_kind`` evaluates in it).
PLAN = {
    "id": "test-plan",
    "title": "Test plan",
    "start": dt.date(2011, 1, 1),
    "end": dt.date(2015, 12, 31),
}


def _date(value: Day) -> dt.date:
    """A date given as a ``datetime.date`` or as ISO text: the helpers take either."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _dated(values: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: _date(v) if k in keys and isinstance(v, str) else v for k, v in values.items()}


def plan_text(
    indicators: Sequence[Mapping[str, Any]],
    tasks: Sequence[Mapping[str, Any]] = ({"id": "T1", "title": "Task one"},),
    plan: Mapping[str, Any] | None = None,
    scoring: Mapping[str, Any] | None = None,
    labels: Mapping[str, Mapping[str, Any]] | None = None,
    units: Sequence[Mapping[str, Any]] = (),
) -> str:
    """A plan file's text: :data:`PLAN` (from 2011 to 2015; ``plan`` overrides its keys), the
    tasks and the indicators given as dicts (their ``sources`` and ``params`` written
    inline), then the ``labels`` by column and code, then the ``units`` of the organisation
    (each a dict of ``id``, ``title`` and, below the top, ``parent``). The plan's dates,
    targets' ``by`` and a baseline's ``on`` may be given as ISO text; inside ``params``, a date is a
    ``datetime.date`` (the helpers cannot know which of a kind's texts are dates)."""
    text = _table("[plan]", _dated({**PLAN, **(plan or {})}, ("start", "end")))
    if scoring:
        text += _table("[scoring]", scoring)
    for task in tasks:
        text += _table("[[tasks]]", task)
    for item in indicators:
        text += _table("[[indicators]]", item)
    for column, codes in (labels or {}).items():
        text += _table(f"[labels.{_key(column)}]", codes)
    for unit in units:
        text += _table("[[units]]", unit)
    return text


def indicator(
    kind: str,
    sources: Mapping[str, str],
    *,
    id: str = "ind",
    task: str = "T1",
    targets: Sequence[Mapping[str, Any]] = ({"by": dt.date(2015, 12, 31), "value": 1.0},),
    **keys: Any,
) -> dict[str, Any]:
    """An indicator for :func:`plan_text`: a kind, its source files, and any other key of an
    indicator (``params``, ``window``, ``baseline``, ...). By default it is ``ind`` of task
    ``T1``, with one target of 1.0 at the end of 2015. Target and baseline dates may be
    ISO text."""
    if "baseline" in keys:
        keys["baseline"] = _dated(keys["baseline"], ("on",))
    return {
        "id": id,
        "task": task,
        "kind": kind,
        "title": f"Indicator {id}",
        "targets": [_dated(target, ("by",)) for target in targets],
        "sources": dict(sources),
        **keys,
    }


def write_csv(path: Path, rows: Rows) -> Path:
    """Write rows (dicts; the header from the first) or raw text as a UTF-8 CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(rows, str):
        path.write_text(rows, encoding="utf-8")
        return path
    if not rows:
        raise ValueError(f"{path.name}: no rows, so no header: give the raw text instead")
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, records: Sequence[Mapping[str, Any]]) -> Path:
    """Write records as a JSON Lines file, one object per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
    path.write_text(lines, encoding="utf-8")
    return path
