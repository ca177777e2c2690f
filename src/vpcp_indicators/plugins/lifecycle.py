"""Calling the lifecycle hooks: observers told how an evaluation proceeds, which must never
stop it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any

import pluggy

from ..errors import message
from .discovery import error_text, interface_refusal

__all__ = ["notify"]

log = logging.getLogger("vpcp_indicators")


def notify(
    observers: Iterable[pluggy.HookImpl],
    hook: str,
    failed: set[tuple[str, str]],
    **arguments: Any,
) -> None:
    """Call a lifecycle hook on the plugins that implement it (``observers``, the hook's
    implementations among the plugins of the evaluation, in the order they were registered).

    Observers must not stop an evaluation: one that raises is logged, with its name, and the
    others are still called. ``failed`` holds the (plugin, hook) pairs that already failed in
    this evaluation, which are not logged again. Hook wrappers are not called, since there is
    nothing to wrap.
    """
    for impl in observers:
        if impl.hookwrapper or getattr(impl, "wrapper", False):
            continue
        if interface_refusal(getattr(impl.plugin, "PLUGIN_INTERFACE", None)):
            continue  # registered on the manager directly, for an interface not offered
        try:
            impl.function(*[arguments[name] for name in impl.argnames])
        except Exception as error:  # an observer's failure must not stop the evaluation
            if (impl.plugin_name, hook) in failed:
                continue
            failed.add((impl.plugin_name, hook))
            log.warning(
                message(
                    "plugin '{name}': {hook} raised {error} (later failures of this hook are "
                    "not shown)",
                    name=impl.plugin_name,
                    hook=hook,
                    error=error_text(error),
                )
            )
            log.debug("%s", traceback.format_exc().rstrip())
