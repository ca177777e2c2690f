"""A clean end on SIGTERM (a service manager, ``timeout``) and on Ctrl-C (SIGINT).

The signal becomes an exception in the main thread, so that every ``finally`` block and
context manager runs (the output's temporary file and DuckDB's spill folder are removed);
the command then says ``error: interrupted`` and exits with 128 + the signal's number (143
for SIGTERM, 130 for SIGINT), as a shell reports a process the signal ended. A second signal
while it cleans up ends it at once.

DuckDB asks for signals while it runs a query and turns the exception raised into its own
"Query interrupted" error, which a plugin or the library may take for a failure and carry
on: so the signal is also remembered, and :func:`stop_if_interrupted` raises it again where
the command would otherwise report that failure or write its output.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["Interrupted", "interrupted_cleanly", "stop_if_interrupted"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: The signal that arrived during the command, if one did.
_received: list[int] = []


class Interrupted(BaseException):
    """A signal asked the command to stop. Not an :class:`Exception`, so that no ``except
    Exception`` of the library or a plugin takes it for a failure to report and carry on."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.status = 128 + signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    for each in _SIGNALS:
        signal.signal(each, signal.SIG_DFL)
    _received.append(signum)
    raise Interrupted(signum)


def stop_if_interrupted(cause: BaseException | None = None) -> None:
    """Raise :class:`Interrupted` again if a signal arrived (``cause``: the error it became)."""
    if _received:
        raise Interrupted(_received[0]) from cause


@contextmanager
def interrupted_cleanly() -> Iterator[None]:
    """Within, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread; the previous
    handlers are put back on leaving. Elsewhere than in the main thread (a host running the
    command in a thread), signals are left as they are."""
    _received.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {each: signal.signal(each, _interrupt) for each in _SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)
