"""Where every figure came from, as values: each source's size, time and SHA-256, the plan
file's SHA-256, the versions of vpcp-indicators, of the plugins that computed figures and of
the engine that counted, and the options that decide figures. The engine gathers them
(``engine/provenance.py``); ``verify`` checks a report against them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .cache import sha256_of

__all__ = ["Hasher", "PluginFacts", "Provenance", "SourceFacts", "modified_text"]


def modified_text(mtime_ns: int) -> str:
    """A modification time as ISO 8601 in UTC, to the microsecond."""
    moment = dt.datetime.fromtimestamp(mtime_ns / 1e9, tz=dt.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


@attrs.frozen
class SourceFacts:
    """A source as it was read: ``source`` as the plan writes it (a path, or a database's
    URL with its table or query), and for a file its ``size`` in bytes, its modification
    time (``mtime_ns``, nanoseconds since the epoch, and ``modified``, the same in words)
    and its ``sha256``; None for what a database does not have."""

    source: str
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None

    @property
    def modified(self) -> str | None:
        """The modification time as ISO 8601 in UTC."""
        return None if self.mtime_ns is None else modified_text(self.mtime_ns)

    def to_dict(self) -> dict[str, Any]:
        """The source as the JSON output gives it."""
        return {
            "source": self.source,
            "size": self.size,
            "modified": self.modified,
            "mtime_ns": self.mtime_ns,
            "sha256": self.sha256,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceFacts:
        """The inverse of :meth:`to_dict`."""
        return cls(data["source"], data["size"], data["mtime_ns"], data["sha256"])


@attrs.frozen
class PluginFacts:
    """A plugin that computed figures: its name, its version (None when it states none)
    and the kinds of the plan it provided."""

    name: str
    version: str | None
    kinds: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The plugin as the JSON output gives it."""
        return {"name": self.name, "version": self.version, "kinds": list(self.kinds)}


@attrs.frozen
class Provenance:
    """What an evaluation was made from.

    ``plan_path`` is the plan file, absolute (what ``verify`` reads again: the same however
    the path was written); ``engine`` is what counted (``duckdb`` or ``python``) and
    ``engine_version`` its version (DuckDB's; Python's for the Python engine); ``options``
    the options that decide figures: the asked dates, the grid, the engine.
    """

    version: str
    engine: str
    engine_version: str
    plan_path: str | None
    plan_sha256: str | None
    sources: tuple[SourceFacts, ...]
    plugins: tuple[PluginFacts, ...]
    options: Mapping[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The provenance as the JSON output gives it."""
        return {
            "vpcp_indicators": self.version,
            "engine": {"name": self.engine, "version": self.engine_version},
            "plan": {"path": self.plan_path, "sha256": self.plan_sha256},
            "sources": [s.to_dict() for s in self.sources],
            "plugins": [p.to_dict() for p in self.plugins],
            "options": dict(self.options),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        """The inverse of :meth:`to_dict`."""
        plan = data["plan"]
        return cls(
            version=data["vpcp_indicators"],
            engine=data["engine"]["name"],
            engine_version=data["engine"]["version"],
            plan_path=plan["path"],
            plan_sha256=plan["sha256"],
            sources=tuple(SourceFacts.from_dict(s) for s in data["sources"]),
            plugins=tuple(
                PluginFacts(p["name"], p["version"], tuple(p["kinds"])) for p in data["plugins"]
            ),
            options=data["options"],
        )


class Hasher:
    """The SHA-256 of each file an evaluation reads, found once (thread-safe)."""

    def __init__(self) -> None:
        self._found: dict[Path, str] = {}
        self._lock = threading.Lock()

    def record(self, path: Path, digest: str) -> None:
        """Say what a pass that read every byte of ``path`` found."""
        with self._lock:
            self._found[path] = digest

    def known(self, path: Path) -> str | None:
        """The digest of ``path`` if a pass already found it."""
        with self._lock:
            return self._found.get(path)

    def digest(self, path: Path) -> str | None:
        """The digest of ``path``: as found, else read now (None if it cannot be read)."""
        found = self.known(path)
        if found is not None:
            return found
        try:
            found = sha256_of(path)
        except OSError:
            return None
        self.record(path, found)
        return found
