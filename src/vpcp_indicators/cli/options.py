"""The options the commands share, and the engine they are run with."""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import message
from ..i18n import LANGUAGES
from ..windows import PERIODS
from .commands import LOAD_PLUGINS_ENV
from .usage import Refused

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = [
    "ENGINES",
    "LOAD_PLUGINS_ENV",
    "IsoDate",
    "Score",
    "engine",
    "engine_option",
    "grid_option",
    "lang_option",
    "memory_limit",
    "output_option",
    "plugins_dir_option",
    "table_or_json",
    "untrusted_option",
]


F = TypeVar("F", bound=Callable[..., Any])


class IsoDate(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """A date written YYYY-MM-DD, and nothing else."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        from ..sources.checks import parse_date

        day = parse_date(value)
        if day is None:
            why = message("'{value}' is not a date written YYYY-MM-DD", value=value)
            raise Refused(why, ctx, param)
        return day


class Score(click.FloatRange):
    """A score from 0 to 100. ``FloatRange`` lets NaN through (every comparison with it is
    false), and a NaN limit would make every score pass: it is refused too."""

    def __init__(self) -> None:
        super().__init__(0, 100)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            why = message("'{value}' is not a number from 0 to 100", value=value)
            raise Refused(why, ctx, param)
        return number


def engine(plugins_dirs: Iterable[str], trusted: bool = True, cached: bool = True) -> Engine:
    """An engine with the entry-point plugins (or those the environment pins) and dirs;
    ``trusted=False`` for ``--untrusted``, ``cached=False`` for ``--no-cache``. Under
    ``--debug`` (the library's log shows debug lines), its hook calls are logged too."""
    from ..cache import USER_CACHE
    from ..engine import Engine
    from ..plugins.tracing import trace_hook_calls

    pinned = os.environ.get(LOAD_PLUGINS_ENV)
    entry_points: bool | list[str] = True
    if pinned is not None:
        entry_points = [name.strip() for name in pinned.split(",") if name.strip()]
    made = Engine(
        plugins_dirs=plugins_dirs,
        entry_points=entry_points,
        trusted=trusted,
        cache=USER_CACHE if cached else None,
    )
    # Before any hook is called: the engine calls the registration hooks when first asked.
    log = logging.getLogger("vpcp_indicators")
    if log.isEnabledFor(logging.DEBUG):
        trace_hook_calls(made.plugin_manager, log)
    return made


def plugins_dir_option(command: F) -> F:
    """The ``--plugins-dir`` option."""
    return click.option(
        "--plugins-dir",
        "plugins_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False),
        help="Load the *.py files of this directory as plugins (repeatable).",
    )(command)


def cache_options(command: F) -> F:
    """The ``--no-cache`` and ``--verify-sources`` options."""
    command = click.option(
        "--verify-sources",
        is_flag=True,
        help="Take a file's tally from the cache only if its content is unchanged (hashed), "
        "whatever its times say.",
    )(command)
    return click.option(
        "--no-cache",
        "no_cache",
        is_flag=True,
        help="Read every file, and keep nothing in the cache.",
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
        why = message("'{value}' is not a size like 512MB or 2GB, nor 'none'", value=value)
        raise Refused(why, ctx, param)
    return value


ENGINES = click.Choice(["auto", "python", "duckdb"])


def engine_option(help_text: str) -> Callable[[F], F]:
    """The ``--engine`` option, with the help its command needs."""
    return click.option(
        "--engine", "backend", type=ENGINES, default="auto", show_default=True, help=help_text
    )


grid_option = click.option(
    "--grid",
    type=click.Choice(PERIODS),
    help="Also look for milestones met late at every end of a month, quarter or year "
    "(besides the asked and target dates).",
)


def table_or_json(help: str = "A table for people, or JSON for tools.") -> Callable[[F], F]:
    """``--format table|json``, for the commands whose output is a table or its JSON."""
    return click.option(
        "--format",
        "format_name",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help=help,
    )
