"""What the plugins register: kinds, readers, aggregations and formats, gathered into a
:class:`Registry` by calling the registration hooks through pluggy.

Each registration hook is called once for a set of plugins, on a manager of their stand-ins
(see ``guards``): pluggy calls each plugin's function in its order, inside the wrappers, and
each returns what it registered, or its failure. A plugin that fails is recorded as failed,
what it registered is dropped, and it takes no further part: its later registration hooks
and its observers are not called.

When plugins register readers, aggregations or formats under one name, the first one pluggy
calls wins. pluggy calls the plugin registered last first, so a plugin overrides those
registered before it (a host's over the built-ins, a plan's over the engine's), a
``tryfirst=True`` implementation wins over those without, and a ``trylast=True`` one yields
to them. Two kinds of one name make that kind unusable, whatever the order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import pluggy

from ..aggregation import Aggregation, AggregationFunction
from ..formats import Format
from ..kinds.kind import Kind
from ..sources import SourceReader
from .discovery import Loader, PluginInfo, interface_refusal
from .guards import Failure, Registration, Stager, standin
from .manager import PluginManager

__all__ = [
    "REGISTRATION_HOOKS",
    "Contribution",
    "Registry",
    "assemble",
    "call_order",
    "contributions",
]

log = logging.getLogger("vpcp_indicators")

#: The hooks through which plugins add things, called in this order; and the field of a
#: :class:`Registry` each fills.
REGISTRATION_HOOKS = {
    "register_kinds": "kinds",
    "register_source_readers": "readers",
    "register_aggregations": "aggregations",
    "register_formats": "formats",
}


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


def _kinds(things: list[tuple[str, Any]]) -> Callable[..., None]:
    def register(kind: Kind) -> None:
        if not isinstance(kind, Kind):
            raise TypeError(f"register() takes a Kind, not {type(kind).__name__}")
        things.append((kind.name, kind))

    return register


def _readers(things: list[tuple[str, Any]]) -> Callable[..., None]:
    def register(reader: SourceReader) -> None:
        things.extend((extension.lower(), reader) for extension in reader.extensions)

    return register


def _aggregations(things: list[tuple[str, Any]]) -> Callable[..., None]:
    def register(
        aggregation: Aggregation | str, function: AggregationFunction | None = None
    ) -> None:
        if function is not None:
            if not (isinstance(aggregation, str) and callable(function)):
                raise TypeError("register() takes an Aggregation, or a name and a function")
            # The first form of interface 1, register(name, function), is still accepted.
            aggregation = Aggregation(aggregation, function)
        if not isinstance(aggregation, Aggregation):
            raise TypeError(f"register() takes an Aggregation, not {type(aggregation).__name__}")
        things.append((aggregation.name, aggregation))

    return register


def _formats(things: list[tuple[str, Any]]) -> Callable[..., None]:
    def register(format: Format) -> None:
        if not isinstance(format, Format):
            raise TypeError(f"register() takes a Format, not {type(format).__name__}")
        things.append((format.name, format))

    return register


#: The ``register`` each registration hook gives a plugin, filling the list it is made with.
STAGERS: dict[str, Stager] = {
    "register_kinds": _kinds,
    "register_source_readers": _readers,
    "register_aggregations": _aggregations,
    "register_formats": _formats,
}


def _no_register(*args: object, **kwargs: object) -> None:
    """The ``register`` of the hook call itself, which only wrappers receive (each plugin's
    function gets one of its own): a wrapper registers nothing."""
    raise TypeError("a hook wrapper cannot register: implement the hook without wrapper=True")


@attrs.frozen
class Contribution:
    """One plugin as listed, and what it registered (None: it failed, and gives nothing)."""

    info: PluginInfo
    registered: Registry | None = None


def contributions(
    loader: Loader, calls_on: PluginManager
) -> tuple[pluggy.PluginManager, list[Contribution]]:
    """Call the registration hooks of the plugins of a loader's manager: the manager of the
    stand-ins of those that registered without failing (made by ``calls_on``, whose monitors
    watch it), and what each plugin registered, in the order of the loader's manager, then
    the plugins the loader could not register."""
    source = loader.manager
    # Each plugin's hook implementations, in one pass over the hooks rather than one per
    # plugin: an engine may have thousands of host observers.
    impls: dict[str, list[tuple[str, pluggy.HookImpl]]] = {}
    for hook_name, caller in vars(source.hook).items():
        for impl in caller.get_hookimpls():
            impls.setdefault(impl.plugin_name, []).append((hook_name, impl))
    errors: dict[str, str] = {}
    standins = []
    for name, plugin in source.list_name_plugin():
        if plugin is None:
            continue
        # Registered on the manager directly: the loader has not checked its interface.
        refusal = (
            None
            if name in loader.origins
            else interface_refusal(getattr(plugin, "PLUGIN_INTERFACE", None))
        )
        if refusal is not None:
            errors[name] = refusal
        else:
            standins.append((name, standin(name, plugin, impls.get(name, ()), STAGERS)))
    calling = calls_on.calling(standins)
    registered: dict[str, list[Registration]] = {}
    for hook in REGISTRATION_HOOKS:
        results = getattr(calling.hook, hook)(register=_no_register)
        for result in results if isinstance(results, list) else ():
            if isinstance(result, Registration):
                registered.setdefault(result.plugin, []).append(result)
            elif isinstance(result, Failure) and result.plugin not in errors:
                errors[result.plugin] = f"{hook} raised {result.error}"
                log.debug("%s", result.trace.rstrip())
                if calling.has_plugin(result.plugin):
                    calling.unregister(name=result.plugin)
    found = []
    for name, plugin in source.list_name_plugin():
        if plugin is None:
            continue
        error = errors.get(name)
        staged = None if error else _staged(registered.get(name, ()))
        info = attrs.evolve(
            loader.origins.get(name, PluginInfo(name, "host")),
            kinds=tuple(staged.kinds) if staged else (),
            hooks=tuple(sorted(hook for hook, _ in impls.get(name, ()))),
            error=error,
        )
        found.append(Contribution(info, staged))
    return calling, found + [Contribution(info) for info in loader.failures]


def _staged(records: Iterable[Registration]) -> Registry:
    """What one plugin registered, as a registry of its own."""
    staged = Registry()
    for record in records:
        getattr(staged, REGISTRATION_HOOKS[record.hook]).update(record.things)
    return staged


def call_order(calling: pluggy.PluginManager) -> dict[str, list[str]]:
    """For each registration hook, the plugins in the order pluggy calls their functions (a
    plugin with several, at the first)."""
    order = {}
    for hook in REGISTRATION_HOOKS:
        impls = getattr(calling.hook, hook).get_hookimpls()
        # pluggy calls the implementations it holds from the last to the first.
        called = (i.plugin_name for i in reversed(impls) if not (i.wrapper or i.hookwrapper))
        order[hook] = list(dict.fromkeys(called))
    return order


def assemble(found: Iterable[Contribution], order: Mapping[str, Sequence[str]]) -> Registry:
    """What plugins registered, together: a kind registered by two plugins keeps both names in
    ``kind_plugins``; of the readers, aggregations and formats of one name, the first in the
    ``order`` of its hook (see :func:`call_order`) wins. A plugin named like one before it is
    refused, and gives nothing."""
    registry = Registry()
    staged: dict[str, Registry] = {}
    for item in found:
        info, registered = item.info, item.registered
        if registered is not None and info.name in staged:
            error = f"a plugin named '{info.name}' is already loaded"
            info, registered = attrs.evolve(info, kinds=(), error=error), None
        registry.plugins.append(info)
        if registered is None:
            continue
        staged[info.name] = registered
        registry.plugin_kinds[info.name] = dict(registered.kinds)
        for kind_name, kind in registered.kinds.items():
            registry.kinds.setdefault(kind_name, kind)
            registry.kind_plugins.setdefault(kind_name, []).append(info.name)
    for hook, field in REGISTRATION_HOOKS.items():
        if field == "kinds":
            continue
        together = getattr(registry, field)
        # Plugins outside the order (none, unless a wrapper changed the call) come last.
        names = list(dict.fromkeys([*order.get(hook, ()), *staged]))
        for name in names:
            if name in staged:
                for key, thing in getattr(staged[name], field).items():
                    together.setdefault(key, thing)
    return registry
