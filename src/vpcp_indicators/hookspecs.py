"""The plugin contract: every hook vpcp-indicators calls, and what it expects back.

A plugin is a module (or any object) with functions marked ``@hookimpl`` whose names are the
hooks below. Registration hooks receive a ``register`` callable, so one function can add
several things.

The project's own features (the seed indicator kinds, the CSV, JSON Lines and Parquet
readers, the aggregation methods, the output formats) are registered through these same hooks.

A plugin states the plugin interface it was written for with a module (or object) attribute
``PLUGIN_INTERFACE = 1``; one that states none is taken to be written for interface 1. A
plugin written for an interface this version does not offer is refused, by name.

The lifecycle hooks (``evaluation_started``, ``indicator_computed``, ``evaluation_finished``)
let a program that embeds the engine watch an evaluation: register any object with such
methods marked ``@hookimpl`` with ``Engine.register(obj)``. They are observers: what they
return is ignored.

Every hook is called through pluggy, in pluggy's order: the plugin registered last first,
an implementation marked ``tryfirst=True`` before the others and one marked ``trylast=True``
after them, and wrappers (``wrapper=True``, or the older ``hookwrapper=True``) around them
all. A hook-call monitor added to ``Engine.plugin_manager`` (pluggy's
``add_hookcall_monitoring``) sees every call. One thing differs from a plain pluggy call: a
plugin that raises does not stop the others. Its exception is caught where it is raised, and
the call's result holds, in its place, a record of the failure (``plugin``, ``hook``,
``error``), which a wrapper sees and may keep or drop; the engine names the plugins whose
failures the result holds. A plugin whose registration hook raises is left out, as one that
fails to load is: what it registered is dropped, and none of its hooks is called again, its
observers included. An observer that raises is logged (logger ``vpcp_indicators``), once per
hook and evaluation, while the evaluation goes on. An interrupt (``KeyboardInterrupt``) is not
caught: it goes through the wrappers and stops the run.

When plugins register readers, aggregations or formats under one name, the first one pluggy
calls wins, as the first result of a pluggy hook does: a plugin overrides those registered
before it (a host's plugins the built-ins, a plan's ``plugins_dir`` the engine's plugins, for
that plan), unless it is marked ``trylast=True`` or theirs ``tryfirst=True``. Each
registration hook is called once for all plugins (once for the engine's, once for a plan
directory's); what the call returns, which a wrapper sees, is one record per plugin of what
it registered (``plugin``, ``hook``, ``things``: pairs of a name or file ending and what was
registered). A wrapper registers nothing of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pluggy

# For the annotations only: this module is the bottom of the package, imported by all.
if TYPE_CHECKING:
    from .aggregation import Aggregation
    from .evaluation import IndicatorResult, Report
    from .formats import Format
    from .kinds.kind import Kind
    from .plan.model import Plan
    from .sources import SourceReader

__all__ = [
    "LIFECYCLE_HOOKS",
    "PLUGIN_INTERFACE",
    "PROJECT",
    "SUPPORTED_INTERFACES",
    "hookimpl",
    "hookspec",
]

#: The pluggy project name; also the entry-point group plugins are published under.
PROJECT = "vpcp_indicators"

#: The plugin interface this version offers: the hooks below, and the classes they pass.
PLUGIN_INTERFACE = 1

#: The interfaces a plugin may state and still be loaded.
SUPPORTED_INTERFACES = (1,)

#: The hooks that tell observers how an evaluation proceeds.
LIFECYCLE_HOOKS = ("evaluation_started", "indicator_computed", "evaluation_finished")

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- What a plan can measure ------------------------------------------------------------------


@hookspec
def register_kinds(register: Callable[[Kind], None]) -> None:
    """Register indicator kinds.

    Called when an engine collects its plugins. Call ``register(kind)`` with a
    :class:`vpcp_indicators.Kind` for each kind the plugin provides; a plan's indicators
    name kinds by ``Kind.name``. Two plugins registering the same name make that kind
    unusable until one is removed. Return nothing.
    """


# -- Where records come from ------------------------------------------------------------------


@hookspec
def register_source_readers(register: Callable[[SourceReader], None]) -> None:
    """Register readers of record sources.

    Called when an engine collects its plugins. Call ``register(reader)`` with a
    :class:`vpcp_indicators.SourceReader`: an object that has ``name`` (str),
    ``extensions`` (file name endings it reads, like ``(".csv",)``),
    ``columns(path) -> list[str]`` and ``rows(path, columns)``, which yields
    ``(line, values)`` per record: ``values`` a tuple of strings in the order of
    ``columns`` (``""`` for no value), or a string saying why that record cannot be read.
    A reader raises :class:`vpcp_indicators.SourceError` when the whole file is unusable.
    The reader of a source is chosen by the ending of its file name, or by the scheme of its
    URL (``extensions = ("oracle",)`` reads ``oracle://...`` sources), and is given the
    plan's ``table``, ``query`` and ``timeout`` as keyword arguments.

    A reader of a database that can count (a :class:`vpcp_indicators.CountingReader`) also
    has ``dialect`` (SQLGlot's name for its SQL, like ``"oracle"``) and ``tally(path,
    columns, build, numbered, *, others, **options)``: it makes the relation of its rows as
    ``rows`` gives them (columns ``k0``, ``k1``... as text, ``__bad``, and ``__row`` when
    ``numbered``), and the same of each of ``others`` (``(columns, options)`` of other
    sources in the same database, which a count looks into), calls ``build(relations)`` for
    the statement and its parameters, runs it read-only within the timeout, and returns the
    rows. The engine then sends it the counts and reads back one row per (date, group).
    Return nothing.
    """


# -- How scores roll up -----------------------------------------------------------------------


@hookspec
def register_aggregations(register: Callable[[Aggregation], None]) -> None:
    """Register methods that combine scores into a task's or the plan's score.

    Called when an engine collects its plugins. Call ``register(aggregation)`` with a
    :class:`vpcp_indicators.Aggregation`: a name, a function that receives a non-empty
    sequence of ``(score, weight)`` pairs as :class:`fractions.Fraction` and returns a
    number from 0 to 100, and a title. A plan picks one with
    ``[scoring] aggregation = "name"``. ``register(name, function)``, the form of the
    first releases of interface 1, is still accepted. Return nothing.
    """


# -- How results are written ------------------------------------------------------------------


@hookspec
def register_formats(register: Callable[[Format], None]) -> None:
    """Register output formats for ``evaluate --format``.

    Called when an engine collects its plugins. Call ``register(format)`` with a
    :class:`vpcp_indicators.Format`: a name and a function that turns a
    :class:`vpcp_indicators.Report` into text (or bytes, for binary formats). Return nothing.
    """


# -- What happens during an evaluation ---------------------------------------------------------


@hookspec
def evaluation_started(plan: Plan, dates: Sequence[dt.date]) -> None:
    """An evaluation begins.

    Called once per ``Engine.evaluate``, after the plan passed every check (which reads the
    header row of each source) and before any record is read. ``plan`` is the
    :class:`vpcp_indicators.Plan`; ``dates`` the evaluation dates in order, without repeats.
    Return nothing (a value is ignored).
    """


@hookspec
def indicator_computed(plan: Plan, as_of: dt.date, result: IndicatorResult) -> None:
    """An indicator's figures, score and status at one date are known.

    Called for each indicator at each date, dates in order and indicators in plan order,
    once every source has been read. ``result`` is the
    :class:`vpcp_indicators.IndicatorResult` (its ``status`` is ``error`` when its plugin
    failed). Return nothing (a value is ignored).
    """


@hookspec
def evaluation_finished(report: Report) -> None:
    """An evaluation is complete.

    Called once per ``Engine.evaluate`` with the :class:`vpcp_indicators.Report` it is
    about to return: every date, task score and plan score. Not called when the evaluation
    stops with an error. Return nothing (a value is ignored).
    """
