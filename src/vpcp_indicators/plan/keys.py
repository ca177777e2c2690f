"""Every key a plan file may hold, declared once: its type, whether it is required, its
default, its allowed values and what it means.

The loader's checks (``reading.py``), the JSON Schema (``schema.py``) and the README's
plan-file block (``scripts/plan_reference.py``) are all made from these declarations: a key
added here is read, checked, described and documented, and a key that is not here is refused
everywhere alike. What depends on plugins (the kinds, their parameters and sources, the
aggregations) is declared by the plugins and checked by the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

import attrs

from ..i18n import LANGUAGES, N_
from ..units import UNITS
from ..windows import WINDOWS
from .model import DIRECTIONS, Indicator, Scoring, Task

__all__ = [
    "BASELINE",
    "BREAKDOWN",
    "INDICATOR",
    "LABEL",
    "PLAN",
    "PROJECT",
    "SCALARS",
    "SCORING",
    "TARGET",
    "TASK",
    "TOP",
    "UNIT",
    "Key",
    "KeyType",
    "Table",
]

#: What a key holds: a non-empty string (``text``, limited to ``choices`` if given), a TOML
#: date, a number, a whole number (``integer``), true or false (``boolean``), a table of
#: declared keys, an array of such
#: tables, a table of file names (``files``), a table of anything (``any``: checked by the
#: kind that reads it), or names for the codes of columns (``labels``: a table per column,
#: each code a text, or a table of texts by language whose keys ``table`` declares).
KeyType = Literal[
    "text", "date", "number", "integer", "boolean", "table", "tables", "files", "any", "labels"
]

#: The types of keys that hold one value (the others hold tables).
SCALARS: tuple[KeyType, ...] = ("text", "date", "number", "integer", "boolean")


@attrs.frozen
class Key:
    """One key of a table of the plan file.

    ``required`` keys must be written; ``at_least`` (for arrays of tables) asks for that many
    items, a missing array counting as empty. ``default`` is what a missing key means, when
    that is a value (a default that depends on the plan, like the kind's window, is said in
    the description). ``choices`` limits a text, and ``refusal`` is the message for another
    value (with ``{found}``, the value, and ``{known}`` or ``{choices}``, the allowed ones).
    ``minimum`` and ``maximum`` bound a number, both included; ``above`` excludes its bound.
    ``table`` declares the keys of a table, or of each table of an array; ``each`` describes
    each value of a ``files`` table. ``example`` is what the README shows (the default when
    there is no example).
    """

    name: str
    type: KeyType
    description: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    refusal: str = ""
    minimum: int | None = None
    maximum: int | None = None
    above: int | None = None
    at_least: int = 0
    table: Table | None = None
    each: str = ""
    example: Any = None


@attrs.frozen
class Table:
    """The keys of a table, in the order they are read, described and documented.

    ``about`` describes one table of an array of tables; ``repeated`` is the message for an
    id used twice in such an array (ids are unique within their array).
    """

    keys: tuple[Key, ...]
    about: str = ""
    repeated: str = ""

    @property
    def names(self) -> frozenset[str]:
        """The keys a table may hold."""
        return frozenset(key.name for key in self.keys)

    @property
    def required(self) -> tuple[str, ...]:
        """The keys that must be written, in order."""
        return tuple(key.name for key in self.keys if key.required)

    def __iter__(self) -> Iterator[Key]:
        return iter(self.keys)

    def __getitem__(self, name: str) -> Key:
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)


def _default(cls: type, name: str) -> Any:
    """The default of a field of a plan value: what a missing key means, said once."""
    return getattr(attrs.fields(cls), name).default


_SHARE = "a fraction from 0 to 1 for a share (70% is 0.70)"

PLAN = Table(
    (
        Key("id", "text", "Short identifier of the plan, such as vpcp-2011-2015.", True,
            example="vpcp-2011-2015"),
        Key("title", "text", "Full title of the plan, shown at the top of every report.", True,
            example="..."),
        Key("decision", "text", "The decision that adopted the plan, such as 1935/QĐ-VPCP.",
            example="1935/QĐ-VPCP"),
        Key("description", "text", "What the plan is for, in a sentence or two.",
            example="..."),
        Key("start", "date", "First day of the plan period: a TOML date, unquoted "
            "(2011-01-01).", True, example=dt.date(2011, 1, 1)),
        Key("end", "date", "Last day of the plan period (not before start), unquoted.", True,
            example=dt.date(2015, 12, 31)),
        Key("plugins_dir", "text", "Directory of *.py plugin files, relative to this file.",
            example="plugins"),
        Key("language", "text", "Language of the plan's reports: vi or en.",
            choices=LANGUAGES, refusal=N_("unknown language '{found}' (languages: {known})"),
            example=LANGUAGES[0]),
    )
)  # fmt: skip

SCORING = Table(
    (
        Key("at_risk", "number", "Score (0 to 100) from which a late indicator, task or plan "
            "is at risk.", minimum=0, maximum=100, default=_default(Scoring, "at_risk")),
        Key("aggregation", "text", "How task and plan scores are combined from the scores of "
            "their parts.", default=_default(Scoring, "aggregation")),
    )
)  # fmt: skip

PROJECT = Table(
    (
        Key("id", "text", "Identifier of the project, unique within its task (NV1-DA1).", True,
            example="NV1-DA1"),
        Key("title", "text", "Title of the project.", True, example="..."),
        Key("lead", "text", "The lead unit (đơn vị chủ trì) of the project.",
            example="Trung tâm Tin học"),
        Key("description", "text", "What the project does.", example="..."),
    ),
    about="A project of the task.",
    repeated=N_("project id '{id}' is already used"),
)  # fmt: skip

TASK = Table(
    (
        Key("id", "text", "Identifier of the task, unique in the plan (NV1).", True,
            example="NV1"),
        Key("title", "text", "Title of the task.", True, example="..."),
        Key("weight", "number", "Weight of the task in the plan's score; greater than 0.",
            above=0, default=_default(Task, "weight")),
        Key("description", "text", "What the task covers.", example="..."),
        Key("projects", "tables", "The projects of the task ([[tasks.projects]]).",
            table=PROJECT),
    ),
    about="A task (nhiệm vụ) of the plan.",
    repeated=N_("task id '{id}' is already used"),
)  # fmt: skip

BASELINE = Table(
    (
        Key("on", "date", "Date of the baseline; default: the plan's start.",
            example=dt.date(2011, 1, 1)),
        Key("value", "number", f"Value on that date, {_SHARE}.", default=0),
    )
)  # fmt: skip

TARGET = Table(
    (
        Key("by", "date", "Date it is due: in the plan period, after the previous target's.",
            True, example=dt.date(2012, 12, 31)),
        Key("value", "number", f"Value due by that date, {_SHARE}.", True, example=0.7),
    ),
    about="A milestone: a value due by a date.",
)  # fmt: skip

#: A source given as a table: a workbook's sheet, a database's table or query, and the names
#: of its columns.
SOURCE = Table(
    (
        Key("path", "text", "A file of records, relative to this file.", example="data/hop.xlsx"),
        Key(
            "sheet", "text", "The sheet of a workbook to read; default: the first.", example="2013"
        ),
        Key(
            "url",
            "text",
            "A database: sqlite:PATH, postgresql://user@host:port/db, ...; "
            "never a password (the driver's own mechanisms give it).",
        ),
        Key("table", "text", "The table of the database to read."),
        Key("query", "text", "One SELECT whose rows are the records, instead of a table."),
        Key(
            "timeout",
            "number",
            "Seconds a database may take over a step of its work (running the query, "
            "fetching the next rows) before it is stopped; default: 300 (5 minutes).",
            above=0,
        ),
        Key(
            "columns",
            "any",
            "The kind's column names, each mapped to the source's.",
            example={"issued_on": "ngay_ban_hanh"},
        ),
    ),
    about="A source of records: a file, a workbook's sheet, or a database's table or query.",
)

BREAKDOWN = Table(
    (
        Key("column", "text", "The column of the counted source the breakdown groups by; "
            "default: the kind's.", example="issuer_unit"),
        Key("units", "boolean", "Whether the column's values are ids of the plan's units: "
            "the breakdown then rolls up the units' tree.", default=False, example=True),
    )
)  # fmt: skip

INDICATOR = Table(
    (
        Key("id", "text", "Identifier of the indicator, unique in the plan (e-documents).",
            True, example="e-documents"),
        Key("task", "text", "The id of the task this indicator belongs to.", True,
            example="NV1"),
        Key("kind", "text", "The kind of indicator (what is counted), provided by a plugin.",
            True, example="e_document_dispatch"),
        Key("title", "text", "Title of the indicator, shown in reports.", True, example="..."),
        Key("description", "text", "What the indicator measures.", example="..."),
        Key("weight", "number", "Weight of the indicator in its task's score; greater than 0.",
            above=0, default=_default(Indicator, "weight")),
        Key("direction", "text", "Whether more (up) or less (down) is better; default: the "
            "kind's.", choices=DIRECTIONS, refusal=N_("must be {choices}, found '{found}'"),
            example=DIRECTIONS[0]),
        Key("baseline", "table", "Where it starts; default: 0 at the plan's start.",
            table=BASELINE),
        Key("targets", "tables", "The milestones, in date order, at least one.", True,
            at_least=1, table=TARGET),
        Key("window", "text", "The period counted at each date; default: the kind's.",
            choices=WINDOWS, refusal=N_("unknown window '{found}' ({known})"),
            example=WINDOWS[0]),
        Key("sources", "files", "The record sources the kind reads, by source name.",
            each="A file of records, relative to this file.", table=SOURCE,
            example={
                "documents": "data/documents.csv",
                "meetings": {"path": "data/hop.xlsx", "sheet": "2013",
                             "columns": {"held_on": "ngay_hop"}},
                "staff": {"url": "sqlite:data/hr.sqlite", "table": "nhan_su",
                          "timeout": 60},
                "trainings": {"url": "postgresql://reader@db.example/hr",
                              "query": "select * from dao_tao where nam >= 2011",
                              "timeout": 600},
            }),
        Key("params", "any", "The kind's parameters.",
            example={"issuers": ["government", "prime_minister"]}),
        Key("unit", "text", "A share (ratio, 0 to 1) or a number; default: the kind's.",
            choices=UNITS, refusal=N_("must be {choices}, found '{found}'"), example=UNITS[0]),
        Key("min_denominator", "integer", "The fewest records a share may rest on: below "
            "it the status is insufficient_data, and a breakdown group is shown as "
            "insufficient; default: the kind's, else 1.", above=0, example=10),
        Key("breakdown", "table", "How the figures are broken down: by which column, and "
            "whether by the plan's units; default: as the kind breaks them down.",
            table=BREAKDOWN),
    ),
    about="An indicator: a figure a kind computes from records, with dated targets.",
    repeated=N_("indicator id '{id}' is already used"),
)  # fmt: skip

UNIT = Table(
    (
        Key("id", "text", "Identifier of the unit, unique in the plan: the value records "
            "hold for it.", True, example="Vụ Tổng hợp"),
        Key("title", "text", "Name of the unit, shown in reports.", True, example="..."),
        Key("parent", "text", "The id of the unit it belongs to; none for a unit at the top.",
            example="VPCP"),
    ),
    about="A unit of the organisation: a ministry, a province, a department.",
    repeated=N_("unit id '{id}' is already used"),
)  # fmt: skip

# Each language of the reports, named, with an example label (a language added to LANGUAGES
# needs its entry: the labels of a plan may then be written in it).
_LABEL_LANGUAGES = {
    "vi": ("Vietnamese", "Thủ tướng Chính phủ"),
    "en": ("English", "Prime Minister"),
}

LABEL = Table(
    tuple(
        Key(code, "text", f"The label in {_LABEL_LANGUAGES[code][0]}.",
            example=_LABEL_LANGUAGES[code][1])
        for code in LANGUAGES
    ),
    about="A label by language: at least one of them.",
)  # fmt: skip

TOP = Table(
    (
        Key("plan", "table", "The plan: what it is, its period, and the language of its "
            "reports.", True, table=PLAN),
        Key("scoring", "table", "How scores become statuses and combine; every key has a "
            "default.", table=SCORING),
        Key("tasks", "tables", "The tasks of the plan ([[tasks]]), at least one.", at_least=1,
            table=TASK),
        Key("indicators", "tables", "The indicators ([[indicators]]).", table=INDICATOR),
        Key("units", "tables", "The units of the organisation ([[units]]), a tree by "
            "parent, that breakdowns may roll up.", table=UNIT, example=[
                {"id": "VPCP", "title": "Văn phòng Chính phủ"},
                {"id": "Vụ Tổng hợp", "title": "Vụ Tổng hợp", "parent": "VPCP"},
            ]),
        Key("labels", "labels", "Names the reports show for the codes of a column, such as "
            "breakdown groups ([labels.<column>]): each code's label a text, or a table of "
            "texts by language (vi, en). The JSON output keeps the codes.",
            table=LABEL, example={
                "counterpart_kind": {"corporation_91": "Tổng công ty 91"},
                "issuer": {"prime_minister": {"vi": "Thủ tướng Chính phủ",
                                              "en": "Prime Minister"}},
            }),
    )
)  # fmt: skip
