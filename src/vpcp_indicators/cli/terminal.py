"""What the command line shares: options, one-line errors, the user's language, notices on
standard error, output files, and the progress line of long runs."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Language, language
from ..printable import printable
from .interrupts import Interrupted, interrupted_cleanly, stop_if_interrupted
from .streams import drop_stdout, hold_closed_streams, to_stdout

if TYPE_CHECKING:
    from ..engine import Engine
    from ..evaluation import Report
    from ..plugins.discovery import PluginInfo

__all__ = [
    "LOAD_PLUGINS_ENV",
    "IsoDate",
    "OneLineErrors",
    "Score",
    "engine",
    "handles_errors",
    "lang_option",
    "notices",
    "output_option",
    "plugins_dir_option",
    "say",
    "untrusted_option",
    "write",
]

#: Names of entry-point plugins to load, comma-separated; unset loads them all. For tests
#: and debugging: pins the plugin set, as datasette's DATASETTE_LOAD_PLUGINS does.
LOAD_PLUGINS_ENV = "VPCP_INDICATORS_LOAD_PLUGINS"

F = TypeVar("F", bound=Callable[..., Any])


def _argv_language(args: Iterable[str]) -> Language:
    """The language asked on the command line, for errors found before options are read."""
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
        lang = _argv_language(sys.argv[1:] if args is None else args)
        try:
            with interrupted_cleanly():
                result = super().main(args, prog_name, complete_var, False, **extra)
                stop_if_interrupted()
        except Interrupted as stop:
            say(lang, "error", lang.gettext("interrupted"))
            sys.exit(stop.status)
        except click.ClickException as error:
            say(lang, "error", error.format_message())
            sys.exit(2)
        except click.Abort:
            say(lang, "error", lang.gettext("interrupted"))
            sys.exit(2)
        except OSError as error:
            # Commands report their own; this is click's (--help, --version) that failed.
            drop_stdout()
            reason = error.strerror or str(error)
            text = lang.gettext("cannot write to standard output: {reason}", reason=reason)
            say(lang, "error", text)
            sys.exit(2)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


class IsoDate(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """A date written YYYY-MM-DD, and nothing else."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        from ..sources.checks import parse_date

        day = parse_date(value)
        if day is None:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)
        return day


class Score(click.FloatRange):
    """A score from 0 to 100. ``FloatRange`` lets NaN through (every comparison with it is
    false), and a NaN limit would make every score pass: it is refused too."""

    def __init__(self) -> None:
        super().__init__(0, 100)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number from 0 to 100", param, ctx)
        return number


def engine(plugins_dirs: Iterable[str], trusted: bool = True) -> Engine:
    """An engine with the entry-point plugins (or those the environment pins) and dirs;
    ``trusted=False`` for ``--untrusted``."""
    from ..engine import Engine

    pinned = os.environ.get(LOAD_PLUGINS_ENV)
    entry_points: bool | list[str] = True
    if pinned is not None:
        entry_points = [name.strip() for name in pinned.split(",") if name.strip()]
    return Engine(plugins_dirs=plugins_dirs, entry_points=entry_points, trusted=trusted)


class LibraryWarnings(logging.Handler):
    """Shows what the library logs as a warning (a plugin's observer that raised, say) as
    one ``warning:`` line in the user's language."""

    def __init__(self, lang: Language):
        super().__init__(logging.WARNING)
        self.lang = lang

    def emit(self, record: logging.LogRecord) -> None:
        from ..errors import Message

        if isinstance(record.msg, Message):
            text = record.msg.render(self.lang.translator())
        else:
            text = record.getMessage()
        say(self.lang, "warning", text)


