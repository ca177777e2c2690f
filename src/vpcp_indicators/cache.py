"""The tally cache: what a file was reduced to, kept from one evaluation to the next.

An evaluation reads each file into a tally (a row per distinct combination of what a count
needs of it, with the number of file rows behind it, row faults included) and its data
warnings. Neither depends on the evaluation dates, the output format or the language: only
on the file's content, on how it is read (the reading contract, the reader) and on what the
count needs of it (the kind's source, the tally's plan, the kind's plugin and its version).
The cache keeps both under a key made of exactly those, so that evaluating unchanged files
again reads the tallies, not the files.

A file is unchanged when its size, modification time (in nanoseconds), inode, device and
change time are, the test git's index makes; with ``verify``, when its content's SHA-256 is.
Like git, the cache does not trust a file modified less than :data:`RACY_SECONDS` before it
was read: a change in the same tick of the file system's clock leaves its times as they
were. Such a file is read, and not kept.

The cache is a folder of the user's own (mode 0700: never shared between users; a folder
that another user owns or may write is not used), bounded in size: past its limit the
entries used longest ago go first. Entries are written whole (to a temporary name, then
renamed) or not at all; a cache that cannot be written or read is skipped, never an error.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from .messages import message, os_reason

__all__ = [
    "DEFAULT_LIMIT",
    "RACY_SECONDS",
    "USER_CACHE",
    "Cache",
    "Entry",
    "FileState",
    "UserCache",
    "cache_from",
    "canonical",
    "file_state",
    "sha256_of",
]

log = logging.getLogger("vpcp_indicators")

#: The layout of an entry; a new layout is a new folder, and the old one ages out.
LAYOUT = 1
#: What the cache may hold by default.
DEFAULT_LIMIT = 512 * 1024 * 1024
#: A file modified this recently when it is read is not kept (see the module's docstring).
RACY_SECONDS = 1.0


class UserCache(enum.Enum):
    """The type of :data:`USER_CACHE`."""

    USER = "user"


#: ``Engine(cache=USER_CACHE)``, the default: a :class:`Cache` in the user's cache folder.
USER_CACHE = UserCache.USER


def canonical(value: Any) -> Any:
    """``value`` as plain JSON data that is the same in every process: attrs instances as
    their class and fields, sets sorted (their order changes with the hash seed)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if attrs.has(type(value)):
        fields = {
            f.name: canonical(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.eq is not False
        }
        return {"__class__": f"{type(value).__module__}.{type(value).__qualname__}", **fields}
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [canonical(v) for v in value]
        return {"__set__": sorted(items, key=lambda v: json.dumps(v, sort_keys=True))}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (dt.date, Path, Fraction)):
        return {"__class__": type(value).__name__, "value": str(value)}
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    return {"__class__": type(value).__qualname__, "repr": repr(value)}


