"""What ``--debug`` tells of the hook calls, through pluggy's hook-call monitoring: for each
call that reaches a plugin, one line per plugin, in the order pluggy called them, saying what
it registered, what it was told, or what it raised::

    register_kinds: e_documents registered e_document_dispatch
    register_source_readers: vpcp_indicators.sources.csv registered csv (.csv)
    register_kinds: broken raised RuntimeError: no kinds today
    indicator_computed(e-documents on 2012-12-31): watcher
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pluggy

from ..printable import printable
from .guards import Failure, Registration

__all__ = ["hook_call_lines", "trace_hook_calls"]


def trace_hook_calls(manager: pluggy.PluginManager, log: logging.Logger) -> Callable[[], None]:
    """Log each hook call of ``manager`` (and of the managers made from it) at DEBUG level on
    ``log``, as :func:`hook_call_lines` tells it; the function returned stops it."""

    def before(hook: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        pass

    def after(
        outcome: pluggy.Result[Any],
        hook: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        if log.isEnabledFor(logging.DEBUG):
            for line in hook_call_lines(outcome, hook, impls, kwargs):
                log.debug("%s", line)

    return manager.add_hookcall_monitoring(before, after)


def hook_call_lines(
    outcome: pluggy.Result[Any],
    hook: str,
    impls: Sequence[pluggy.HookImpl],
    kwargs: Mapping[str, Any],
) -> list[str]:
    """One line per plugin a hook call reached (none if it reached none), as a monitor's
    ``after`` is given the call."""
    said: dict[str, list[str]] = {}
    results = outcome.get_result() if outcome.exception is None else None
    for result in results if isinstance(results, list) else ():
        if isinstance(result, Failure):
            said.setdefault(result.plugin, []).append(f"raised {result.error}")
        elif isinstance(result, Registration):
            said.setdefault(result.plugin, []).append(f"registered {_registered(result)}")
    head = printable(hook + _told(hook, kwargs))
    lines = []
    # pluggy calls the implementations it holds from the last: the wrappers, then the others.
    for impl in reversed(impls):
        what = "; ".join(said.pop(impl.plugin_name, ()))
        if not what and (impl.wrapper or impl.hookwrapper):
            what = "wrapped the call"
        lines.append(f"{head}: {printable(impl.plugin_name)}{' ' + what if what else ''}")
    if outcome.exception is not None:
        lines.append(f"{head}: stopped by {type(outcome.exception).__name__}")
    return lines


def _registered(record: Registration) -> str:
    """What a plugin registered, by name: ``csv (.csv)`` for a reader."""
    if not record.things:
        return "nothing"
    if record.hook == "register_source_readers":
        endings: dict[int, list[str]] = {}
        readers = {}
        for key, reader in record.things:
            endings.setdefault(id(reader), []).append(key)
            readers[id(reader)] = reader
        names = [f"{getattr(r, 'name', '?')} ({', '.join(endings[i])})" for i, r in readers.items()]
    else:
        names = [key for key, _ in record.things]
    return printable(", ".join(str(name) for name in names))


def _told(hook: str, kwargs: Mapping[str, Any]) -> str:
    """The arguments of a lifecycle hook call, in short."""
    try:
        if hook == "evaluation_started":
            dates = kwargs["dates"]
            return f"({kwargs['plan'].id}, {len(dates)} date{'s' if len(dates) != 1 else ''})"
        if hook == "indicator_computed":
            return f"({kwargs['result'].id} on {kwargs['as_of'].isoformat()})"
        if hook == "evaluation_finished":
            return f"({kwargs['report'].plan.id})"
    except (KeyError, AttributeError):  # a host calling a hook itself may pass anything
        pass
    return ""
