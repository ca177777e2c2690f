"""The plan's JSON Schema, held in step with the loader and the engine.

Editors (Taplo) check a plan against the schema, the engine against its own rules: a plan the
engine refuses for its shape should be marked in the editor, and a plan it accepts must not
be. Taplo validates the schema as draft 7 (its ``jsonschema`` crate lacks 2020-12), so every
check runs under both drafts.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from conftest import ROOT, SEED_PLAN, toml_value
from hypothesis import given, settings
from hypothesis import strategies as st

import vpcp_indicators.plan.reading as loader
from vpcp_indicators import Engine, kinds
from vpcp_indicators.kinds.kind import PARAM_TYPES, Column, Kind, Param, Source
from vpcp_indicators.measurement import Measurement
from vpcp_indicators.plan import keys
from vpcp_indicators.plan.schema import plan_schema
from vpcp_indicators.plugins.registry import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DRAFTS = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]
DATA = ROOT / "plans" / "data"


@functools.cache
def seed_registry() -> Registry:
    return Engine().registry


@functools.cache
def validator(draft: type[Any], with_registry: bool) -> Any:
    schema = plan_schema(seed_registry() if with_registry else None)
    draft.check_schema(schema)
    return draft(schema, format_checker=draft.FORMAT_CHECKER)


def as_taplo(value: Any) -> Any:
    """Parsed TOML as Taplo hands it to a JSON Schema: dates and times as ISO text."""
    if isinstance(value, dict):
        return {k: as_taplo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_taplo(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def schema_errors(data: dict[str, Any], draft: type[Any], with_registry: bool = False) -> list[Any]:
    return list(validator(draft, with_registry).iter_errors(as_taplo(data)))


def error_paths(errors: Sequence[Any]) -> list[list[str | int]]:
    return [list(e.absolute_path) for e in errors]


def toml_text(data: dict[str, Any]) -> str:
    """A plan as TOML: top-level values, then its tables and arrays of tables."""
    lines = []
    tables = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables += [f"[{key}]", *(f"{k} = {toml_value(v)}" for k, v in value.items())]
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                tables += [f"[[{key}]]", *(f"{k} = {toml_value(v)}" for k, v in item.items())]
        else:
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines + tables) + "\n"


def good_plan() -> dict[str, Any]:
    """A sound plan with every table the loader knows, sources in the seed plan's data."""
    return {
        "plan": {
            "id": "p",
            "title": "A plan",
            "start": dt.date(2011, 1, 1),
            "end": dt.date(2015, 12, 31),
        },
        "scoring": {"at_risk": 75},
        "tasks": [{"id": "T1", "title": "Task", "projects": [{"id": "T1-P1", "title": "Project"}]}],
        "indicators": [
            {
                "id": "docs",
                "task": "T1",
                "kind": "e_document_dispatch",
                "title": "Documents",
                "baseline": {"on": dt.date(2011, 1, 1), "value": 0.1},
                "targets": [{"by": dt.date(2015, 12, 31), "value": 1.0}],
                "sources": {"documents": str(DATA / "documents.csv")},
            }
        ],
        "labels": {
            "issuer": {
                "government": "Chính phủ",
                "prime_minister": {"vi": "Thủ tướng Chính phủ", "en": "Prime Minister"},
            }
        },
    }


DELETE = object()


def changed(path: tuple[str | int, ...], value: Any = DELETE) -> dict[str, Any]:
    """The good plan with the value at ``path`` replaced (or deleted); tables made as needed."""
    data = good_plan()
    where: Any = data
    for part in path[:-1]:
        where = where.setdefault(part, {}) if isinstance(part, str) else where[part]
    if value is DELETE:
        del where[path[-1]]
    else:
        where[path[-1]] = value
    return data


def loader_problems(tmp_path: Path, data: dict[str, Any]) -> list[Any]:
    plan = tmp_path / "plan.toml"
    plan.write_text(toml_text(data), encoding="utf-8")
    return loader.read_plan(plan)[1]


