"""Finding plugins, and collecting what they register.

Plugins come from four places: the library's own modules (``builtin``), the entry-point group
``vpcp_indicators`` (``entry point``), ``*.py`` files of a plugins directory (``directory``),
and objects a host program registers (``host``). A plugin that fails to load is recorded with
its error and left out; the others load.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import sys
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pluggy

from .. import hookspecs
from ..filekinds import directory_problem, file_problem
from .manager import PluginManager

__all__ = [
    "BUILTIN_PLUGINS",
    "Loader",
    "PluginInfo",
    "error_text",
    "interface_refusal",
    "new_plugin_manager",
]

log = logging.getLogger("vpcp_indicators")

#: The library's own plugins: readers, aggregations, formats.
BUILTIN_PLUGINS = (
    "vpcp_indicators.sources.csv",
    "vpcp_indicators.sources.jsonl",
    "vpcp_indicators.sources.parquet",
    "vpcp_indicators.sources.sqlite",
    "vpcp_indicators.sources.workbook",
    "vpcp_indicators.sources.postgres",
    "vpcp_indicators.sources.spark",
    "vpcp_indicators.sources.trino",
    "vpcp_indicators.aggregation",
    "vpcp_indicators.formats.json",
    "vpcp_indicators.formats.table",
    "vpcp_indicators.formats.html",
    "vpcp_indicators.formats.markdown",
    "vpcp_indicators.formats.csv",
    "vpcp_indicators.formats.xlsx",
)


@attrs.frozen
class PluginInfo:
    """A plugin as ``vpcp-indicators plugins`` shows it.

    ``origin`` is ``builtin``, ``entry point``, ``directory`` or ``host``; ``location`` is
    the distribution (entry points) or the file (directory); ``interface`` the plugin
    interface it states (None: it states none, and is taken for interface 1); ``error`` says
    why it failed to load, in which case it provides nothing.
    """

    name: str
    origin: str
    location: str | None = None
    version: str | None = None
    kinds: tuple[str, ...] = ()
    hooks: tuple[str, ...] = ()
    error: str | None = None
    interface: int | None = None


def new_plugin_manager() -> PluginManager:
    """A plugin manager that knows the hooks of ``hookspecs``, with no plugin yet."""
    return PluginManager()


def error_text(error: BaseException) -> str:
    """An exception as a plugin's error is told: its type, then its text."""
    return f"{type(error).__name__}: {error}"


def interface_refusal(stated: object) -> str | None:
    """Why a plugin stating this interface cannot be loaded, or None if it can."""
    if stated is None:
        return None  # plugins written before interfaces were stated: interface 1
    offered = ", ".join(str(i) for i in hookspecs.SUPPORTED_INTERFACES)
    if not isinstance(stated, int) or isinstance(stated, bool):
        return f"PLUGIN_INTERFACE must be a whole number like {offered}, not {stated!r}"
    if stated not in hookspecs.SUPPORTED_INTERFACES:
        return (
            f"written for plugin interface {stated}, but this vpcp-indicators offers "
            f"interface {offered}"
        )
    return None


class Loader:
    """Registers plugins on a manager, remembering where each came from and what failed."""

    def __init__(self, manager: PluginManager):
        self.manager = manager
        self.origins: dict[str, PluginInfo] = {}
        self.failures: list[PluginInfo] = []

    def add(self, plugin: Any, info: PluginInfo) -> str | None:
        """Register one plugin; a plugin the manager refuses is recorded as failed, and why
        is returned."""
        stated = getattr(plugin, "PLUGIN_INTERFACE", None)
        whole = isinstance(stated, int) and not isinstance(stated, bool)
        info = attrs.evolve(info, interface=stated if whole else None)
        error = interface_refusal(stated)
        if error is None and (self.manager.has_plugin(info.name) or info.name in self.origins):
            error = f"a plugin named '{info.name}' is already loaded"
        if error is None:
            try:
                self.manager.register(plugin, name=info.name)
            except (pluggy.PluginValidationError, ValueError) as raised:
                # pluggy's message spans lines; ours are one line each.
                error = " ".join(str(raised).split())
        if error is None:
            callers = self.manager.get_hookcallers(plugin) or []
            unknown = [c.name for c in callers if c.spec is None]
            if unknown:
                self.manager.unregister(plugin)
                error = f"implements unknown hook {', '.join(sorted(unknown))}"
        if error is not None:
            self.failures.append(attrs.evolve(info, error=error))
            return error
        self.origins[info.name] = info
        return None

    def builtins(self) -> None:
        for module in BUILTIN_PLUGINS:
            self.add(importlib.import_module(module), PluginInfo(module, "builtin"))

    def entry_points(self, only: Iterable[str] | None) -> None:
        wanted = None if only is None else set(only)
        points = sorted(entry_points(group=hookspecs.PROJECT), key=lambda p: p.name)
        # ``dist.name`` and ``dist.version`` each parse the metadata file again: a package
        # that installs several plugins (this one installs six) is parsed once.
        about: dict[int, tuple[str, str]] = {}
        # A pinned name that nothing installs is a mistake to tell, not to skip in silence.
        for missing in sorted((wanted or set()) - {p.name for p in points}):
            self.failures.append(
                PluginInfo(missing, "entry point", error="no installed plugin has this name")
            )
        for point in points:
            if wanted is not None and point.name not in wanted:
                continue
            dist = getattr(point, "dist", None)
            if dist is not None and id(dist) not in about:
                metadata = dist.metadata
                about[id(dist)] = metadata["Name"], metadata["Version"]
            name, version = about[id(dist)] if dist is not None else (point.value, None)
            info = PluginInfo(point.name, "entry point", location=name, version=version)
            try:
                plugin = point.load()
            except Exception as error:  # a broken plugin must not stop the others
                self.failures.append(attrs.evolve(info, error=error_text(error)))
                continue
            self.add(plugin, info)

    def directory(self, directory: Path) -> None:
        problem = directory_problem(directory)
        if problem is not None:
            self.failures.append(
                PluginInfo(directory.name, "directory", str(directory), error=str(problem))
            )
            return
        for path in sorted(directory.glob("*.py")):
            info = PluginInfo(path.stem, "directory", location=str(path))
            problem = file_problem(path)
            if problem is not None:  # a FIFO named like a module would hang the import
                self.failures.append(attrs.evolve(info, error=str(problem)))
                continue
            digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
            module_name = f"vpcp_indicators_dir_plugin_{digest}_{path.stem}"
            spec = importlib.util.spec_from_file_location(module_name, path)
            if spec is None or spec.loader is None:
                self.failures.append(attrs.evolve(info, error="cannot be imported"))
                continue
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            try:
                spec.loader.exec_module(module)
            except Exception as error:  # a broken plugin must not stop the others
                del sys.modules[module_name]
                self.failures.append(attrs.evolve(info, error=error_text(error)))
                continue
            version = getattr(module, "__version__", None)
            self.add(
                module, attrs.evolve(info, version=version if isinstance(version, str) else None)
            )
