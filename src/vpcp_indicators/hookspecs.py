"""The plugin contract: every hook vpcp-indicators calls, and what it expects back.

A plugin is a module (or any object) with functions marked ``@hookimpl`` whose names are the
hooks below. Registration hooks receive a ``register`` callable, so one function can add
several things. Each registration hook is called once per plugin, so that a plugin that
raises is reported by name and the others still load.

The project's own features (the seed indicator kinds, the CSV and JSON Lines readers, the
aggregation methods, the table and JSON formats) are registered through these same hooks.
"""

from __future__ import annotations

from typing import Any

import pluggy

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The pluggy project name; also the entry-point group plugins are published under.
PROJECT = "vpcp_indicators"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- What a plan can measure ------------------------------------------------------------------


@hookspec
def register_kinds(register: Any) -> None:
    """Register indicator kinds.

    Called once per plugin when an engine collects its plugins. Call
    ``register(kind)`` with a :class:`vpcp_indicators.Kind` for each kind the plugin
    provides; a plan's indicators name kinds by ``Kind.name``. Two plugins registering the
    same name make that kind unusable until one is removed. Return nothing.
    """


# -- Where records come from ------------------------------------------------------------------


@hookspec
def register_source_readers(register: Any) -> None:
    """Register readers of record sources.

    Called once per plugin when an engine collects its plugins. Call ``register(reader)``
    with an object that has ``name`` (str), ``extensions`` (file name endings it reads,
    like ``(".csv",)``), ``columns(path) -> list[str]`` and ``rows(path, columns)``, which
    yields ``(line, values)`` per record: ``values`` a tuple of strings in the order of
    ``columns`` (``""`` for no value), or a string saying why that record cannot be read.
    A reader raises :class:`vpcp_indicators.SourceError` when the whole file is unusable.
    The reader of a source is chosen by the ending of its file name. Return nothing.
    """


# -- How scores roll up -----------------------------------------------------------------------


@hookspec
def register_aggregations(register: Any) -> None:
    """Register methods that combine scores into a task's or the plan's score.

    Called once per plugin when an engine collects its plugins. Call
    ``register(name, function)``; the function receives a non-empty sequence of
    ``(score, weight)`` pairs as :class:`fractions.Fraction` and returns a number from 0 to
    100. A plan picks one with ``[scoring] aggregation = "name"``. Return nothing.
    """


# -- How results are written ------------------------------------------------------------------


@hookspec
def register_formats(register: Any) -> None:
    """Register output formats for ``evaluate --format``.

    Called once per plugin when an engine collects its plugins. Call ``register(format)``
    with a :class:`vpcp_indicators.Format`: a name and a function that turns a
    :class:`vpcp_indicators.Report` into text (or bytes, for binary formats). Return nothing.
    """