def engine_problem_keys(tmp_path: Path, data: dict[str, Any]) -> list[str | None]:
    plan = tmp_path / "plan.toml"
    plan.write_text(toml_text(data), encoding="utf-8")
    return [p.key for p in Engine().validate(plan)]


# -- the key sets -----------------------------------------------------------------------------

TASKS = ("properties", "tasks", "items")
INDICATORS = ("properties", "indicators", "items")

#: Each of the loader's tables: where its schema is, and where a plan writes it.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str | int, ...]]] = {
    "top": ((), ()),
    "plan": (("properties", "plan"), ("plan",)),
    "scoring": (("properties", "scoring"), ("scoring",)),
    "tasks": (TASKS, ("tasks", 0)),
    "projects": ((*TASKS, "properties", "projects", "items"), ("tasks", 0, "projects", 0)),
    "indicators": (INDICATORS, ("indicators", 0)),
    "baseline": ((*INDICATORS, "properties", "baseline"), ("indicators", 0, "baseline")),
    "targets": ((*INDICATORS, "properties", "targets", "items"), ("indicators", 0, "targets", 0)),
    "label": (
        ("properties", "labels", "additionalProperties", "additionalProperties", "anyOf", 1),
        ("labels", "issuer", "prime_minister"),
    ),
}

#: Each table's key declarations, which the loader checks against.
CONSTANTS = {
    "top": keys.TOP,
    "plan": keys.PLAN,
    "scoring": keys.SCORING,
    "tasks": keys.TASK,
    "projects": keys.PROJECT,
    "indicators": keys.INDICATOR,
    "baseline": keys.BASELINE,
    "targets": keys.TARGET,
    "label": keys.LABEL,
}


def schema_at(path: tuple[str, ...]) -> Any:
    node: Any = plan_schema()
    for part in path:
        node = node[part]
    return node


@pytest.mark.parametrize("table", sorted(CONSTANTS))
def test_each_table_has_the_declared_keys_in_order(table: str) -> None:
    node = schema_at(TABLES[table][0])
    declared = CONSTANTS[table]
    assert list(node["properties"]) == [key.name for key in declared]
    assert node["additionalProperties"] is False
    for key in declared:
        assert node["properties"][key.name]["description"] == key.description
        assert ("default" in node["properties"][key.name]) == (key.default is not None)
    required = [k.name for k in declared if k.required or k.at_least]
    assert node.get("required", []) == required


@pytest.mark.parametrize("table", sorted(TABLES))
def test_each_table_allows_what_the_loader_allows(table: str, tmp_path: Path) -> None:
    # The loader names the keys it allows when it refuses one.
    problems = loader_problems(tmp_path, changed((*TABLES[table][1], "surplus"), 1))
    unknown = [p for p in problems if p.text.template == "unknown key (allowed: {allowed})"]
    assert len(unknown) == 1
    allowed = set(unknown[0].text.args["allowed"].split(", "))
    assert set(schema_at(TABLES[table][0])["properties"]) == allowed


def undescribed(node: Any, path: str = "") -> list[str]:
    """Properties without a description (hover text), outside the rules of allOf."""
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                found.append(f"{path}.{name}")
        for key, sub in node.items():
            if key != "allOf":
                found += undescribed(sub, f"{path}/{key}")
    return found


def test_every_property_has_a_description() -> None:
    schema = plan_schema(seed_registry())
    assert undescribed(schema) == []
    for rule in schema["properties"]["indicators"]["items"]["allOf"][1:]:
        for table in ("params", "sources"):
            described = rule["then"]["properties"][table]["properties"].values()
            assert all(p["description"] for p in described)


def test_the_schema_names_itself() -> None:
    schema = plan_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://vpcp-indicators.invalid/plan.schema.json"
    assert schema["title"] and schema["description"]


