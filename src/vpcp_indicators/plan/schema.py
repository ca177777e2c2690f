"""A JSON Schema of the plan file, so that editors complete and check plans as they are typed.

Made for Taplo (VS Code's "Even Better TOML"), which checks a TOML document as JSON: a TOML
date becomes the string ``"2012-12-31"``, hence ``{"type": "string", "format": "date"}``.
Taplo validates with the Rust ``jsonschema`` crate built without drafts 2019-09 and 2020-12,
so it reads this 2020-12 schema as draft 7: only keywords that mean the same in both are
used. Taplo ignores the siblings of a ``$ref`` (the hover ``description`` too), so nothing
is a ``$ref``. Its completion follows ``properties``, ``items`` and ``allOf``, not
``if``/``then``: a kind's parameters and sources are checked, not offered.

Every table and key is made from the plan's key declarations (``keys.py``), the ones the
loader checks against; what plugins declare (kinds, their parameters and sources, the
aggregations) is added from a registry of plugins when one is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ..i18n import text_in
from ..units import UNIT_TABLE
from .keys import INDICATOR, SCORING, TOP, Key, Table

if TYPE_CHECKING:
    from ..kinds.kind import Kind, Param, Source
    from ..plugins.registry import Registry

__all__ = ["SCHEMA_ID", "plan_schema"]

#: Where the schema says it lives; ``.invalid``: it is written to a file, not served.
SCHEMA_ID = "https://vpcp-indicators.invalid/plan.schema.json"

Schema = dict[str, Any]

# Scalar values, as a parameter type or a column type names them.
_SCALARS: dict[str, Schema] = {
    "text": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


def plan_schema(registry: Registry | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan file, as a JSON-ready dict.

    Without a registry it describes what the loader checks. With one it also knows the
    plugins: ``kind`` is one of the registered kinds, each kind's ``params``, ``sources``
    and windows are checked, and ``aggregation`` is one of the registered aggregations.
    """
    kinds = sorted(registry.kinds.values(), key=lambda k: k.name) if registry else []
    aggregations = sorted(registry.aggregations) if registry else []
    top = _table(TOP, {
        "scoring": _scoring(aggregations),
        "indicators": _array(TOP["indicators"], _indicator(kinds)),
    })  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "vpcp-indicators plan",
        "description": "An IT application plan: tasks, projects, and indicators with dated "
        "targets, evaluated by vpcp-indicators.",
    } | top


def _scoring(aggregations: list[str]) -> Schema:
    """The ``[scoring]`` table; its aggregation one of the registered ones, if known."""
    key = SCORING["aggregation"]
    if aggregations:
        key = attrs.evolve(key, choices=tuple(aggregations))
    return _table(SCORING, {"aggregation": _key(key)}, TOP["scoring"].description)


def _indicator(kinds: list[Kind]) -> Schema:
    """An indicator; with kinds known, its kind one of them and the rules of each kind."""
    kind = _key(INDICATOR["kind"])
    if kinds:
        kind = _choice([k.name for k in kinds], kind["description"])
        # Taplo shows these beside each kind name it offers.
        kind["x-taplo"] = {"docs": {"enumValues": [text_in(k.title, "en") for k in kinds]}}
    schema = _table(INDICATOR, {"kind": kind}, INDICATOR.about)
    # A share whenever the indicator says so; else as its kind says (in the kind's rule).
    shares = [unit.name for unit in UNIT_TABLE if unit.share]
    share = {"if": {"properties": {"unit": _one_of(shares)}, "required": ["unit"]}}
    schema["allOf"] = [share | {"then": _share()}, *(_kind_rule(k) for k in kinds)]
    return schema


def _kind_rule(kind: Kind) -> Schema:
    """What an indicator of this kind must say: its params, sources and window."""
    params, sources = kind.params, kind.sources
    then: Schema = {
        "properties": {
            "window": {"enum": list(kind.windows)},
            "params": _object(
                {p.name: _param(p) for p in params},
                required=[p.name for p in params if getattr(p, "required", False)],
            ),
            "sources": _object(
                {s.name: _source(s) for s in sources},
                required=[s.name for s in sources if getattr(s, "required", True)],
            ),
        }
    }
    if kind.unit.share:
        # A share unless the indicator sets its own unit (unit = "ratio" is covered for all).
        then |= {"if": {"required": ["unit"]}, "else": _share()}
    when = {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]}
    return {"if": when, "then": then}


