"""The ``vpcp-indicators`` command: the only package that knows a terminal exists.

Errors raised by the library become one line each on standard error and an exit status:
0 done; 1 done, but an indicator errored or ``--fail-under`` was missed; 2 nothing evaluated
(usage, plan or source error). ``--debug`` shows tracebacks and which plugin computed what.
"""

from __future__ import annotations

from .commands import LOAD_PLUGINS_ENV, cli

__all__ = ["LOAD_PLUGINS_ENV", "cli", "main"]


def main() -> None:
    """Entry point of the ``vpcp-indicators`` command."""
    cli(prog_name="vpcp-indicators")