# -- plans that are sound ---------------------------------------------------------------------


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("with_registry", [False, True])
@pytest.mark.parametrize("plan", [SEED_PLAN, ROOT / "tests" / "plans" / "one.toml"])
def test_shipped_plans_validate(plan: Path, with_registry: bool, draft: type[Any]) -> None:
    data = tomllib.loads(plan.read_text(encoding="utf-8"))
    assert schema_errors(data, draft, with_registry) == []


@pytest.mark.parametrize("draft", DRAFTS)
def test_the_good_plan_is_good(draft: type[Any], tmp_path: Path) -> None:
    # Else every refusal below would prove nothing.
    assert engine_problem_keys(tmp_path, good_plan()) == []
    assert schema_errors(good_plan(), draft, with_registry=True) == []


def test_a_schema_directive_is_a_comment_to_the_loader(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("#:schema ./plan.schema.json\n" + toml_text(good_plan()), encoding="utf-8")
    assert loader.read_plan(plan)[1] == []


# -- plans the loader refuses, for their shape ------------------------------------------------

TASK, IND, LABEL = ("tasks", 0), ("indicators", 0), ("labels", "issuer")
#: (what is changed, its new value or DELETE, where the schema must see the mistake)
REFUSED: dict[str, tuple[tuple[str | int, ...], Any, tuple[str | int, ...]]] = {
    "unknown top-level key": (("extra",), 1, ()),
    "unknown key in plan": (("plan", "owner"), "me", ("plan",)),
    "unknown key in scoring": (("scoring", "threshold"), 50, ("scoring",)),
    "unknown key in a task": ((*TASK, "lead"), "me", TASK),
    "unknown key in a project": ((*TASK, "projects", 0, "weight"), 2, (*TASK, "projects", 0)),
    "unknown key in an indicator": ((*IND, "target"), 1, IND),
    "unknown key in a baseline": (
        (*IND, "baseline", "by"),
        dt.date(2011, 1, 1),
        (*IND, "baseline"),
    ),
    "unknown key in a target": (
        (*IND, "targets", 0, "on"),
        dt.date(2012, 1, 1),
        (*IND, "targets", 0),
    ),
    "no [plan]": (("plan",), DELETE, ()),
    "no plan id": (("plan", "id"), DELETE, ("plan",)),
    "no plan start": (("plan", "start"), DELETE, ("plan",)),
    "no tasks": (("tasks",), DELETE, ()),
    "empty tasks": (("tasks",), [], ("tasks",)),
    "no task title": ((*TASK, "title"), DELETE, TASK),
    "no project id": ((*TASK, "projects", 0, "id"), DELETE, (*TASK, "projects", 0)),
    "no indicator kind": ((*IND, "kind"), DELETE, IND),
    "no targets": ((*IND, "targets"), DELETE, IND),
    "empty targets": ((*IND, "targets"), [], (*IND, "targets")),
    "no target date": ((*IND, "targets", 0, "by"), DELETE, (*IND, "targets", 0)),
    "plan title a number": (("plan", "title"), 1, ("plan", "title")),
    "blank plan title": (("plan", "title"), "  ", ("plan", "title")),
    "empty indicator id": ((*IND, "id"), "", (*IND, "id")),
    "start a date-time": (("plan", "start"), dt.datetime(2011, 1, 1, 8), ("plan", "start")),
    "end a number": (("plan", "end"), 2015, ("plan", "end")),
    "plan a string": (("plan",), "p", ("plan",)),
    "tasks a table": (("tasks",), {"id": "T1"}, ("tasks",)),
    "projects a string": ((*TASK, "projects"), "P1", (*TASK, "projects")),
    "task weight a string": ((*TASK, "weight"), "1", (*TASK, "weight")),
    "negative task weight": ((*TASK, "weight"), -1, (*TASK, "weight")),
    "zero indicator weight": ((*IND, "weight"), 0, (*IND, "weight")),
    "at_risk above 100": (("scoring", "at_risk"), 120, ("scoring", "at_risk")),
    "at_risk below 0": (("scoring", "at_risk"), -1, ("scoring", "at_risk")),
    "at_risk a string": (("scoring", "at_risk"), "80", ("scoring", "at_risk")),
    "aggregation a number": (("scoring", "aggregation"), 1, ("scoring", "aggregation")),
    "bad direction": ((*IND, "direction"), "sideways", (*IND, "direction")),
    "bad window": ((*IND, "window"), "week", (*IND, "window")),
    "bad unit": ((*IND, "unit"), "percent", (*IND, "unit")),
    "bad language": (("plan", "language"), "fr", ("plan", "language")),
    "baseline a number": ((*IND, "baseline"), 0, (*IND, "baseline")),
    "baseline value a string": ((*IND, "baseline", "value"), "0", (*IND, "baseline", "value")),
    "target value a boolean": ((*IND, "targets", 0, "value"), True, (*IND, "targets", 0, "value")),
    "sources a string": ((*IND, "sources"), "documents.csv", (*IND, "sources")),
    "a source not a file name": ((*IND, "sources", "documents"), 1, (*IND, "sources", "documents")),
    "params a list": ((*IND, "params"), ["government"], (*IND, "params")),
    "labels a string": (("labels",), "issuer", ("labels",)),
    "a column's labels a string": (("labels", "issuer"), "PM", ("labels", "issuer")),
    "a label a number": ((*LABEL, "government"), 1, (*LABEL, "government")),
    "a blank label": ((*LABEL, "government"), " ", (*LABEL, "government")),
    "a label in no language": ((*LABEL, "prime_minister"), {}, (*LABEL, "prime_minister")),
    "a label in an unknown language": (
        (*LABEL, "prime_minister", "fr"),
        "Premier ministre",
        (*LABEL, "prime_minister"),
    ),
    "a blank label in a language": (
        (*LABEL, "prime_minister", "en"),
        "",
        (*LABEL, "prime_minister"),
    ),
}


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_the_loader_refuses_the_schema_refuses(
    case: str, draft: type[Any], tmp_path: Path
) -> None:
    path, value, seen_at = REFUSED[case]
    data = changed(path, value)
    assert loader_problems(tmp_path, data)
    assert list(seen_at) in error_paths(schema_errors(data, draft))


def test_a_quoted_date_is_beyond_the_schema(tmp_path: Path) -> None:
    # Taplo hands the schema a TOML date as a string, so "2011-01-01" and 2011-01-01 look
    # the same to it; only the loader can refuse the quoted one (docs/schema-editors.md).
    data = changed(("plan", "start"), "2011-01-01")
    assert loader_problems(tmp_path, data)
    assert schema_errors(data, jsonschema.Draft202012Validator) == []


# -- with the plugins: kinds, their params, sources and windows -------------------------------

#: (what is changed, its new value, where the schema must see it, the engine's problem key)
REFUSED_BY_KIND: dict[str, tuple[tuple[str | int, ...], Any, tuple[str | int, ...], str]] = {
    "unknown kind": ((*IND, "kind"), "e_docs", (*IND, "kind"), "indicators[0].kind"),
    "unknown parameter": (
        (*IND, "params", "issuer"),
        ["government"],
        (*IND, "params"),
        "indicators[0].params.issuer",
    ),
    "parameter of the wrong type": (
        (*IND, "params", "issuers"),
        "government",
        (*IND, "params", "issuers"),
        "indicators[0].params.issuers",
    ),
    "empty parameter that must not be": (
        (*IND, "params", "electronic_channels"),
        [],
        (*IND, "params", "electronic_channels"),
        "indicators[0].params.electronic_channels",
    ),
    "unknown source": (
        (*IND, "sources", "documents_2"),
        str(DATA / "documents.csv"),
        (*IND, "sources"),
        "indicators[0].sources.documents_2",
    ),
    "missing source": (
        (*IND, "sources", "documents"),
        DELETE,
        (*IND, "sources"),
        "indicators[0].sources",
    ),
    "window the kind lacks": ((*IND, "window"), "point", (*IND, "window"), "indicators[0].window"),
    "a share written as a percentage": (
        (*IND, "targets", 0, "value"),
        70,
        (*IND, "targets", 0, "value"),
        "indicators[0].targets[0].value",
    ),
    "unknown aggregation": (
        ("scoring", "aggregation"),
        "median",
        ("scoring", "aggregation"),
        "scoring.aggregation",
    ),
}


def test_kind_is_one_of_the_registered_kinds() -> None:
    kind = plan_schema(seed_registry())["properties"]["indicators"]["items"]["properties"]["kind"]
    assert {
        "e_document_dispatch",
        "digital_signature_issuance",
        "online_meeting_coverage",
        "training_completion",
    } <= set(kind["enum"])
    assert "enum" not in plan_schema()["properties"]["indicators"]["items"]["properties"]["kind"]


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("case", sorted(REFUSED_BY_KIND))
def test_what_the_engine_refuses_the_schema_refuses(
    case: str, draft: type[Any], tmp_path: Path
) -> None:
    path, value, seen_at, key = REFUSED_BY_KIND[case]
    data = changed(path, value)
    assert key in engine_problem_keys(tmp_path, data)
    assert list(seen_at) in error_paths(schema_errors(data, draft, with_registry=True))
    # Only the plugins know these.
    assert schema_errors(data, draft) == []


@pytest.mark.parametrize("draft", DRAFTS)
def test_a_wrong_choice_is_refused(draft: type[Any], tmp_path: Path) -> None:
    data = good_plan()
    data["indicators"][0] = {
        "id": "signatures",
        "task": "T1",
        "kind": "digital_signature_issuance",
        "title": "Signatures",
        "targets": [{"by": dt.date(2011, 12, 31), "value": 1.0}],
        "sources": {"staff": str(DATA / "staff.csv")},
        "params": {"require": ["signature", "fax"]},
    }
    assert "indicators[0].params.require" in engine_problem_keys(tmp_path, data)
    errors = schema_errors(data, draft, with_registry=True)
    assert ["indicators", 0, "params", "require", 1] in error_paths(errors)
    data["indicators"][0]["params"]["require"] = ["email"]
    assert engine_problem_keys(tmp_path, data) == []
    assert schema_errors(data, draft, with_registry=True) == []


@pytest.mark.parametrize("draft", DRAFTS)
def test_a_number_unit_lifts_the_bounds_of_a_share(draft: type[Any]) -> None:
    data = changed((*IND, "targets", 0, "value"), 70)
    data["indicators"][0]["unit"] = "number"
    assert schema_errors(data, draft, with_registry=True) == []
    data["indicators"][0]["kind"] = "anything"  # unit = "ratio" bounds without plugins too
    data["indicators"][0]["unit"] = "ratio"
    assert [*IND, "targets", 0, "value"] in error_paths(schema_errors(data, draft))


# -- every parameter type, against a kind's own check -----------------------------------------

#: Param.default_from and Param.required came with the kinds that report values.
NEWER_PARAMS = {"default_from", "required"} <= set(attrs.fields_dict(Param))
FIELDS = [Column("name"), Column("on", type="date", required=False)]
if "number" in getattr(kinds, "COLUMN_TYPES", ()):
    FIELDS.append(Column("amount", type="number", required=False))


def probe_param(type_: str) -> Param:
    return Param(f"p_{type_}", type_, **({"fields": FIELDS} if type_ == "tables" else {}))


def probe_registry() -> Registry:
    """A registry with one kind that has a parameter of every type and an optional source."""
    params = [probe_param(t) for t in PARAM_TYPES]
    optional: dict[str, Any] = {}
    if NEWER_PARAMS:
        params += [
            Param("label", "text", default_from="indicator"),
            Param("must", "text", required=True),
        ]
    if "required" in attrs.fields_dict(Source):
        optional["required"] = False
    kind = Kind(
        name="probe",
        title="Probe",
        sources=[Source("records", [Column("x")]), Source("extra", [Column("y")], **optional)],
        compute=lambda records, window, params: Measurement(value=0),
        params=params,
        unit="number",
    )
    return Registry(kinds={"probe": kind})


@functools.cache
def probe_validator(draft: type[Any]) -> Any:
    schema = plan_schema(probe_registry())
    draft.check_schema(schema)
    return draft(schema, format_checker=draft.FORMAT_CHECKER)


def probe_plan(params: dict[str, Any], sources: Sequence[str] = ("records",)) -> dict[str, Any]:
    data = good_plan()
    data["indicators"][0] |= {
        "kind": "probe",
        "sources": {name: f"{name}.csv" for name in sources},
        "params": {"must": "x", **params} if NEWER_PARAMS else params,
    }
    return data


def probe_errors(data: dict[str, Any], draft: type[Any]) -> list[Any]:
    return list(probe_validator(draft).iter_errors(as_taplo(data)))


#: Hand-picked values of each parameter type: (what a kind accepts, what it refuses).
EXAMPLES: dict[str, tuple[list[Any], list[Any]]] = {
    "text": (["", "a b"], [1, True, ["a"]]),
    "texts": ([[], ["a", "b"]], ["a", [1], [True], [["a"]]]),
    "number": ([0, -2.5, 2**62], ["1", True, [1]]),
    "integer": ([0, -3, 2**62], [1.5, "1", True]),
    "integers": ([[], [3, 4]], [3, [3.5], [True], ["3"], [[3]]]),
    "numbers": ([[], [3, 0.5, -2]], [0.5, ["0.5"], [True], [[1]]]),
    "boolean": ([True, False], [1, "true"]),
    "date": ([dt.date(2012, 2, 29)], [20120229, dt.datetime(2012, 2, 29, 8), ["x"]]),
    "tables": (
        [[], [{"name": "a"}, {"name": "b", "on": dt.date(2012, 1, 1)}]],
        [
            [{"on": dt.date(2012, 1, 1)}],
            [{"name": "a", "other": 1}],
            [{"name": 1}],
            [{"name": "a", "on": "soon"}],
            {"name": "a"},
            ["a"],
        ],
    ),
}


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("type_", PARAM_TYPES)
def test_each_parameter_type_is_checked_as_its_kind_checks_it(type_: str, draft: type[Any]) -> None:
    param = probe_param(type_)
    accepted, refused = EXAMPLES[type_]
    for value in accepted:
        assert param.check(value) is None
        assert probe_errors(probe_plan({param.name: value}), draft) == [], value
    for value in refused:
        assert param.check(value) is not None
        assert probe_errors(probe_plan({param.name: value}), draft), value


# Mostly with a fraction: JSON cannot tell the float 2.0 from the integer 2.
FLOATS = st.floats(-1e6, 1e6) | st.floats(allow_nan=False, allow_infinity=False)
OPTIONAL_FIELDS = {"on": st.dates(), "amount": st.integers() | FLOATS}

#: For each parameter type, values a kind accepts: a type added to PARAM_TYPES needs one.
GOOD = {
    "text": st.text(),
    "texts": st.lists(st.text()),
    "number": st.integers() | FLOATS,
    "integer": st.integers(),
    "integers": st.lists(st.integers()),
    "numbers": st.lists(st.integers() | FLOATS),
    "boolean": st.booleans(),
    "date": st.dates(),
    "tables": st.lists(
        st.fixed_dictionaries(
            {"name": st.text()}, optional={f.name: OPTIONAL_FIELDS[f.name] for f in FIELDS[1:]}
        )
    ),
}
SCALARS = st.text(max_size=5) | st.integers() | FLOATS | st.booleans() | st.dates() | st.datetimes()
KEYS = st.sampled_from(["name", "on", "amount", "other"])
ANY = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
) | st.lists(st.dictionaries(KEYS, SCALARS, max_size=3), max_size=3)


