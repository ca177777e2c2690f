"""A JSON Schema of the plan file, so that editors complete and check plans as they are typed.

Made for Taplo (VS Code's "Even Better TOML"), which checks a TOML document as JSON: a TOML
date becomes the string ``"2012-12-31"``, hence ``{"type": "string", "format": "date"}``.
Taplo validates with the Rust ``jsonschema`` crate built without drafts 2019-09 and 2020-12,
so it reads this 2020-12 schema as draft 7: only keywords that mean the same in both are
used. Taplo ignores the siblings of a ``$ref`` (the hover ``description`` too), so nothing
is a ``$ref``. Its completion follows ``properties``, ``items`` and ``allOf``, not
``if``/``then``: a kind's parameters and sources are checked, not offered.

The key sets are the loader's own: a key added there without a description here makes
:func:`plan_schema` raise, and the tests fail, rather than the schema drifting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..i18n import LANGUAGES
from ..units import UNIT_TABLE, UNITS, is_share
from ..windows import WINDOWS
from . import reading as loader
from .model import DIRECTIONS, Scoring

if TYPE_CHECKING:
    from ..kinds.kind import Kind, Param, Source
    from ..plugins.registry import Registry

__all__ = ["SCHEMA_ID", "plan_schema"]

#: Where the schema says it lives; ``.invalid``: it is written to a file, not served.
SCHEMA_ID = "https://vpcp-indicators.invalid/plan.schema.json"

Schema = dict[str, Any]

# The loader writes these two key sets inline; the tests hold them to what it accepts.
_BASELINE_KEYS = frozenset({"on", "value"})
_TARGET_KEYS = frozenset({"by", "value"})

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
    top = {
        "plan": _plan(),
        "scoring": _scoring(sorted(registry.aggregations) if registry else []),
        "tasks": _array(_task(), "The tasks of the plan ([[tasks]]), at least one.", 1),
        "indicators": _array(_indicator(kinds), "The indicators ([[indicators]])."),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "vpcp-indicators plan",
        "description": "An IT application plan: tasks, projects, and indicators with dated "
        "targets, evaluated by vpcp-indicators.",
    } | _table(top, ["plan", "tasks"], keys=loader._TOP_KEYS)


def _plan() -> Schema:
    keys = {
        "id": _text("Short identifier of the plan, such as vpcp-2011-2015."),
        "title": _text("Full title of the plan, shown at the top of every report."),
        "decision": _text("The decision that adopted the plan, such as 1935/QĐ-VPCP."),
        "description": _text("What the plan is for, in a sentence or two."),
        "start": _date("First day of the plan period: a TOML date, unquoted (2011-01-01)."),
        "end": _date("Last day of the plan period (not before start), unquoted."),
        "plugins_dir": _text("Directory of *.py plugin files, relative to this file."),
        "language": _choice(LANGUAGES, "Language of the plan's reports: vi or en."),
    }
    about = "The plan: what it is, its period, and the language of its reports."
    return _table(keys, ["id", "title", "start", "end"], about, loader._PLAN_KEYS)


def _scoring(aggregations: list[str]) -> Schema:
    defaults = Scoring()
    how = "How task and plan scores are combined from the scores of their parts."
    at_risk = "Score (0 to 100) from which a late indicator, task or plan is at risk."
    keys = {
        "at_risk": _number(at_risk, minimum=0, maximum=100, default=defaults.at_risk),
        "aggregation": (_choice(aggregations, how) if aggregations else _text(how))
        | {"default": defaults.aggregation},
    }
    about = "How scores become statuses and combine; every key has a default."
    return _table(keys, (), about, loader._SCORING_KEYS)


def _task() -> Schema:
    project = {
        "id": _text("Identifier of the project, unique within its task (NV1-DA1)."),
        "title": _text("Title of the project."),
        "lead": _text("The lead unit (đơn vị chủ trì) of the project."),
        "description": _text("What the project does."),
    }
    keys = {
        "id": _text("Identifier of the task, unique in the plan (NV1)."),
        "title": _text("Title of the task."),
        "weight": _weight("the task in the plan's score"),
        "description": _text("What the task covers."),
        "projects": _array(
            _table(project, ["id", "title"], "A project of the task.", loader._PROJECT_KEYS),
            "The projects of the task ([[tasks.projects]]).",
        ),
    }
    return _table(keys, ["id", "title"], "A task (nhiệm vụ) of the plan.", loader._TASK_KEYS)


def _indicator(kinds: list[Kind]) -> Schema:
    point = "a fraction from 0 to 1 for a share (70% is 0.70)"
    baseline = _table(
        {
            "on": _date("Date of the baseline; default: the plan's start."),
            "value": _number(f"Value on that date, {point}.", default=0),
        },
        description="Where it starts; default: 0 at the plan's start.",
        keys=_BASELINE_KEYS,
    )
    target = _table(
        {
            "by": _date("Date it is due: in the plan period, after the previous target's."),
            "value": _number(f"Value due by that date, {point}."),
        },
        ["by", "value"],
        "A milestone: a value due by a date.",
        _TARGET_KEYS,
    )
    kind = _text("The kind of indicator (what is counted), provided by a plugin.")
    if kinds:
        kind = _choice([k.name for k in kinds], kind["description"])
        # Taplo shows these beside each kind name it offers.
        kind["x-taplo"] = {"docs": {"enumValues": [k.title for k in kinds]}}
    keys = {
        "id": _text("Identifier of the indicator, unique in the plan (e-documents)."),
        "task": _text("The id of the task this indicator belongs to."),
        "kind": kind,
        "title": _text("Title of the indicator, shown in reports."),
        "description": _text("What the indicator measures."),
        "weight": _weight("the indicator in its task's score"),
        "direction": _choice(DIRECTIONS, "Whether more (up) or less (down) is better.")
        | {"default": DIRECTIONS[0]},
        "baseline": baseline,
        "targets": _array(target, "The milestones, in date order, at least one.", 1),
        "window": _choice(WINDOWS, "The period counted at each date; default: the kind's."),
        "sources": {
            "type": "object",
            "description": "The files of records the kind reads, by source name.",
            "additionalProperties": _text("A file of records, relative to this file."),
        },
        "params": {"type": "object", "description": "The kind's parameters."},
        "unit": _choice(UNITS, "A share (ratio, 0 to 1) or a number; default: the kind's."),
    }
    required = ["id", "task", "kind", "title", "targets"]
    about = "An indicator: a figure a kind computes from records, with dated targets."
    schema = _table(keys, required, about, loader._INDICATOR_KEYS)
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
            "params": _table(
                {p.name: _param(p) for p in params},
                required=[p.name for p in params if getattr(p, "required", False)],
            ),
            "sources": _table(
                {s.name: _source(s) for s in sources},
                required=[s.name for s in sources if getattr(s, "required", True)],
            ),
        }
    }
    if is_share(kind.unit):
        # A share unless the indicator sets its own unit (unit = "ratio" is covered for all).
        then |= {"if": {"required": ["unit"]}, "else": _share()}
    when = {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]}
    return {"if": when, "then": then}


def _param(param: Param) -> Schema:
    """A parameter's value: its type, allowed values, default and description."""
    choices = {"enum": [_json(c) for c in param.choices]} if param.choices else {}
    if param.type == "texts":
        schema: Schema = {"type": "array", "items": {"type": "string"} | choices}
    elif param.type == "tables":
        fields = getattr(param, "fields", ())
        record = {f.name: _SCALARS[f.type] | _about(getattr(f, "description", "")) for f in fields}
        schema = {"type": "array", "items": _table(record, [f.name for f in fields if f.required])}
    else:
        # A type added to PARAM_TYPES needs its entry in _SCALARS (or a branch above).
        schema = _SCALARS[param.type] | choices
    if param.nonempty and schema["type"] == "array":
        schema["minItems"] = 1
    description = param.description or f"Parameter {param.name} ({param.type})."
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
    what = source.description or f"The {source.name} records"
    return _text(f"{what}. A file relative to this plan, with columns: {columns}.")