def key_of(parts: Any) -> str:
    """The cache key of ``parts``: a SHA-256 of their canonical JSON."""
    text = json.dumps(canonical(parts), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen
class FileState:
    """What tells that a file changed: its times, size and place on disk; with ``sha256``,
    its content only."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int
    sha256: str | None = None

    def identity(self) -> dict[str, Any]:
        """The part of a cache key that stands for the file's content."""
        if self.sha256 is not None:
            return {"sha256": self.sha256}
        return {
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "ctime_ns": self.ctime_ns,
            "inode": self.inode,
            "device": self.device,
        }

    def racy(self, read_at_ns: int) -> bool:
        """Whether a change after ``read_at_ns`` might have left these times unchanged."""
        return self.mtime_ns >= read_at_ns - int(RACY_SECONDS * 1e9)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's content, in hex (read in blocks: any size, little memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def file_state(path: Path, verify: bool = False) -> FileState | None:
    """The state of a file now (None if it cannot be looked at); with ``verify``, its
    content is hashed too."""
    try:
        stat = path.stat()
        digest = sha256_of(path) if verify else None
    except OSError:
        return None
    return FileState(
        stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev, digest
    )


@attrs.frozen
class Entry:
    """A tally found in the cache: the Parquet file that holds it, and what was kept with it."""

    table: Path
    meta: Mapping[str, Any]


class Cache:
    """Tallies kept in ``folder``, at most ``limit`` bytes of them."""

    def __init__(self, folder: str | Path, limit: int = DEFAULT_LIMIT):
        self.folder = Path(folder)
        self.limit = limit
        self._usable: bool | None = None

    @classmethod
    def user(cls, limit: int = DEFAULT_LIMIT) -> Cache:
        """The cache in the user's cache folder (platformdirs': ``$XDG_CACHE_HOME`` or
        ``~/.cache`` on Linux)."""
        import platformdirs

        return cls(platformdirs.user_cache_path("vpcp-indicators", appauthor=False), limit)

    def __repr__(self) -> str:
        return f"Cache({str(self.folder)!r}, limit={self.limit})"

    @property
    def _entries(self) -> Path:
        return self.folder / f"tallies-{LAYOUT}"

    def usable(self) -> bool:
        """Whether the folder is the user's own (made, mode 0700, if it is not there)."""
        if self._usable is None:
            self._usable = self._check_folder()
        return self._usable

    def _check_folder(self) -> bool:
        try:
            for folder in (self.folder, self._entries):
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                stat = folder.stat()
                if hasattr(os, "getuid") and stat.st_uid != os.getuid():
                    log.warning(
                        message(
                            "the cache folder {folder} belongs to another user: not used",
                            folder=str(folder),
                        )
                    )
                    return False
                if stat.st_mode & 0o077:
                    folder.chmod(0o700)
        except OSError as error:
            log.warning(
                message(
                    "the cache folder {folder} cannot be used: {reason}",
                    folder=str(self.folder),
                    reason=os_reason(error),
                )
            )
            return False
        return True

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self._entries / key[:2]
        return folder / f"{key}.parquet", folder / f"{key}.json"

    def lookup(self, key: str) -> Entry | None:
        """The entry kept under ``key``, or None; a hit counts as a use."""
        if not self.usable():
            return None
        table, meta = self._paths(key)
        try:
            found = json.loads(meta.read_text("utf-8"))
            if not table.is_file() or not isinstance(found, dict):
                raise ValueError("an entry without its table")
            os.utime(meta)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.debug("cache entry %s not used: %s", key, error)
            self.drop(key)
            return None
        return Entry(table, found)

    def store(
        self, key: str, write_table: Callable[[Path], object], meta: Mapping[str, Any]
    ) -> None:
        """Keep a tally under ``key``: ``write_table(path)`` writes it as Parquet; ``meta``
        (JSON data) is kept beside it. Then the oldest entries go, down to the limit."""
        if not self._entries.is_dir():
            self._usable = None  # removed since it was looked at (a user clearing caches)
        if not self.usable():
            return
        table, info = self._paths(key)
        try:
            table.parent.mkdir(mode=0o700, exist_ok=True)
            with _written(table) as temporary:
                write_table(temporary)
            # The metadata last: an entry is there only once both are.
            with _written(info) as temporary:
                temporary.write_text(json.dumps(meta, sort_keys=True), "utf-8")
        except Exception as error:  # a full disk, say: the evaluation goes on without
            reason = os_reason(error) if isinstance(error, OSError) else str(error).splitlines()[0]
            log.warning(
                message(
                    "a tally could not be kept in the cache folder {folder}: {reason}",
                    folder=str(self.folder),
                    reason=reason,
                )
            )
            return
        self.prune()

    def drop(self, key: str) -> None:
        """Remove the entry kept under ``key``, if any."""
        for path in reversed(self._paths(key)):
            path.unlink(missing_ok=True)

    def size(self) -> int:
        """How many bytes the entries take."""
        return sum(size for _, size, _ in self._listing())

    def _listing(self) -> Iterator[tuple[str, int, int]]:
        """Each entry's key, size and time of last use."""
        for meta in self._entries.glob("*/*.json"):
            table = meta.with_suffix(".parquet")
            try:
                used = meta.stat()
                yield meta.stem, used.st_size + table.stat().st_size, used.st_mtime_ns
            except OSError:
                continue

    def prune(self) -> None:
        """Drop the entries used longest ago until the cache holds at most ``limit`` bytes."""
        entries = sorted(self._listing(), key=lambda e: e[2])
        total = sum(size for _, size, _ in entries)
        for key, size, _ in entries:
            if total <= self.limit:
                break
            self.drop(key)
            total -= size
        # What a stopped run left half-written.
        for left in self._entries.glob("*/.tmp-*"):
            try:
                if left.stat().st_mtime < dt.datetime.now().timestamp() - 3600:
                    left.unlink()
            except OSError:
                continue


def cache_from(value: Cache | str | Path | UserCache | None) -> Cache | None:
    """The cache an ``Engine(cache=...)`` value stands for."""
    if value is USER_CACHE:
        return Cache.user()
    if value is None or isinstance(value, Cache):
        return value
    return Cache(Path(value))


class _written:
    """A temporary file beside ``path`` that becomes ``path`` once written whole."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        os.close(handle)
        self.temporary = Path(name)
        # DuckDB's COPY will not write over a file it did not make.
        self.temporary.unlink()
        return self.temporary

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            os.replace(self.temporary, self.path)
        else:
            self.temporary.unlink(missing_ok=True)
