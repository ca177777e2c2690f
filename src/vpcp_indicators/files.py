"""Writing output files: whole or not at all, and never over what is not a file.

Where a path leads decides how it is written (:func:`destination`):

- nothing yet, or a regular file: a temporary file in the same folder, renamed into place, so
  that a reader never sees half a file and a failure leaves the old one as it was; an
  existing file keeps its permissions;
- a symbolic link: written through; the file it leads to is replaced as above (or made, if
  the link dangles) and the link stays;
- this process's standard output or error (``/dev/stdout``, or the file it is redirected to):
  written to the stream itself, so that ``>>`` appends as the shell promised;
- a FIFO or a character device (a pipe, a terminal, ``/dev/null``): written directly, in one
  write, with no temporary file, as a shell redirection would;
- anything else (a directory, a socket, a block device), a path whose folder does not exist,
  or one that cannot be looked at is refused with an :class:`OutputError`.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .errors import Message, OutputError, message, os_reason
from .i18n import N_

if TYPE_CHECKING:
    from .plan.model import Plan

__all__ = ["Destination", "destination", "refuse_inputs", "write_whole"]

#: What a path may lead to that is never written, in words.
_REFUSED = {
    stat.S_IFDIR: N_("a directory"),
    stat.S_IFSOCK: N_("a socket"),
    stat.S_IFBLK: N_("a block device"),
}
_SPECIAL = N_("a special file")


@attrs.frozen
class Destination:
    """Where writing a path lands, and how.

    ``how`` is ``replace`` (the regular file ``path``, links followed, replaced whole; ``mode``
    its permissions, None for a new file), ``stream`` (the open descriptor ``stream``: 1 or 2),
    or ``direct`` (the FIFO or character device ``path``, written as it is).
    """

    path: Path
    how: str
    mode: int | None = None
    stream: int | None = None


def _cannot(path: Path, error: OSError) -> OutputError:
    return OutputError("cannot write {path}: {reason}", path=path, reason=os_reason(error))


def _same(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _writable(fd: int) -> bool | None:
    """Whether ``fd`` is open for writing; None where the system cannot say (Windows)."""
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE in (os.O_WRONLY, os.O_RDWR)


def _standard_stream(target: Path, found: os.stat_result) -> int | None:
    """1 or 2 if ``found`` is what standard output or error is open on."""
    for fd in (1, 2):
        try:
            if not _same(os.fstat(fd), found):
                continue
            writable = _writable(fd)
        except OSError:  # closed
            continue
        if writable is None:
            return None
        if not writable:
            # A stream closed when the command started is held open for reading only.
            raise _cannot(target, OSError(errno.EBADF, os.strerror(errno.EBADF)))
        return fd
    return None


def destination(target: str | Path) -> Destination:
    """Where writing ``target`` lands and how, or an :class:`OutputError` saying why it will
    not be written. Nothing is written."""
    target = Path(target)
    try:
        found: os.stat_result | None = target.stat()  # links followed, /proc's too
    except FileNotFoundError:
        found = None
    except OSError as error:  # a link loop, a file where a folder should be, no access
        raise _cannot(target, error) from error
    if found is None:
        # Nothing there, or a link to nothing: the file is made where the path leads.
        real = Path(os.path.realpath(target))
        if not real.parent.is_dir():
            raise OutputError(
                "cannot write {path}: the folder {folder} does not exist",
                path=target,
                folder=real.parent,
            )
        return Destination(real, "replace")
    stream = _standard_stream(target, found)
    if stream is not None:
        return Destination(target, "stream", stream=stream)
    kind = stat.S_IFMT(found.st_mode)
    if kind in (stat.S_IFIFO, stat.S_IFCHR):
        return Destination(target, "direct")
    if kind != stat.S_IFREG:
        what = message(_REFUSED.get(kind, _SPECIAL))
        raise OutputError("will not write {path}: it is {what}", path=target, what=what)
    real = Path(os.path.realpath(target))
    try:
        named = real.stat()
    except OSError:
        named = None
    if named is None or not _same(named, found):
        # A link the system follows to a file no path names (a deleted file behind
        # /proc/PID/fd): it cannot be replaced whole.
        what = message("a file that no path names")
        raise OutputError("will not write {path}: it is {what}", path=target, what=what)
    return Destination(real, "replace", mode=stat.S_IMODE(found.st_mode))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _temporary(folder: Path, name: str, mode: int | None) -> tuple[int, Path]:
    # A new file is made with 0o666 and the system applies the umask, as for a file written
    # in place (reading the umask would change it for every thread). A file that replaces
    # another starts private and gets the other's permissions once written.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        path = folder / f".{name}.{secrets.token_hex(4)}"
        try:
            return os.open(path, flags, 0o666 if mode is None else 0o600), path
        except FileExistsError:
            continue


def _replace(where: Destination, target: Path, data: bytes) -> None:
    try:
        handle, temporary = _temporary(where.path.parent, where.path.name, where.mode)
    except OSError as error:
        raise _cannot(target, error) from error
    try:
        try:
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        if where.mode is not None:
            os.chmod(temporary, where.mode)
        os.replace(temporary, where.path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot(target, error) from error
        raise


def _direct(where: Destination, target: Path, data: bytes) -> None:
    # No O_CREAT: if the FIFO or device went away since it was looked at, nothing is made.
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(where.path, flags)
    except OSError as error:
        raise _cannot(target, error) from error
    try:
        kind = stat.S_IFMT(os.fstat(handle).st_mode)
        if kind not in (stat.S_IFIFO, stat.S_IFCHR):
            raise OutputError("will not write {path}: it changed while it was opened", path=target)
        _write_all(handle, data)
    except OSError as error:
        raise _cannot(target, error) from error
    finally:
        os.close(handle)


def write_whole(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` as :func:`destination` says: a file is replaced whole (a
    link written through), a FIFO, a device or a standard stream is written directly, and
    anything else is refused with an :class:`OutputError`."""
    target = Path(target)
    where = destination(target)
    if where.how == "replace":
        _replace(where, target, data)
    elif where.how == "direct":
        _direct(where, target, data)
    else:
        assert where.stream is not None
        try:
            _write_all(where.stream, data)
        except OSError as error:
            raise _cannot(target, error) from error


def refuse_inputs(target: str | Path, plan: Plan) -> None:
    """Raise an :class:`OutputError` if writing ``target`` would write over the plan file or
    one of its sources: the same path once links are followed, or the same file (device and
    inode) when it exists, a hard link included."""
    target = Path(target)
    inputs: list[tuple[Path, Message]] = []
    if plan.path is not None:
        inputs.append((plan.path, message("the plan file")))
    for indicator in plan.indicators:
        for ref in indicator.sources.values():
            if ref.path is not None:
                what = message("a source of indicator '{id}'", id=indicator.id)
                inputs.append((ref.path, what))
    try:
        found: os.stat_result | None = target.stat()
    except OSError:
        found = None
    real = os.path.realpath(target)
    for path, what in inputs:
        try:
            same = found is not None and _same(found, path.stat())
        except OSError:
            same = False
        if same or real == os.path.realpath(path):
            raise OutputError("will not write {path}: it is {what}", path=target, what=what)
