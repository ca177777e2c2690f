"""What ``vpcp-indicators plugins`` shows: each plugin, and each kind as its plugin declares it
(parameters with their defaults and allowed values, sources with their columns)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs

from ..i18n import Text, text_in

if TYPE_CHECKING:
    from ..kinds.kind import Column, Kind
    from ..plugins.discovery import PluginInfo
    from ..plugins.registry import Registry

__all__ = ["describe_plugins", "plugin_lines"]


def _plain(value: Any) -> Any:
    """A declared value as JSON has it: tuples as lists, dates as ISO text."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _words(value: Text) -> str | dict[str, str]:
    """A plugin's words as JSON has them: a string, or strings by language."""
    return value if isinstance(value, str) else dict(value)


def _columns(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [attrs.asdict(c) | {"description": _words(c.description)} for c in columns]


def _kind(kind: Kind) -> dict[str, Any]:
    return {
        "name": kind.name,
        "title": _words(kind.title),
        "description": _words(kind.description),
        "unit": kind.unit.name,
        "direction": kind.direction,
        "windows": list(kind.windows),
        "default_window": kind.default_window,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                # What the kind receives when the plan gives nothing.
                "default": [] if p.type == "tables" and p.default is None else _plain(p.default),
                "default_from": p.default_from,
                "required": p.required,
                "choices": _plain(p.choices),
                "nonempty": p.nonempty,
                "fields": _columns(p.fields),
                "description": _words(p.description),
            }
            for p in kind.params
        ],
        "sources": [
            {
                "name": s.name,
                "required": s.required,
                "description": _words(s.description),
                "columns": _columns(s.columns),
            }
            for s in kind.sources
        ],
    }


def describe_plugins(plugins: list[PluginInfo], registry: Registry) -> list[dict[str, Any]]:
    """Every plugin as a JSON object, its kinds described in full."""
    return [
        {**attrs.asdict(p), "kinds": [_kind(registry.plugin_kinds[p.name][k]) for k in p.kinds]}
        for p in plugins
    ]


def _column_list(columns: list[dict[str, Any]]) -> str:
    return ", ".join(
        c["name"]
        + ("" if c["type"] == "text" else f" ({c['type']})")
        + ("" if c["required"] else "?")
        for c in columns
    )


def _param_line(param: dict[str, Any]) -> str:
    if param["required"]:
        default = "required"
    elif param["default_from"]:
        default = f"default: the {param['default_from']}'s id"
    else:
        default = "default " + json.dumps(param["default"], ensure_ascii=False)
    line = f"      param {param['name']} ({param['type']}): {default}"
    if param["choices"]:
        line += ", one of " + ", ".join(str(c) for c in param["choices"])
    if param["fields"]:
        line += "; each with " + _column_list(param["fields"])
    said = text_in(param["description"], "en")
    return line + (f" - {said}" if said else "")


def plugin_lines(found: list[dict[str, Any]]) -> list[str]:
    """The plugins as lines of text for a person (a trailing ``?`` marks an optional column)."""
    lines = []
    for info in found:
        version = f" {info['version']}" if info["version"] else ""
        where = f" ({info['location']})" if info["location"] and info["origin"] != "builtin" else ""
        interface = f", interface {info['interface']}" if info["interface"] is not None else ""
        lines.append(f"{info['name']}{version}  [{info['origin']}{interface}]{where}")
        if info["error"]:
            lines.append(f"    failed: {info['error']}")
        for kind in info["kinds"]:
            lines.append(f"    kind {kind['name']}: {text_in(kind['title'], 'en')}")
            if kind["description"]:
                lines.append(f"      {text_in(kind['description'], 'en')}")
            lines.append(
                f"      windows: {', '.join(kind['windows'])} (default {kind['default_window']})"
                f"; unit: {kind['unit']}; direction: {kind['direction']}"
            )
            for source in kind["sources"]:
                optional = "" if source["required"] else " (optional)"
                columns = _column_list(source["columns"])
                lines.append(f"      source {source['name']}{optional}: {columns}")
            lines += [_param_line(param) for param in kind["params"]]
    return lines
