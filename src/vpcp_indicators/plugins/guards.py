"""Hook implementations called so that a failure stays with the plugin that failed.

pluggy stops a hook call at the first implementation that raises, and a wrapper sees that
exception instead of the others' results. The engine must go on with the other plugins and
name the one that failed. So the engine never calls a plugin's functions as they are: it
calls a stand-in of each plugin (:func:`standin`) whose hook implementations are guards,
with the same names, arguments and options (``tryfirst``, ``trylast``, ``wrapper``,
``hookwrapper``), registered on a plugin manager of their own. pluggy orders and calls them
as it would the plugin, wrappers around the others, each call seen by its hook-call
monitors; a guard catches what its function raises and returns, as that implementation's
result, a :class:`Failure` naming the plugin. So a wrapper, and a monitor, see every failure
in the hook's result, where pluggy would have shown them one exception.

An interrupt (``KeyboardInterrupt``, ``SystemExit``) is not caught: it goes through the
wrappers and stops the run, as in any pluggy call.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any

import attrs
import pluggy

from ..hookspecs import PROJECT
from .discovery import error_text

__all__ = ["Failure", "Registration", "Stager", "failures", "standin"]

#: How a registration hook's ``register`` is made for one call: given the list to fill with
#: ``(key, thing)`` pairs, the ``register`` callable a plugin's function receives.
Stager = Callable[[list[tuple[str, Any]]], Callable[..., None]]


@attrs.frozen
class Failure:
    """A hook implementation that raised, or a wrapper that broke pluggy's protocol."""

    plugin: str
    hook: str
    #: ``RuntimeError: no kinds today``: the exception's type and text.
    error: str
    #: The traceback, for ``--debug``.
    trace: str = attrs.field(default="", repr=False)


@attrs.frozen
class Registration:
    """What one plugin's function registered in one call of a registration hook: ``(key,
    thing)`` pairs, the key being what the thing is found by (a name, a file ending)."""

    plugin: str
    hook: str
    things: tuple[tuple[str, Any], ...]


def failures(results: object) -> list[Failure]:
    """The failures among a hook call's results (a wrapper may have made them anything)."""
    return [r for r in results if isinstance(r, Failure)] if isinstance(results, list) else []


def standin(
    name: str,
    original: object,
    impls: Sequence[tuple[str, pluggy.HookImpl]],
    stagers: Mapping[str, Stager],
) -> object:
    """A stand-in of the plugin ``original``, registered as ``name``, whose implementations
    are ``impls`` (``(hook, implementation)`` pairs, in the order its manager holds them): an
    object with one guard per implementation, marked with the same options, for a manager of
    the same project. Its ``plugin`` is the original (a monitor sees the stand-in).

    A registration hook's guard (one with a stager) gives the function a ``register`` of its
    own and returns a :class:`Registration` of what it registered.
    """
    plugin = _Standin(name, original)
    counts: dict[str, int] = {}
    for hook, impl in impls:
        # The first implementation of a hook is named after it, as in a plugin written by
        # hand (pluggy's subset_hook_caller looks for that name); more are numbered, in order.
        number = counts[hook] = counts.get(hook, -1) + 1
        attribute = hook if number == 0 else f"{hook}__{number:04d}"
        guard = _guard(impl, name, hook, stagers.get(hook))
        # The options pluggy reads, as @hookimpl sets them (a copy: pluggy fills in defaults).
        setattr(guard, f"{PROJECT}_impl", dict(impl.opts, specname=hook))
        setattr(plugin, attribute, guard)
    return plugin


class _Standin:
    """A plugin as the engine calls it: ``plugin`` guarded."""

    def __init__(self, name: str, plugin: object):
        self.standin_for = name
        self.plugin = plugin

    def __dir__(self) -> list[str]:
        # pluggy looks for hook implementations among these names: only the guards, so that
        # registering hundreds of stand-ins does not look at every attribute of an object.
        return [name for name in vars(self) if name not in ("standin_for", "plugin")]

    def __repr__(self) -> str:
        return f"<plugin {self.standin_for!r}, guarded>"


def _guard(
    impl: pluggy.HookImpl, plugin: str, hook: str, stager: Stager | None
) -> Callable[..., Any]:
    if impl.opts.get("wrapper"):
        return _wrapper(impl.function, plugin, hook)
    if impl.opts.get("hookwrapper"):
        return _old_style_wrapper(impl.function, plugin, hook)
    return _plain(impl.function, plugin, hook, stager)


def _failure(plugin: str, hook: str, error: BaseException) -> Failure:
    return Failure(plugin, hook, error_text(error), traceback.format_exc())


def _with(result: object, failure: Failure) -> object:
    """A wrapper's result with its own failure added (if it is still a list of results)."""
    return [*result, failure] if isinstance(result, list) else result


def _plain(
    function: Callable[..., Any], plugin: str, hook: str, stager: Stager | None
) -> Callable[..., Any]:
    @functools.wraps(function)
    def guard(*args: Any) -> Any:
        try:
            if stager is None:
                return function(*args)
            things: list[tuple[str, Any]] = []
            # A registration hook has one argument, register: the plugin gets one of its own.
            function(*[stager(things) for _ in args])
            return Registration(plugin, hook, tuple(things))
        except Exception as error:  # a plugin's failure must not reach the others
            return _failure(plugin, hook, error)

    return guard


def _wrapper(function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    """A guard for a new-style wrapper (``wrapper=True``): a generator that yields once and
    returns the result."""

    @functools.wraps(function)
    def guard(*args: Any) -> Generator[None, Any, Any]:
        try:
            teardown = function(*args)
            next(teardown)
        except StopIteration:
            return _with((yield), _broken(plugin, hook, "did not yield"))
        except Exception as error:  # setting up failed: the call goes on without it
            return _with((yield), _failure(plugin, hook, error))
        try:
            result = yield
        except BaseException as interrupt:  # only interrupts come through the guards within
            try:
                teardown.throw(interrupt)
            except StopIteration as stop:
                return stop.value
            teardown.close()
            raise
        try:
            teardown.send(result)
        except StopIteration as stop:
            return stop.value
        except Exception as error:
            return _with(result, _failure(plugin, hook, error))
        teardown.close()
        return _with(result, _broken(plugin, hook, "yielded twice"))

    return guard


def _old_style_wrapper(function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    """A guard for an old-style wrapper (``hookwrapper=True``): a generator that yields once
    and is sent a :class:`pluggy.Result`."""

    def add(outcome: pluggy.Result[Any], failure: Failure) -> None:
        if outcome.exception is None:
            outcome.force_result(_with(outcome.get_result(), failure))

    @functools.wraps(function)
    def guard(*args: Any) -> Generator[None, pluggy.Result[Any], None]:
        try:
            teardown = function(*args)
            next(teardown)
        except StopIteration:
            add((yield), _broken(plugin, hook, "did not yield"))
            return
        except Exception as error:
            add((yield), _failure(plugin, hook, error))
            return
        outcome = yield
        try:
            teardown.send(outcome)
        except StopIteration:
            return
        except Exception as error:
            add(outcome, _failure(plugin, hook, error))
            return
        teardown.close()
        add(outcome, _broken(plugin, hook, "yielded twice"))

    return guard


def _broken(plugin: str, hook: str, what: str) -> Failure:
    """A wrapper that did not keep pluggy's protocol (one ``yield``), told as pluggy would."""
    return Failure(plugin, hook, error_text(RuntimeError(f"the wrapper {what}")))