def blurred(value: Any) -> bool:
    """Whether the value holds what JSON cannot tell apart: a TOML date from a string that
    spells one (Taplo writes dates as strings), an integral float from an integer."""
    if isinstance(value, dict):
        return any(blurred(v) for v in value.values())
    if isinstance(value, list):
        return any(blurred(v) for v in value)
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, str):
        return re.match(r"\d{4}-\d{2}-\d{2}", value) is not None
    return isinstance(value, dt.date | dt.time)


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("type_", PARAM_TYPES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_schema_judges_a_parameter_as_its_kind_does(
    type_: str, draft: type[Any], data: st.DataObject
) -> None:
    param = probe_param(type_)
    value = data.draw(GOOD[type_] | ANY)
    refused = probe_errors(probe_plan({param.name: value}), draft)
    if param.check(value) is None:
        # Never a false alarm in the editor.
        assert refused == []
    elif not blurred(value):
        assert refused


@pytest.mark.parametrize("draft", DRAFTS)
def test_optional_sources_and_required_params(draft: type[Any]) -> None:
    assert probe_errors(probe_plan({}), draft) == []
    assert probe_errors(probe_plan({}, ["records", "extra"]), draft) == []
    assert probe_errors(probe_plan({}, ["extra"]), draft)
    if NEWER_PARAMS:
        data = probe_plan({})
        del data["indicators"][0]["params"]["must"]
        assert [*IND, "params"] in error_paths(probe_errors(data, draft))


def test_a_default_from_the_indicator_has_no_literal_default() -> None:
    if not NEWER_PARAMS:
        pytest.skip("parameters have no default_from")
    items = plan_schema(probe_registry())["properties"]["indicators"]["items"]
    label = items["allOf"][1]["then"]["properties"]["params"]["properties"]["label"]
    assert "default" not in label
    assert "indicator's own id" in label["description"]


def test_the_schema_is_a_fresh_value_each_time() -> None:
    first = plan_schema(seed_registry())
    kept = copy.deepcopy(first)
    first["properties"]["indicators"]["items"]["allOf"][0]["then"]["properties"].clear()
    assert plan_schema(seed_registry()) == kept


# -- the command ------------------------------------------------------------------------------

PLUGIN = """
from vpcp_indicators import Always, Column, Count, Kind, Source, hookimpl


@hookimpl
def register_kinds(register):
    things = Source("things", [Column("a")])
    count = lambda params: Count(source="things", population=Always(), numerator=Always())
    register(Kind(name="local_kind", title="Local", sources=[things], count=count))
"""


def test_the_schema_command_knows_the_plan_plugins(tmp_path: Path, cli_env: None) -> None:
    from click.testing import CliRunner

    from vpcp_indicators.cli.commands import cli

    if "schema" not in cli.commands:
        pytest.skip("the schema command is not wired yet")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "local.py").write_text(PLUGIN, encoding="utf-8")
    data = good_plan()
    data["plan"] |= {"plugins_dir": "plugins", "end": "2015-12-31"}  # a mistake to mend
    plan = tmp_path / "plan.toml"
    plan.write_text(toml_text(data), encoding="utf-8")
    output = tmp_path / "plan.schema.json"
    result = CliRunner().invoke(cli, ["schema", str(plan), "--output", str(output)])
    assert result.exit_code == 0, result.output
    schema = json.loads(output.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    kind = schema["properties"]["indicators"]["items"]["properties"]["kind"]
    assert {"local_kind", "e_document_dispatch"} <= set(kind["enum"])
