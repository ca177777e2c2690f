"""Write the README's plan-file block from the plan's key declarations (``plan/keys.py``).

    python scripts/plan_reference.py          # after changing a key: rewrite the block
    python scripts/plan_reference.py --check  # CI: fails if the block is stale

Every table and key is written in the order declared, with its example (or default) as the
value and, as a comment, whether it is required, its default, its allowed values and its
description. The block is a plan file the loader reads without a problem (a test holds it).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generated_block import main, replaced

from vpcp_indicators.plan.keys import SCALARS

if TYPE_CHECKING:
    from vpcp_indicators.plan.keys import Key, Table

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- plan-keys:start -->", "<!-- plan-keys:end -->"
#: The column the comments start at, as far as the values allow, and the width they wrap at.
COMMENT_AT = 38
WIDTH = 96


def toml(value: Any) -> str:
    """A value as TOML writes it (strings, numbers, dates, arrays and tables inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return str(int(value)) if value.denominator == 1 else repr(float(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"


def note(key: Key) -> str:
    """What a key's comment says: required or not, its default, its allowed values, and
    its description."""
    said = "required" if key.required else "optional"
    if key.at_least:
        least = "at least one" if key.at_least == 1 else f"at least {key.at_least}"
        said = f"{said}, {least}" if key.required else least
    if key.default is not None:
        said += f", default {toml(key.default)}"
    if key.choices:
        said += f", one of {', '.join(key.choices)}"
    return f"{said}. {key.description}"


def line(text: str, comment: str) -> str:
    """A line of TOML and its comment, the comment wrapped into lines of its own below."""
    start = max(COMMENT_AT, len(text) + 2)
    parts = textwrap.wrap(comment, WIDTH - start - 2) or [""]
    lines = [f"{text.ljust(start - 1)} # {parts[0]}"]
    lines += [f"{'':{COMMENT_AT - 1}} # {part}" for part in parts[1:]]
    return "\n".join(lines)


def value_of(key: Key) -> Any:
    value = key.example if key.example is not None else key.default
    if value is None:
        raise SystemExit(f"key {key.name} has neither an example nor a default: give one")
    return value


def examples_lines(header: str, key: Key, table: Table) -> list[str]:
    """An array of tables given by its example, one table per item (as a tree of units
    needs a parent declared for its child); each key described where it first appears."""
    lines: list[str] = []
    told: set[str] = set()
    for item in key.example:
        lines += ([] if not lines else [""]) + [line(header, note(key)) if not told else header]
        told.add(header)
        for k in table:
            if k.name in item:
                text = f"{k.name} = {toml(item[k.name])}"
                lines.append(text if k.name in told else line(text, note(k)))
                told.add(k.name)
    return lines


def table_lines(header: str, key: Key, table: Table) -> list[str]:
    """A table of the plan: its header, its values, then the tables inside it."""
    if key.type == "tables" and isinstance(key.example, list):
        return examples_lines(header, key, table)
    lines = [line(header, note(key))]
    inner = [k for k in table if k.type not in SCALARS]
    lines += [line(f"{k.name} = {toml(value_of(k))}", note(k)) for k in table if k not in inner]
    for k in inner:
        lines += inner_lines(header, k)
    return lines


def inner_lines(header: str, key: Key) -> list[str]:
    """A table inside a table: a sub-table, an array of tables, or a table of free keys."""
    path = header.strip("[]")
    if key.type == "files":
        return files_lines(path, key)
    if key.table is not None:
        brackets = "[[{}]]" if key.type == "tables" else "[{}]"
        return table_lines(brackets.format(f"{path}.{key.name}"), key, key.table)
    lines = [line(f"[{path}.{key.name}]", note(key))]
    for name, value in value_of(key).items():
        text = f"{name} = {toml(value)}"
        lines.append(line(text, key.each) if key.each else text)
    return lines


def files_lines(path: str, key: Key) -> list[str]:
    """A table of sources: files by name, then each source given as a table, with the
    keys it gives (its ``columns`` a table of their own)."""
    lines = [line(f"[{path}.{key.name}]", note(key))]
    given = value_of(key)
    for name, value in given.items():
        if isinstance(value, str):
            lines.append(line(f"{name} = {toml(value)}", key.each) if key.each else name)
    assert key.table is not None
    for name, value in given.items():
        if isinstance(value, str):
            continue
        lines.append(line(f"[{path}.{key.name}.{name}]", key.table.about))
        for inner in key.table:
            if inner.name in value and inner.type in SCALARS:
                lines.append(line(f"{inner.name} = {toml(value[inner.name])}", note(inner)))
        for inner in key.table:
            if inner.name in value and inner.type not in SCALARS:
                lines.append(line(f"[{path}.{key.name}.{name}.{inner.name}]", note(inner)))
                lines += [f"{k} = {toml(v)}" for k, v in value[inner.name].items()]
    return lines


def labels_lines(key: Key) -> list[str]:
    """The labels: a table of its own per column, its codes as keys."""
    lines = [line(f"[{key.name}]", note(key))]
    for column, codes in value_of(key).items():
        lines.append(f"[{key.name}.{column}]")
        lines += [f"{code} = {toml(label)}" for code, label in codes.items()]
    return lines


def reference() -> str:
    """The block's text: every table and key of a plan file."""
    sys.path.insert(0, str(ROOT / "src"))
    from vpcp_indicators.plan.keys import TOP

    lines = ["```toml"]
    for key in TOP:
        assert key.table is not None, "the top of a plan holds tables only"
        if key.type == "labels":
            lines += ["", *labels_lines(key)]
            continue
        brackets = "[[{}]]" if key.type == "tables" else "[{}]"
        lines += ["", *table_lines(brackets.format(key.name), key, key.table)]
    lines[1:2] = []  # no blank line before the first table
    return "\n".join([*lines, "```"]) + "\n"


def written(readme: str) -> str:
    """The README with its plan-file block replaced by a fresh one."""
    return replaced(readme, START, END, reference())


if __name__ == "__main__":
    main(README, written, "plan-file block")
