"""The ``[indicators.sources]`` of a plan file: each source a file name, or a table naming a
workbook's sheet or a database's table or query, with the source's names for the kind's
columns; each key checked, and the rules between them."""

from __future__ import annotations

from typing import Any

from .checking import Checker, type_name
from .keys import Key, Table
from .locations import Path as KeyPath
from .sourceref import PASSWORD_IN_URL, has_password

__all__ = ["source_specs"]


def source_specs(check: Checker, path: KeyPath, raw: Any, key: Key) -> dict[str, Any]:
    """A table of sources by name: each a file name, or a table declared by ``key.table``
    (its keys checked, what it says returned as a dict). One that cannot be read is left
    out."""
    if not isinstance(raw, dict):
        found = type_name(raw)
        check.problem(path, "expected a table of file names, found {found}", found=found)
        return {}
    names: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str) and value.strip():
            names[name] = value
        elif isinstance(value, dict) and key.table is not None:
            spec = _source(check, (*path, name), value, key.table)
            if spec is not None:
                names[name] = spec
        else:
            found = type_name(value)
            check.problem((*path, name), "expected a file name, found {found}", found=found)
    return names


def _source(
    check: Checker, path: KeyPath, value: dict[str, Any], declared: Table
) -> dict[str, Any] | None:
    """A source given as a table: a ``path`` or a ``url`` (one of them), ``table`` or
    ``query`` (and ``timeout``) only with a ``url``, ``sheet`` only with a ``path``,
    ``columns`` a table of names."""
    check.table(path, value, declared)
    fields = check.fields(path, value, declared)
    named = ("path", "url", "sheet", "table", "query", "timeout")
    spec = {k: fields[k] for k in named if fields[k]}
    where = ("path" in spec) + ("url" in spec)
    if where != 1:
        check.problem(path, "give the source's path or its url, one of them")
        return None
    if "url" in spec and ("table" in spec) == ("query" in spec):
        check.problem(path, "give the database's table or a query, one of them")
        return None
    if "path" in spec and ("table" in spec or "query" in spec):
        check.problem(path, "a table or a query is read from a database: give its url")
        return None
    if "path" in spec and "timeout" in spec:
        check.problem((*path, "timeout"), "a timeout is for a database: give its url")
        return None
    if "url" in spec and "sheet" in spec:
        check.problem((*path, "sheet"), "a sheet is read from a workbook: give its path")
        return None
    if "url" in spec and has_password(spec["url"]):
        # Not echoed: the message names the key, never the value.
        check.problem((*path, "url"), PASSWORD_IN_URL)
        return None
    columns = check.any_table((*path, "columns"), value.get("columns", {}))
    names = {}
    for column, named in columns.items():
        if isinstance(named, str) and named.strip():
            names[column] = named
        else:
            found = type_name(named)
            at = (*path, "columns", column)
            check.problem(at, "expected a column name, found {found}", found=found)
    return spec | {"columns": names} if len(names) == len(columns) else None
