"""The ``vpcp-indicators`` command: the only module that knows a terminal exists.

Errors raised by the library become one line each on standard error and an exit status:
0 done; 1 done, but an indicator errored or ``--fail-under`` was missed; 2 nothing evaluated
(usage, plan or source error). ``--debug`` shows tracebacks and which plugin computed what.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .engine import Engine

#: Names of entry-point plugins to load, comma-separated; unset loads them all. For tests
#: and debugging: pins the plugin set, as datasette's DATASETTE_LOAD_PLUGINS does.
LOAD_PLUGINS_ENV = "VPCP_INDICATORS_LOAD_PLUGINS"

F = TypeVar("F", bound=Callable[..., Any])


def _engine(plugins_dirs: Iterable[str]) -> Engine:
    from .engine import Engine

    pinned = os.environ.get(LOAD_PLUGINS_ENV)
    entry_points: bool | list[str] = True
    if pinned is not None:
        entry_points = [name.strip() for name in pinned.split(",") if name.strip()]
    return Engine(plugins_dirs=plugins_dirs, entry_points=entry_points)


def _fail(lines: Iterable[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def handles_errors(command: F) -> F:
    """Turn library errors into one-line messages and exit statuses (tracebacks: --debug)."""

    @functools.wraps(command)
    def run(*args: Any, debug: bool, **kwargs: Any) -> Any:
        from .errors import PlanError, VpcpError

        if debug:
            logging.basicConfig(level=logging.DEBUG, format="debug: %(message)s", stream=sys.stderr)
        try:
            return command(*args, **kwargs)
        except VpcpError as error:
            if debug:
                traceback.print_exc()
            prefix = "" if isinstance(error, PlanError) else "error: "
            _fail([prefix + line for line in error.lines()], error.exit_code)
        except click.ClickException:
            raise
        except Exception as error:
            if debug:
                traceback.print_exc()
            hint = "" if debug else " (run again with --debug for the traceback)"
            _fail([f"error: internal error: {type(error).__name__}: {error}{hint}"], 2)

    return click.option(
        "--debug", is_flag=True, help="Show tracebacks and which plugin computed what."
    )(run)  # type: ignore[return-value]


def _plugins_dir_option(command: F) -> F:
    return click.option(
        "--plugins-dir",
        "plugins_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        help="Load the *.py files of this directory as plugins (repeatable).",
    )(command)


def _write(output: str | None, content: str | bytes) -> None:
    """Write the whole output or nothing: a temporary file renamed into place."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise click.FileError(output, error.strerror) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise click.FileError(output, error.strerror) from error
        raise


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vpcp-indicators")
def cli() -> None:
    """Evaluate an IT application plan: indicators, scores and statuses at given dates."""


@cli.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "--as-of",
    "dates",
    multiple=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluation date YYYY-MM-DD (repeatable). Default: today, but not after the plan end.",
)
@click.option(
    "--format",
    "format_name",
    default="table",
    show_default=True,
    help="Output format: table, json, or one a plugin adds.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write to this file (whole or not at all) instead of standard output.",
)
@_plugins_dir_option
@click.option("--strict", is_flag=True, help="Treat data warnings as errors.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Exit with status 1 if the plan score at the latest date is below this.",
)
@handles_errors
def evaluate(
    plan: str,
    dates: tuple[dt.datetime, ...],
    format_name: str,
    output: str | None,
    plugins_dirs: tuple[str, ...],
    strict: bool,
    fail_under: float | None,
) -> None:
    """Evaluate PLAN at one or more dates."""
    from .engine import default_as_of
    from .formats import RenderOptions
    from .loader import load_plan
    from .scoring import ERROR

    engine = _engine(plugins_dirs)
    renderer = engine.format(format_name)
    loaded = load_plan(plan)
    days = [d.date() for d in dates] or [default_as_of(loaded, dt.date.today())]
    report = engine.evaluate(loaded, days, strict=strict)
    _write(output, renderer.render(report, RenderOptions()))
    errored = any(r.status == ERROR for e in report.evaluations for r in e.indicators)
    score = report.latest.score
    missed = fail_under is not None and (score is None or score < fail_under)
    if missed:
        shown = "none" if score is None else f"{score:.1f}"
        click.echo(f"plan score {shown} on {report.latest.as_of} is under {fail_under:g}", err=True)
    if errored or missed:
        sys.exit(1)


@cli.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@_plugins_dir_option
@handles_errors
def validate(plan: str, plugins_dirs: tuple[str, ...]) -> None:
    """Check PLAN and its sources without computing; list every problem."""
    from .errors import PlanError
    from .loader import load_plan

    problems = _engine(plugins_dirs).validate(plan)
    if problems:
        raise PlanError(problems)
    loaded = load_plan(plan)
    click.echo(
        f"{plan}: plan '{loaded.id}' is sound "
        f"({len(loaded.tasks)} tasks, {len(loaded.indicators)} indicators)"
    )


@cli.command()
@_plugins_dir_option
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@handles_errors
def plugins(plugins_dirs: tuple[str, ...], format_name: str) -> None:
    """List the plugins found, where from, their version and the kinds each provides."""
    import attrs

    found = _engine(plugins_dirs).plugins()
    if format_name == "json":
        click.echo(json.dumps([attrs.asdict(p) for p in found], ensure_ascii=False, indent=2))
        return
    for info in found:
        version = f" {info.version}" if info.version else ""
        where = f" ({info.location})" if info.location and info.origin != "builtin" else ""
        click.echo(f"{info.name}{version}  [{info.origin}]{where}")
        if info.kinds:
            click.echo(f"    kinds: {', '.join(info.kinds)}")
        if info.error:
            click.echo(f"    failed: {info.error}")


def main() -> None:
    """Entry point of the ``vpcp-indicators`` command."""
    cli(prog_name="vpcp-indicators")