def _param(param: Param) -> Schema:
    """A parameter's value: its type, allowed values, default and description."""
    choices = {"enum": [_json(c) for c in param.choices]} if param.choices else {}
    if param.item_type is not None:
        items = _SCALARS[param.item_type] | choices
        schema: Schema = {"type": "array", "items": items}
    elif param.type == "tables":
        fields = getattr(param, "fields", ())
        record = {f.name: _SCALARS[f.type] | _about(text_in(f.description, "en")) for f in fields}
        schema = {"type": "array", "items": _object(record, [f.name for f in fields if f.required])}
    else:
        # A type added to PARAM_TYPES needs its entry in _SCALARS (or a branch above).
        schema = _SCALARS[param.type] | choices
    if param.nonempty and schema["type"] == "array":
        schema["minItems"] = 1
    description = text_in(param.description, "en") or f"Parameter {param.name} ({param.type})."
    default_from = getattr(param, "default_from", None)
    if default_from is not None:
        # The default depends on the indicator, so there is no literal to show.
        whose = "the indicator's own id" if default_from == "indicator" else "the id of its task"
        description = f"{description.rstrip('. ')}. Default: {whose}."
    elif param.default is not None:
        schema["default"] = _json(param.default)
    return schema | {"description": description}


def _source(source: Source) -> Schema:
    columns = ", ".join(
        c.name + ("" if c.type == "text" else f" ({c.type})") + ("" if c.required else "?")
        for c in source.columns
    )
    what = text_in(source.description, "en") or f"The {source.name} records"
    return _text(f"{what}. A file relative to this plan, with columns: {columns}.")


# -- from the declarations -------------------------------------------------------------------


def _table(
    declared: Table, made: Mapping[str, Schema] | None = None, description: str = ""
) -> Schema:
    """A table of the plan: each key from its declaration, unless ``made`` gives its schema.
    Unknown keys are refused, as the loader does."""
    properties = {key.name: (made or {}).get(key.name) or _key(key) for key in declared}
    required = [key.name for key in declared if key.required or key.at_least]
    return _object(properties, required, description)


def _key(key: Key) -> Schema:
    """The schema of a key, as declared."""
    if key.type == "table":
        assert key.table is not None
        return _table(key.table, description=key.description)
    if key.type == "tables":
        assert key.table is not None
        return _array(key, _table(key.table, description=key.table.about))
    if key.type == "files":
        schema = {"type": "object", "description": key.description}
        return schema | {"additionalProperties": _text(key.each)}
    if key.type == "any":
        return {"type": "object", "description": key.description}
    if key.type == "labels":
        return _labels(key)
    if key.type == "date":
        return {"type": "string", "format": "date", "description": key.description}
    if key.type in ("number", "integer"):
        return _number(key)
    if key.type == "boolean":
        return {"type": "boolean", "description": key.description} | _default(key)
    schema = _choice(key.choices, key.description) if key.choices else _text(key.description)
    return schema | _default(key)


def _labels(key: Key) -> Schema:
    """Tables of labels by code, one per column: each label a text, or texts by language."""
    assert key.table is not None
    by_language = _table(key.table, description=key.table.about) | {"minProperties": 1}
    label = {"anyOf": [_text("The label, in every language."), by_language]}
    codes = {"type": "object", "additionalProperties": label}
    return {"type": "object", "description": key.description, "additionalProperties": codes}


def _number(key: Key) -> Schema:
    limits = {"minimum": key.minimum, "maximum": key.maximum, "exclusiveMinimum": key.above}
    schema: Schema = {"type": key.type, "description": key.description}
    schema |= {name: limit for name, limit in limits.items() if limit is not None}
    return schema | _default(key)


def _default(key: Key) -> Schema:
    return {} if key.default is None else {"default": _json(key.default)}


def _array(key: Key, items: Schema) -> Schema:
    schema: Schema = {"type": "array", "description": key.description, "items": items}
    return schema | ({"minItems": key.at_least} if key.at_least else {})


# -- building blocks -------------------------------------------------------------------------


def _object(
    properties: Mapping[str, Schema], required: Iterable[str] = (), description: str = ""
) -> Schema:
    """A table that refuses unknown keys, as the loader and the engine do."""
    schema: Schema = {"type": "object"} | _about(description)
    schema |= {"properties": dict(properties), "additionalProperties": False}
    # Left out when empty: draft 4 readers refuse an empty "required".
    required = list(required)
    return schema | ({"required": required} if required else {})


def _one_of(values: Sequence[str]) -> Schema:
    return {"const": values[0]} if len(values) == 1 else {"enum": list(values)}


def _share() -> Schema:
    """Bounds of a share: the engine refuses one outside 0..1 (70% is written 0.70)."""
    fraction = {"properties": {"value": {"minimum": 0, "maximum": 1}}}
    return {"properties": {"baseline": fraction, "targets": {"items": fraction}}}


def _about(description: str) -> Schema:
    return {"description": description} if description else {}


def _text(description: str) -> Schema:
    # The loader refuses empty and blank strings.
    return {"type": "string", "minLength": 1, "pattern": r"\S", "description": description}


def _choice(values: Iterable[str], description: str) -> Schema:
    return {"type": "string", "enum": list(values), "description": description}


def _json(value: Any) -> Any:
    """A default or choice as JSON: dates as ISO text, like Taplo shows TOML dates."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    return value
