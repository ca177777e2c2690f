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
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pluggy

from .. import hookspecs
from ..aggregation import Aggregation
from ..filekinds import directory_problem, file_problem
from ..formats import Format
from ..kinds.kind import Kind
from ..sources import SourceReader

__all__ = [
    "BUILTIN_PLUGINS",
    "REGISTRATION_HOOKS",
    "Contribution",
    "Loader",
    "PluginInfo",
    "Registry",
    "assemble",
    "collect",
    "contributions",
    "new_plugin_manager",
]

log = logging.getLogger("vpcp_indicators")

#: The library's own plugins: readers, aggregations, formats.
BUILTIN_PLUGINS = (
    "vpcp_indicators.sources.csv",
    "vpcp_indicators.sources.jsonl",
    "vpcp_indicators.sources.parquet",
    "vpcp_indicators.aggregation",
    "vpcp_indicators.formats.json",
    "vpcp_indicators.formats.table",
    "vpcp_indicators.formats.html",
    "vpcp_indicators.formats.markdown",
    "vpcp_indicators.formats.csv",
    "vpcp_indicators.formats.xlsx",
)


#: The hooks through which plugins add things, called in this order for each plugin.
REGISTRATION_HOOKS = (
    "register_kinds",
    "register_source_readers",
    "register_aggregations",
    "register_formats",
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


@attrs.define
class Registry:
    """Everything the loaded plugins registered, and which plugin registered each kind."""

    kinds: dict[str, Kind] = attrs.Factory(dict)
    kind_plugins: dict[str, list[str]] = attrs.Factory(dict)
    #: Each plugin's own kinds: two plugins may register different kinds under one name.
    plugin_kinds: dict[str, dict[str, Kind]] = attrs.Factory(dict)
    readers: dict[str, SourceReader] = attrs.Factory(dict)
    aggregations: dict[str, Aggregation] = attrs.Factory(dict)
    formats: dict[str, Format] = attrs.Factory(dict)
    plugins: list[PluginInfo] = attrs.Factory(list)

    def failed(self) -> list[PluginInfo]:
        """The plugins that failed to load or to register."""
        return [p for p in self.plugins if p.error]


def new_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows the hooks of ``hookspecs``, with no plugin yet."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _interface_refusal(stated: object) -> str | None:
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

    def __init__(self, manager: pluggy.PluginManager):
        self.manager = manager
        self.origins: dict[str, PluginInfo] = {}
        self.failures: list[PluginInfo] = []

    def add(self, plugin: Any, info: PluginInfo) -> str | None:
        """Register one plugin; a plugin the manager refuses is recorded as failed, and why
        is returned."""
        stated = getattr(plugin, "PLUGIN_INTERFACE", None)
        whole = isinstance(stated, int) and not isinstance(stated, bool)
        info = attrs.evolve(info, interface=stated if whole else None)
        error = _interface_refusal(stated)
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
        # A pinned name that nothing installs is a mistake to tell, not to skip in silence.
        for missing in sorted((wanted or set()) - {p.name for p in points}):
            self.failures.append(
                PluginInfo(missing, "entry point", error="no installed plugin has this name")
            )
        for point in points:
            if wanted is not None and point.name not in wanted:
                continue
            dist = getattr(point, "dist", None)
            info = PluginInfo(
                point.name,
                "entry point",
                location=dist.name if dist else point.value,
                version=dist.version if dist else None,
            )
            try:
                plugin = point.load()
            except Exception as error:  # a broken plugin must not stop the others
                self.failures.append(attrs.evolve(info, error=_error_text(error)))
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
                self.failures.append(attrs.evolve(info, error=_error_text(error)))
                continue
            version = getattr(module, "__version__", None)
            self.add(
                module, attrs.evolve(info, version=version if isinstance(version, str) else None)
            )


def _registrars(staged: Registry, plugin: str) -> dict[str, Callable[..., None]]:
    """The ``register`` callable each registration hook receives, filling ``staged``."""

    def kind(kind: Kind) -> None:
        if not isinstance(kind, Kind):
            raise TypeError(f"register() takes a Kind, not {type(kind).__name__}")
        staged.kinds[kind.name] = kind
        staged.kind_plugins[kind.name] = [plugin]

    def reader(reader: SourceReader) -> None:
        for extension in reader.extensions:
            staged.readers[extension.lower()] = reader

    def aggregation(name: str, function: Aggregation) -> None:
        staged.aggregations[name] = function

    def format(format: Format) -> None:
        if not isinstance(format, Format):
            raise TypeError(f"register() takes a Format, not {type(format).__name__}")
        staged.formats[format.name] = format

    return {
        "register_kinds": kind,
        "register_source_readers": reader,
        "register_aggregations": aggregation,
        "register_formats": format,
    }


@attrs.frozen
class Contribution:
    """One plugin as listed, and what it registered (None: it failed, and gives nothing)."""

    info: PluginInfo
    registered: Registry | None = None


def contributions(manager: pluggy.PluginManager, loader: Loader) -> list[Contribution]:
    """Call each plugin's registration hooks: what each registered, in the order of the
    manager, then the plugins the loader could not register.

    A plugin whose registration raises is recorded as failed and everything it registered is
    dropped.
    """
    impls = {
        hook: {impl.plugin_name: impl for impl in getattr(manager.hook, hook).get_hookimpls()}
        for hook in REGISTRATION_HOOKS
    }
    # Each plugin's hooks, in one pass over the hooks rather than one per plugin: an engine
    # may have thousands of host observers.
    hooks: dict[str, list[str]] = {}
    for hook_name, caller in vars(manager.hook).items():
        for impl in caller.get_hookimpls():
            hooks.setdefault(impl.plugin_name, []).append(hook_name)
    found = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:
            continue
        staged = Registry()
        registrars = _registrars(staged, name)
        error = None
        if name not in loader.origins:
            # Registered on the manager directly: the loader has not checked its interface.
            error = _interface_refusal(getattr(plugin, "PLUGIN_INTERFACE", None))
        for hook in REGISTRATION_HOOKS:
            impl = impls[hook].get(name)
            if impl is None or error is not None:
                continue
            try:
                impl.function(register=registrars[hook])
            except Exception as raised:  # a broken plugin must not stop the others
                error = f"{hook} raised {_error_text(raised)}"
                break
        info = attrs.evolve(
            loader.origins.get(name, PluginInfo(name, "host")),
            kinds=tuple(staged.kinds) if error is None else (),
            hooks=tuple(sorted(hooks.get(name, ()))),
            error=error,
        )
        found.append(Contribution(info, None if error else staged))
    return found + [Contribution(info) for info in loader.failures]


def assemble(found: Iterable[Contribution]) -> Registry:
    """What plugins registered, together: a kind registered by two plugins keeps both names in
    ``kind_plugins``; a later reader, aggregation or format replaces an earlier one of its
    name. A plugin named like one before it is refused, and gives nothing."""
    registry = Registry()
    loaded: set[str] = set()
    for item in found:
        info, staged = item.info, item.registered
        if staged is not None and info.name in loaded:
            error = f"a plugin named '{info.name}' is already loaded"
            info, staged = attrs.evolve(info, kinds=(), error=error), None
        registry.plugins.append(info)
        if staged is None:
            continue
        loaded.add(info.name)
        registry.plugin_kinds[info.name] = dict(staged.kinds)
        for kind_name, kind in staged.kinds.items():
            registry.kinds.setdefault(kind_name, kind)
            registry.kind_plugins.setdefault(kind_name, []).append(info.name)
        registry.readers.update(staged.readers)
        registry.aggregations.update(staged.aggregations)
        registry.formats.update(staged.formats)
    return registry


def collect(manager: pluggy.PluginManager, loader: Loader) -> Registry:
    """Call each plugin's registration hooks and gather what they register (see
    :func:`contributions` and :func:`assemble`)."""
    return assemble(contributions(manager, loader))
