"""The plugin manager plugins are registered on, and the managers the engine calls hooks on.

An engine's plugins are registered on one :class:`PluginManager`: ``Engine.plugin_manager``,
where pluggy checks them. Hooks are called on managers made from it (:meth:`PluginManager.
calling`), each holding the stand-ins (see ``guards``) of the plugins one evaluation uses, in
the order they were registered: an evaluation keeps the plugins it started with while others
are registered, and a plan's ``plugins_dir`` joins the engine's plugins for that plan only.

So that pluggy's tracing still sees every call, a hook-call monitor added to the manager
(``add_hookcall_monitoring``, or ``enable_tracing``) is added to every manager made from it,
now and later.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pluggy

from .. import hookspecs

__all__ = ["PluginManager"]

Before = Callable[[str, Sequence[pluggy.HookImpl], Mapping[str, Any]], None]
After = Callable[[pluggy.Result[Any], str, Sequence[pluggy.HookImpl], Mapping[str, Any]], None]


class PluginManager(pluggy.PluginManager):
    """pluggy's plugin manager, knowing the hooks of ``hookspecs``, whose hook-call monitors
    also watch the managers made from it with :meth:`calling`."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self._monitors: list[tuple[Before, After]] = []
        # Weak: a manager made for a set of plugins goes when the set goes.
        self._made: weakref.WeakSet[pluggy.PluginManager] = weakref.WeakSet()
        self._watched: weakref.WeakSet[pluggy.PluginManager] = weakref.WeakSet()
        self._monitors_lock = threading.Lock()

    def add_hookcall_monitoring(self, before: Before, after: After) -> Callable[[], None]:
        """pluggy's monitoring (see :meth:`pluggy.PluginManager.add_hookcall_monitoring`), of
        this manager and of every manager made from it, now and later. The function returned
        removes it from all of them."""
        undo_here = super().add_hookcall_monitoring(before, after)
        with self._monitors_lock:
            self._monitors.append((before, after))
            for manager in list(self._made):
                self._watch(manager)

        def undo() -> None:
            undo_here()
            with self._monitors_lock:
                self._monitors.remove((before, after))

        return undo

    def calling(self, plugins: Iterable[tuple[str, object]]) -> pluggy.PluginManager:
        """A manager holding ``plugins`` (``(name, plugin)`` pairs, registered in this order)
        for the engine to call their hooks on, watched by this manager's monitors."""
        manager = pluggy.PluginManager(hookspecs.PROJECT)
        manager.add_hookspecs(hookspecs)
        for name, plugin in plugins:
            manager.register(plugin, name=name)
        with self._monitors_lock:
            self._made.add(manager)
            if self._monitors:
                self._watch(manager)
        return manager

    def _watch(self, manager: pluggy.PluginManager) -> None:
        """Pass the hook calls of a manager made from this one to this one's monitors, whichever
        they are when it calls (once per manager; it keeps no undo, which would keep the
        manager alive)."""
        if manager not in self._watched:
            manager.add_hookcall_monitoring(self._before, self._after)
            self._watched.add(manager)

    # Nested as pluggy nests monitors: the last added sees the call first and its end last.
    def _before(
        self, hook: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]
    ) -> None:
        for before, _ in reversed(self._monitors):
            before(hook, impls, kwargs)

    def _after(
        self,
        outcome: pluggy.Result[Any],
        hook: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        for _, after in list(self._monitors):
            after(outcome, hook, impls, kwargs)
