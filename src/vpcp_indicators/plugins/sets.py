"""The plugins an evaluation uses: the engine's own, and those of the plan's ``plugins_dir``.

An engine's own plugins (built-ins, entry points, its plugins directories, the objects a host
registers) apply to every plan it evaluates. The plugins of a plan's ``plugins_dir`` apply
to that plan only: the directory is imported once, and its modules are registered, with the
engine's plugins, on a plugin manager of their own, so that a kind, a format or an observer a
plan brings never reaches the next plan.

An engine may be shared by threads. What is built lazily (the registry, a plan directory's
plugins) is built under a lock; an evaluation takes a :class:`PluginSet` when it starts and
uses it to the end without the lock, so that a plugin registered meanwhile changes nothing
under it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import attrs
import pluggy

from ..filekinds import directory_problem
from .discovery import Loader, PluginInfo, new_plugin_manager
from .manager import PluginManager
from .registry import Contribution, Registry, assemble, call_order, contributions

__all__ = ["PluginSet", "PluginSets"]


@attrs.frozen
class PluginSet:
    """The plugins of one evaluation: what they registered, and the manager their hooks are
    called on (see ``manager``), which holds them as they were when the set was made."""

    registry: Registry
    #: The stand-ins of the plugins that registered without failing, in the order they were
    #: registered; the lifecycle hooks are called on it.
    calling: pluggy.PluginManager = attrs.field(repr=False)
    #: What each plugin registered, to join sets without calling the plugins again.
    contributions: tuple[Contribution, ...] = attrs.field(default=(), repr=False)

    @classmethod
    def of(cls, loader: Loader, calls_on: PluginManager) -> PluginSet:
        """What the plugins of a loader's manager register, now, called on a manager made by
        ``calls_on``."""
        calling, found = contributions(loader, calls_on)
        return cls(assemble(found, call_order(calling)), calling, tuple(found))

    def joined(self, other: PluginSet, calls_on: PluginManager) -> PluginSet:
        """These plugins, then the other set's; one of those named like one of these is
        refused (see :func:`assemble`), and is not called either."""
        mine = self.calling.list_name_plugin()
        taken = {name for name, _ in mine}
        theirs = [(n, p) for n, p in other.calling.list_name_plugin() if n not in taken]
        calling = calls_on.calling(mine + theirs)
        found = self.contributions + other.contributions
        return PluginSet(assemble(found, call_order(calling)), calling, found)


@attrs.define
class _Directory:
    """A plan's plugins directory: its plugins, imported once, and the set last joined to the
    engine's own plugins."""

    plugins: PluginSet
    built_on: PluginSet | None = None
    joined: PluginSet | None = None


class PluginSets:
    """An engine's plugins: its own, and per plan directory, its own and the directory's."""

    def __init__(self, loader: Loader):
        self.loader = loader
        # Reentrant: a plugin's registration hook, run while a set is built, may ask again.
        self._lock = threading.RLock()
        self._own: PluginSet | None = None
        self._registered: frozenset[int] = frozenset()
        self._engine_dirs: set[Path] = set()
        self._plan_dirs: dict[Path, _Directory] = {}

    @property
    def manager(self) -> PluginManager:
        """The plugin manager of the engine's own plugins."""
        return self.loader.manager

    def register(self, plugin: Any, name: str | None) -> tuple[str, str | None]:
        """Register one of the engine's own plugins; its name (``name``, or one made from the
        plugin's, numbered if taken) and why it was refused, or None."""
        with self._lock:
            if name is None:
                base = getattr(plugin, "__name__", None) or type(plugin).__name__
                name, number = base, 1
                while self.manager.has_plugin(name) or name in self.loader.origins:
                    number += 1
                    name = f"{base}-{number}"
            self._own = None
            return name, self.loader.add(plugin, PluginInfo(name, "host"))

    def load_directory(self, directory: Path) -> None:
        """Make the plugins of a directory the engine's own (once per directory)."""
        resolved = directory.resolve()
        with self._lock:
            if resolved not in self._engine_dirs:
                self._engine_dirs.add(resolved)
                self.loader.directory(directory)
                self._own = None

    def own(self) -> PluginSet:
        """The engine's own plugins."""
        with self._lock:
            # A host may register plugins on the manager directly: notice, and collect again.
            registered = frozenset(id(p) for p in self.manager.get_plugins())
            if self._own is None or registered != self._registered:
                self._own = PluginSet.of(self.loader, self.manager)
                self._registered = registered
            return self._own

    def with_directory(self, directory: Path | None) -> PluginSet:
        """The engine's own plugins and those of a plan's plugins directory (None, or a path
        that is not a directory: the engine's own only)."""
        if directory is None or directory_problem(directory) is not None:
            return self.own()
        resolved = directory.resolve()
        with self._lock:
            own = self.own()
            if resolved in self._engine_dirs:
                return own  # already among the engine's own: not loaded twice
            found = self._plan_dirs.get(resolved)
            if found is None:
                # A manager of the directory's own, that nothing else registers on.
                loader = Loader(new_plugin_manager())
                loader.directory(directory)
                found = self._plan_dirs[resolved] = _Directory(PluginSet.of(loader, self.manager))
            if found.joined is None or found.built_on is not own:
                found.joined, found.built_on = own.joined(found.plugins, self.manager), own
            return found.joined
