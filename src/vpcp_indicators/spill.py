"""The folders DuckDB spills into beyond its memory limit, and the ones killed runs left.

A run that is killed (SIGKILL, a power cut) cannot remove its folder. So each folder is named
after the process that owns it, ``vpcp-duckdb-<pid>-<random>``, and before a run makes its
own it removes those of the same user whose process is gone. Folders named before the
process id was part of the name (``vpcp-duckdb-<random>``) are removed once a day old.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PREFIX", "remove_stale", "spill_folder"]

PREFIX = "vpcp-duckdb-"
#: The age past which a folder without a process id in its name is taken to be left over.
LEGACY_AGE = 24 * 3600

# tempfile's random part is made of these characters, never of "-".
_OWNED = re.compile(re.escape(PREFIX) + r"([0-9]+)-[a-z0-9_]+")
_LEGACY = re.compile(re.escape(PREFIX) + r"[a-z0-9_]+")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only asks whether the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # it exists, another user's
        pass
    return True


def _stale(name: str, modified: float, now: float) -> bool:
    owned = _OWNED.fullmatch(name)
    if owned:
        return not _alive(int(owned.group(1)))
    return bool(_LEGACY.fullmatch(name)) and now - modified > LEGACY_AGE


def remove_stale(parent: str | Path, now: float | None = None) -> list[Path]:
    """Remove the spill folders in ``parent`` that no living process of this user owns, and
    return them. Only folders of the current user, never a symbolic link, never another
    name; what cannot be removed is left."""
    if os.name != "posix":  # no process ids to ask about without sending a signal
        return []
    now = time.time() if now is None else now
    user = os.getuid()
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            found = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(found.st_mode) or found.st_uid != user:
            continue
        if _stale(entry.name, found.st_mtime, now):
            # rmtree follows no link inside, and refuses a folder swapped for a link.
            shutil.rmtree(entry.path, ignore_errors=True)
            if not os.path.lexists(entry.path):
                removed.append(Path(entry.path))
    return removed


@contextmanager
def spill_folder(parent: str | Path | None = None) -> Iterator[Path]:
    """A new folder ``vpcp-duckdb-<pid>-<random>`` in ``parent`` (the system's temporary
    folder by default), removed on leaving; stale ones are removed before it is made."""
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    remove_stale(where)
    # Named before it is made, and made inside the ``try``: a signal that arrives just after
    # the folder exists (tempfile's mkdtemp runs Python code after making it) still removes it.
    # The name holds this process's id, so a folder already there is one this id left.
    folder = where / f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    try:
        while True:
            try:
                os.mkdir(folder, 0o700)
                break
            except FileExistsError:
                folder = where / f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
