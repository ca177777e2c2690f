"""Standard output when it is closed, full or gone.

A command started with standard output closed (``>&-``) or onto a full device (``>
/dev/full``) says so in one line and exits with status 2; one whose reader went away (``|
head``) ends quietly, as command-line tools do.
"""

from __future__ import annotations

import errno
import os
import sys

__all__ = ["READER_GONE", "drop_stdout", "hold_closed_streams", "stdout_is_terminal", "to_stdout"]

#: The exit status of a command whose reader went away: a tool killed by SIGPIPE gets 128 + 13.
READER_GONE = 141


def hold_closed_streams() -> None:
    """Hold descriptors 1 and 2 when the command was started without them (``>&-``).

    Otherwise the next file opened would get the number, and what is meant for standard output
    would go into it. Each is held by the reading end of a pipe of its own, whose writing end
    is closed: a write fails as it would have on the closed stream, and ``--output
    /dev/stdout`` is refused (a path to /dev/null could be opened again for writing).
    """
    for fd in (1, 2):
        try:
            os.fstat(fd)
        except OSError:
            held, other = os.pipe()
            os.close(other)
            if held != fd:
                os.dup2(held, fd)
                os.close(held)


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (not when it is closed)."""
    return sys.stdout is not None and sys.stdout.isatty()


def drop_stdout() -> None:
    """Point standard output at /dev/null once it failed, so that the flush Python makes on
    exit does not fail again and print a traceback."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # closed, or not a file (under a test runner)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def to_stdout(data: bytes) -> None:
    """Write ``data`` to standard output: an :class:`~vpcp_indicators.errors.OutputError` if it
    is closed or cannot take it, a quiet exit with :data:`READER_GONE` if its reader is gone."""
    from ..errors import OutputError, os_reason

    stream = sys.stdout
    if stream is None:
        raise OutputError(
            "cannot write to standard output: {reason}",
            reason=os_reason(OSError(errno.EBADF, os.strerror(errno.EBADF))),
        )
    try:
        stream.flush()
        stream.buffer.write(data)
        stream.flush()
    except BrokenPipeError:
        drop_stdout()
        sys.exit(READER_GONE)
    except OSError as error:
        drop_stdout()
        raise OutputError(
            "cannot write to standard output: {reason}", reason=os_reason(error)
        ) from error
