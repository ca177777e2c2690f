"""What the plugins register: kinds, readers, aggregations and formats, gathered into a
:class:`Registry` by calling each plugin's registration hooks."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
import pluggy

from ..aggregation import Aggregation, AggregationFunction
from ..formats import Format
from ..kinds.kind import Kind
from ..sources import SourceReader
from .discovery import Loader, PluginInfo, error_text, interface_refusal

__all__ = ["REGISTRATION_HOOKS", "Contribution", "Registry", "assemble", "collect", "contributions"]

#: The hooks through which plugins add things, called in this order for each plugin.
REGISTRATION_HOOKS = (
    "register_kinds",
    "register_source_readers",
    "register_aggregations",
    "register_formats",
)


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

    def aggregation(
        aggregation: Aggregation | str, function: AggregationFunction | None = None
    ) -> None:
        if function is not None:
            if not (isinstance(aggregation, str) and callable(function)):
                raise TypeError("register() takes an Aggregation, or a name and a function")
            # The first form of interface 1, register(name, function), is still accepted.
            aggregation = Aggregation(aggregation, function)
        if not isinstance(aggregation, Aggregation):
            raise TypeError(f"register() takes an Aggregation, not {type(aggregation).__name__}")
        staged.aggregations[aggregation.name] = aggregation

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
            error = interface_refusal(getattr(plugin, "PLUGIN_INTERFACE", None))
        for hook in REGISTRATION_HOOKS:
            impl = impls[hook].get(name)
            if impl is None or error is not None:
                continue
            try:
                impl.function(register=registrars[hook])
            except Exception as raised:  # a broken plugin must not stop the others
                error = f"{hook} raised {error_text(raised)}"
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
