"""Writing output files whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["write_whole"]


def _mode_for(target: Path) -> int:
    """The permissions the file would get if written in place: its own, or the umask's."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_whole(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file renamed into place, so that a
    reader never sees half a file and a failure leaves the old file as it was."""
    target = Path(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise OutputError(
            "cannot write {path}: {reason}", path=target, reason=error.strerror
        ) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(
                "cannot write {path}: {reason}", path=target, reason=error.strerror
            ) from error
        raise
