"""Errors as a person reads them: one line each, in the user's language, with an exit status;
tracebacks only with ``--debug``."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..printable import printable
from .interrupts import Interrupted, interrupted_cleanly, stop_if_interrupted
from .streams import drop_stdout, hold_closed_streams

# The languages' catalogs are loaded when there is something to say: --version needs none.
if TYPE_CHECKING:
    from ..i18n import Language

__all__ = ["OneLineErrors", "handles_errors", "say", "speak"]


F = TypeVar("F", bound=Callable[..., Any])


def _argv_language(args: Iterable[str]) -> Language:
    """The language asked on the command line, for errors found before options are read."""
    from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, language

    args = list(args)
    for i, arg in enumerate(args):
        value = (
            arg.split("=", 1)[1]
            if arg.startswith("--lang=")
            else (args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        )
        if value in LANGUAGES:
            return language(value)
    return language(DEFAULT_LANGUAGE)


def say(lang: Language, kind: str, text: str) -> None:
    """One line on standard error: ``error: ...`` or ``warning: ...`` in the user's language,
    its control characters escaped (a line break included)."""
    from ..i18n import N_

    templates = {"error": N_("error: {text}"), "warning": N_("warning: {text}")}
    click.echo(printable(lang.gettext(templates[kind], text=text)), err=True)


class OneLineErrors(click.Group):
    """A group whose usage errors are one line (``error: ...``) and exit with status 2."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        hold_closed_streams()
        argv = sys.argv[1:] if args is None else args
        try:
            with interrupted_cleanly():
                result = super().main(args, prog_name, complete_var, False, **extra)
                stop_if_interrupted()
        except Interrupted as stop:
            lang = _argv_language(argv)
            say(lang, "error", lang.gettext("interrupted"))
            sys.exit(stop.status)
        except click.ClickException as error:
            from .usage import usage_message

            lang = _argv_language(argv)
            say(lang, "error", usage_message(error).render(lang.translator()))
            sys.exit(2)
        except click.Abort:
            lang = _argv_language(argv)
            say(lang, "error", lang.gettext("interrupted"))
            sys.exit(2)
        except OSError as error:
            # Commands report their own; this is click's (--help, --version) that failed.
            drop_stdout()
            from ..errors import message, os_reason

            lang = _argv_language(argv)
            text = message("cannot write to standard output: {reason}", reason=os_reason(error))
            say(lang, "error", text.render(lang.translator()))
            sys.exit(2)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


# Where a command keeps the language its errors and warnings are said in.
_VOICE = "vpcp_indicators.language"


def speak(lang: Language) -> None:
    """Say the running command's errors and warnings in ``lang`` from now on: the language
    of its output, once the plan that may choose it has been read."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_VOICE] = lang


def _voice(context: click.Context | None, default: Language) -> Language:
    """The language the command chose to speak in, else ``default``."""
    from ..i18n import Language

    chosen = context.meta.get(_VOICE) if context is not None else None
    return chosen if isinstance(chosen, Language) else default


class LibraryWarnings(logging.Handler):
    """Shows what the library logs as a warning (a plugin's observer that raised, say) as
    one ``warning:`` line in the command's language."""

    def __init__(self, lang: Language, context: click.Context | None):
        super().__init__(logging.WARNING)
        self.lang = lang
        self.context = context

    def emit(self, record: logging.LogRecord) -> None:
        from ..errors import Message

        lang = _voice(self.context, self.lang)
        if isinstance(record.msg, Message):
            text = record.msg.render(lang.translator())
        else:
            text = record.getMessage()
        say(lang, "warning", text)


def _reported(
    command: Callable[..., Any], args: Any, kwargs: Any, lang: Language, debug: bool
) -> Any:
    """Run a command; library errors become one-line messages and an exit status."""
    from ..errors import PlanError, VpcpError
    from ..i18n import N_
    from .usage import usage_message

    try:
        return command(*args, **kwargs)
    except VpcpError as error:
        lang = _voice(click.get_current_context(silent=True), lang)
        stop_if_interrupted(error)
        if debug:
            traceback.print_exc()
        lines = error.lines(lang.translator())
        if isinstance(error, PlanError):
            for line in lines:
                click.echo(printable(line), err=True)
        else:
            for line in lines:
                say(lang, "error", line)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        # Refused by the command itself, once it may have chosen the plan's language.
        lang = _voice(click.get_current_context(silent=True), lang)
        say(lang, "error", usage_message(error).render(lang.translator()))
        sys.exit(2)
    except Exception as error:
        lang = _voice(click.get_current_context(silent=True), lang)
        stop_if_interrupted(error)
        if debug:
            traceback.print_exc()
        from ..errors import Message

        template = (
            N_("internal error: {text}")
            if debug
            else N_("internal error: {text} (run again with --debug for the traceback)")
        )
        # A Message, so that an exception's text, whatever it holds, stays on one line.
        text = Message(template, {"text": f"{type(error).__name__}: {error}"})
        say(lang, "error", text.render(lang.translator()))
        sys.exit(2)


def handles_errors(command: F) -> F:
    """Turn library errors into one-line messages and exit statuses (tracebacks: --debug)."""

    @functools.wraps(command)
    def run(*args: Any, debug: bool, **kwargs: Any) -> Any:
        from ..i18n import DEFAULT_LANGUAGE, language

        lang = language(kwargs.get("lang") or DEFAULT_LANGUAGE)
        if debug:
            logging.basicConfig(level=logging.DEBUG, format="debug: %(message)s", stream=sys.stderr)
            return _reported(command, args, kwargs, lang, debug)
        shown = LibraryWarnings(lang, click.get_current_context(silent=True))
        library = logging.getLogger("vpcp_indicators")
        library.addHandler(shown)
        try:
            return _reported(command, args, kwargs, lang, debug)
        finally:
            library.removeHandler(shown)

    return click.option(
        "--debug", is_flag=True, help="Show tracebacks and which plugin computed what."
    )(run)  # type: ignore[return-value]
