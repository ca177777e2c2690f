"""What is at a path a plan names: a regular file, a directory, or something else.

A plan file, a source and a plugins directory are looked at with ``os.stat`` before anything
opens them, so that a directory, a FIFO (opening it for reading would wait for a writer
forever), a device (``/dev/zero`` never ends) or a symbolic link loop is refused with one
clear line in bounded time, instead of blocking, filling memory or being called "not found".
"""

from __future__ import annotations

import errno
import os
import stat

import attrs

from .errors import Message, VpcpError, message, os_reason
from .i18n import N_

__all__ = ["FileProblem", "PathKind", "directory_problem", "file_problem", "read_file", "what_is"]

# What a path holds, when it is neither a regular file nor a directory.
_SPECIAL = {
    stat.S_IFIFO: N_("a FIFO"),
    stat.S_IFCHR: N_("a character device"),
    stat.S_IFBLK: N_("a block device"),
    stat.S_IFSOCK: N_("a socket"),
}
_OTHER = N_("a special file")
# Why a path could not be looked at, for the errors a plan can cause.
_UNREACHABLE = {
    errno.ENOENT: N_("not found"),
    errno.ENOTDIR: N_("not found (a part of its path is not a directory)"),
    errno.ELOOP: N_("too many levels of symbolic links"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
}


@attrs.frozen
class PathKind:
    """What is at a path: ``kind`` is ``file``, ``directory`` or ``special`` (then ``what``
    says which), or ``unreachable`` (then ``what`` says why)."""

    kind: str
    what: Message | None = None


def what_is(path: str | os.PathLike[str]) -> PathKind:
    """What is at ``path``, following symbolic links; never raises."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:  # a NUL character in the name
        return PathKind("unreachable", message("not a valid file name"))
    except OSError as error:
        if error.errno == errno.ENOENT and os.path.islink(path):
            return PathKind("unreachable", message("is a symbolic link to nothing"))
        if error.errno in _UNREACHABLE:
            return PathKind("unreachable", message(_UNREACHABLE[error.errno]))
        return PathKind("unreachable", message("cannot be read: {reason}", reason=os_reason(error)))
    return _kind_of(mode)


def _kind_of(mode: int) -> PathKind:
    if stat.S_ISREG(mode):
        return PathKind("file")
    if stat.S_ISDIR(mode):
        return PathKind("directory")
    return PathKind("special", message(_SPECIAL.get(stat.S_IFMT(mode), _OTHER)))


def file_problem(path: str | os.PathLike[str]) -> Message | None:
    """Why ``path`` cannot be read as a regular file (None when it can be opened as one)."""
    return _not_a_file(what_is(path))


def _not_a_file(found: PathKind) -> Message | None:
    if found.kind == "file":
        return None
    if found.kind == "directory":
        return message("is a directory")
    if found.kind == "special":
        return message("is not a regular file ({kind})", kind=found.what)
    return found.what


def directory_problem(path: str | os.PathLike[str]) -> Message | None:
    """Why ``path`` is not a directory (None when it is one)."""
    found = what_is(path)
    if found.kind == "directory":
        return None
    if found.kind == "file":
        return message("is not a directory (a regular file)")
    if found.kind == "special":
        return message("is not a directory ({kind})", kind=found.what)
    return found.what


class FileProblem(VpcpError):
    """A file cannot be read: ``reason`` says why, as a phrase to put after its name."""

    def __init__(self, reason: Message):
        self.reason = reason
        super().__init__(reason)


def read_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``; :class:`FileProblem` if it is not one, or
    cannot be read, or holds more than ``limit`` bytes.

    The file is opened without waiting (a FIFO put in its place after the check does not
    block) and looked at again once open; at most ``limit + 1`` bytes are ever read, so a
    file that grows, or a ``/proc`` file that says it is empty, cannot fill memory.
    """
    problem = file_problem(path)
    if problem is not None:
        raise FileProblem(problem)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise FileProblem(_reason(error)) from error
    try:
        # The path may have been replaced since it was looked at: look at what was opened.
        replaced = _not_a_file(_kind_of(os.fstat(handle).st_mode))
        if replaced is not None:
            raise FileProblem(replaced)
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise FileProblem(_reason(error)) from error
    finally:
        os.close(handle)
    if size > limit:
        raise FileProblem(message("is too large (more than {size})", size=_size(limit)))
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count // 2**20} MB" if count % 2**20 == 0 else f"{count} bytes"


def _reason(error: OSError) -> Message:
    if error.errno in _UNREACHABLE:
        return message(_UNREACHABLE[error.errno])
    return message("cannot be read: {reason}", reason=os_reason(error))
