"""Calling the lifecycle hooks: observers told how an evaluation proceeds, which must never
stop it."""

from __future__ import annotations

import logging
from typing import Any

import pluggy

from ..errors import message
from .guards import failures

__all__ = ["notify"]

log = logging.getLogger("vpcp_indicators")


def notify(
    calling: pluggy.PluginManager, hook: str, failed: set[tuple[str, str]], **arguments: Any
) -> None:
    """Call a lifecycle hook through pluggy on the plugins of an evaluation (``calling``, the
    manager of their stand-ins: see ``guards``), in pluggy's order, wrappers around the
    others.

    Observers must not stop an evaluation: one that raises is logged, with its name, and the
    others are still called. ``failed`` holds the (plugin, hook) pairs that already failed in
    this evaluation, which are not logged again.
    """
    for failure in failures(getattr(calling.hook, hook)(**arguments)):
        if (failure.plugin, hook) in failed:
            continue
        failed.add((failure.plugin, hook))
        log.warning(
            message(
                "plugin '{name}': {hook} raised {error} (later failures of this hook are "
                "not shown)",
                name=failure.plugin,
                hook=hook,
                error=failure.error,
            )
        )
        if failure.trace:
            log.debug("%s", failure.trace.rstrip())