# -- building blocks -------------------------------------------------------------------------


def _table(
    properties: Mapping[str, Schema],
    required: Iterable[str] = (),
    description: str = "",
    keys: Collection[str] | None = None,
) -> Schema:
    """A table that refuses unknown keys, as the loader and the engine do. ``keys``, the
    loader's key set, must be exactly the keys described."""
    if keys is not None and set(keys) != set(properties):
        raise RuntimeError(f"plan schema out of step with the loader: {sorted(keys)}")
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


def _array(items: Schema, description: str, min_items: int = 0) -> Schema:
    schema: Schema = {"type": "array", "description": description, "items": items}
    return schema | ({"minItems": min_items} if min_items else {})


def _text(description: str) -> Schema:
    # The loader refuses empty and blank strings.
    return {"type": "string", "minLength": 1, "pattern": r"\S", "description": description}


def _date(description: str) -> Schema:
    return {"type": "string", "format": "date", "description": description}


def _choice(values: Iterable[str], description: str) -> Schema:
    return {"type": "string", "enum": list(values), "description": description}


def _number(description: str, **limits: Any) -> Schema:
    return {"type": "number", "description": description} | {k: _json(v) for k, v in limits.items()}


def _weight(what: str) -> Schema:
    return _number(f"Weight of {what}; greater than 0.", exclusiveMinimum=0, default=1)


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
