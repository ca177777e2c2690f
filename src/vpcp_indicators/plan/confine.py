"""What a plan from others may use: regular files inside its own folder, and no code.

An engine made with ``trusted=False`` refuses a plan's ``plugins_dir`` (importing it would run
the plan's code) and every source that does not resolve, links followed, to a regular file
inside the plan's folder. What a path is comes from ``os.stat``: nothing is opened, so a named
pipe or a device never blocks the check or feeds it. The refusals name the plan key and what
is wrong with the path, never what the file holds nor where a link leads.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from pathlib import Path, PurePath

from ..errors import Message, message, os_reason
from .locations import Path as KeyPath
from .model import Plan
from .sourceref import SourceRef

__all__ = ["plan_refusals", "source_refusal"]

#: File systems that show the system's state as files: never a source of records.
_SYSTEM = ("/proc", "/sys", "/dev")

#: Characters that make a path a pattern for DuckDB's readers.
_PATTERN = "*?["

#: What a path that exists is, when it is not a regular file.
_KINDS = (
    (stat.S_ISDIR, message("a directory")),
    (stat.S_ISFIFO, message("a named pipe")),
    (stat.S_ISCHR, message("a device")),
    (stat.S_ISBLK, message("a device")),
    (stat.S_ISSOCK, message("a socket")),
)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


@functools.cache
def _system_devices() -> frozenset[int]:
    """The devices of /proc and /sys: a link or a mount may show them under another name."""
    devices = set()
    for root in _SYSTEM[:2]:  # /dev is an ordinary file system on some systems
        try:
            devices.add(os.stat(root).st_dev)
        except OSError:
            continue
    return frozenset(devices)


def source_refusal(path: Path, written: str, folder: Path | None) -> Message | None:
    """Why a plan that is not trusted may not read the source ``path`` (``written`` as the plan
    wrote it) of a plan in ``folder`` (None: a plan that was not read from a file), or None
    if it may. A path that leads nowhere is not refused here: it is a file not found."""
    if folder is None:
        return message("an untrusted plan must be read from a file: it reads only its folder")
    written_path = PurePath(written)
    if written_path.is_absolute():
        return _outside(message("the path is absolute"))
    if ".." in written_path.parts:
        return _outside(message("the path goes up (..)"))
    if any(c in _PATTERN for c in str(path)):
        # DuckDB reads such a path as a pattern, and would read every file it matches,
        # links leading out of the folder among them.
        return message("an untrusted plan names each file it reads: no *, ? or [ in its paths")
    # Links followed: a link inside the folder to a file outside it is outside it.
    real, root = os.path.realpath(path), os.path.realpath(folder)
    if not _inside(real, root):
        return _outside(message("the path leads out of the folder"))
    try:
        found = os.stat(real)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        return message("the path cannot be followed: {reason}", reason=os_reason(error))
    for test, kind in _KINDS:
        if test(found.st_mode):
            return message("an untrusted plan reads only regular files, not {kind}", kind=kind)
    if not stat.S_ISREG(found.st_mode):
        return message("an untrusted plan reads only regular files")
    if found.st_dev in _system_devices() or any(_inside(real, s) for s in _SYSTEM):
        return message("an untrusted plan reads no file of the system (/proc, /sys, /dev)")
    return None


def _outside(why: Message) -> Message:
    return message("an untrusted plan reads only files inside its folder: {why}", why=why)


def _ref_refusal(ref: SourceRef, folder: Path | None) -> Message | None:
    """Why a plan from others may not read a source: a database is out of its reach (a
    ``sqlite:`` file is a file), a file as :func:`source_refusal` says."""
    if ref.path is None or (ref.url is not None and ref.scheme != "sqlite"):
        return message("an untrusted plan reads only files inside its folder, not a database")
    written = ref.written if isinstance(ref.written, str) else None
    if written is None:
        url = ref.url.split(":", 1)[1] if ref.url is not None else None
        written = url if url is not None else str(ref.written.get("path", ref.path))
    return source_refusal(ref.path, written, folder)


def plan_refusals(plan: Plan) -> dict[KeyPath, Message]:
    """What a plan that is not trusted may not use, by key: its ``plugins_dir``, and each
    source that is not a regular file inside its folder."""
    refusals: dict[KeyPath, Message] = {}
    if plan.plugins_dir is not None:
        refusals["plan", "plugins_dir"] = message(
            "an untrusted plan runs no code: its plugins_dir is refused"
        )
    folder = None if plan.path is None else plan.path.parent
    for indicator in plan.indicators:
        for name, ref in indicator.sources.items():
            refused = _ref_refusal(ref, folder)
            if refused is not None:
                refusals["indicators", indicator.id, "sources", name] = refused
    return refusals