def _reported(
    command: Callable[..., Any], args: Any, kwargs: Any, lang: Language, debug: bool
) -> Any:
    """Run a command; library errors become one-line messages and an exit status."""
    from ..errors import PlanError, VpcpError

    try:
        return command(*args, **kwargs)
    except VpcpError as error:
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
    except click.ClickException:
        raise
    except Exception as error:
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
        lang = language(kwargs.get("lang") or DEFAULT_LANGUAGE)
        if debug:
            logging.basicConfig(level=logging.DEBUG, format="debug: %(message)s", stream=sys.stderr)
            return _reported(command, args, kwargs, lang, debug)
        shown = LibraryWarnings(lang)
        library = logging.getLogger("vpcp_indicators")
        library.addHandler(shown)
        try:
            return _reported(command, args, kwargs, lang, debug)
        finally:
            library.removeHandler(shown)

    return click.option(
        "--debug", is_flag=True, help="Show tracebacks and which plugin computed what."
    )(run)  # type: ignore[return-value]


def plugins_dir_option(command: F) -> F:
    """The ``--plugins-dir`` option."""
    return click.option(
        "--plugins-dir",
        "plugins_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False),
        help="Load the *.py files of this directory as plugins (repeatable).",
    )(command)


def untrusted_option(command: F) -> F:
    """The ``--untrusted`` option, for plans from others."""
    return click.option(
        "--untrusted",
        is_flag=True,
        help="The plan comes from others: run no code of it (its plugins_dir is refused) and "
        "read only regular files inside its folder.",
    )(command)


def output_option(command: F) -> F:
    """The ``--output`` option: a file written whole or not at all."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to this file instead of standard output: a file whole or not at all "
        "(through a link), a pipe or a device directly.",
    )(command)


def lang_option(command: F) -> F:
    """The ``--lang`` option (default: the plan's language, else Vietnamese)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        help="Language of the output: vi or en. Default: the plan's, else vi.",
    )(command)


def memory_limit(ctx: click.Context, param: click.Parameter, value: str) -> str | None:
    """Check a ``--memory-limit`` value."""
    if value.lower() == "none":
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.I):
        raise click.BadParameter(f"{value!r} is not a size like 512MB or 2GB, nor 'none'")
    return value


def write(output: str | None, content: str | bytes) -> None:
    """Write to standard output, or to a file as :func:`vpcp_indicators.files.write_whole`
    does: a file whole or not at all (through a link), a pipe or device directly."""
    # A signal that DuckDB or a plugin took for a failure still stops the command unwritten.
    stop_if_interrupted()
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None or output == "-":
        to_stdout(data)
        return
    from ..files import write_whole

    if sys.stdout is not None:
        # What was printed comes first, should the file be standard output itself.
        sys.stdout.flush()
    write_whole(output, data)


def failed_plugins(plugins: Iterable[PluginInfo], lang: Language) -> None:
    """Name the plugins that failed to load."""
    from ..errors import message

    for info in plugins:
        if info.error:
            text = message(
                "plugin '{name}' failed to load: {error}", name=info.name, error=info.error
            )
            say(lang, "warning", text.render(lang.translator()))


def notices(report: Report, shown: bool, lang: Language) -> None:
    """Tell on standard error what a person must not miss when the output is elsewhere."""
    plan = report.plan
    for evaluation in report.evaluations:
        if not plan.start <= evaluation.as_of <= plan.end:
            text = lang.gettext(
                "{date} is outside the plan period ({start} to {end})",
                date=evaluation.as_of,
                start=plan.start,
                end=plan.end,
            )
            say(lang, "warning", text)
    if shown:
        return
    from ..errors import message

    seen = set()
    translate = lang.translator()
    for evaluation in report.evaluations:
        for result in evaluation.indicators:
            for warning in result.warnings:
                if (result.id, warning) not in seen:
                    seen.add((result.id, warning))
                    said = message("{id}: {text}", id=result.id, text=warning.text())
                    say(lang, "warning", said.render(translate))
            if result.error and evaluation is report.latest:
                failed = message(
                    "{id}: {text}",
                    id=result.id,
                    text=message("plugin failed: {error}", error=result.error),
                )
                say(lang, "warning", failed.render(translate))
