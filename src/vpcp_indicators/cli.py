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
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .engine import Engine
    from .evaluation import Report
    from .plugins import Registry

#: Names of entry-point plugins to load, comma-separated; unset loads them all. For tests
#: and debugging: pins the plugin set, as datasette's DATASETTE_LOAD_PLUGINS does.
LOAD_PLUGINS_ENV = "VPCP_INDICATORS_LOAD_PLUGINS"

F = TypeVar("F", bound=Callable[..., Any])


class _OneLineErrors(click.Group):
    """A group whose usage errors are one line (``error: ...``) and exit with status 2."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:
            click.echo(f"error: {error.format_message()}", err=True)
            sys.exit(2)
        except click.Abort:
            click.echo("error: interrupted", err=True)
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
        from .records import parse_date

        day = parse_date(value)
        if day is None:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)
        return day


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
        type=click.Path(exists=True, file_okay=False),
        help="Load the *.py files of this directory as plugins (repeatable).",
    )(command)


def _memory_limit(ctx: click.Context, param: click.Parameter, value: str) -> str | None:
    if value.lower() == "none":
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.I):
        raise click.BadParameter(f"{value!r} is not a size like 512MB or 2GB, nor 'none'")
    return value


def _write(output: str | None, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from .files import write_whole

    write_whole(output, data)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _failed_plugins(engine: Engine) -> None:
    for info in engine.plugins():
        if info.error:
            click.echo(f"warning: plugin '{info.name}' failed to load: {info.error}", err=True)


def _notices(report: Report, shown: bool) -> None:
    """Tell on standard error what a person must not miss when the output is elsewhere."""
    plan = report.plan
    for evaluation in report.evaluations:
        if not plan.start <= evaluation.as_of <= plan.end:
            click.echo(
                f"warning: {evaluation.as_of} is outside the plan period ({plan.start} to "
                f"{plan.end})",
                err=True,
            )
    if shown:
        return
    seen = set()
    for evaluation in report.evaluations:
        for result in evaluation.indicators:
            for warning in result.warnings:
                if (result.id, warning) not in seen:
                    seen.add((result.id, warning))
                    click.echo(f"warning: {result.id}: {warning.message}", err=True)
            if result.error and evaluation is report.latest:
                click.echo(f"warning: {result.id}: plugin failed: {result.error}", err=True)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vpcp-indicators")
def cli() -> None:
    """Evaluate an IT application plan: indicators, scores and statuses at given dates."""


@cli.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "--as-of",
    "dates",
    multiple=True,
    type=IsoDate(),
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
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (whole or not at all) instead of standard output.",
)
@_plugins_dir_option
@click.option(
    "--engine",
    "backend",
    type=click.Choice(["auto", "python", "duckdb"]),
    default="auto",
    show_default=True,
    help="What counts: DuckDB (auto) or pure Python; both give the same figures.",
)
@click.option(
    "--memory-limit",
    default="256MB",
    show_default=True,
    callback=_memory_limit,
    help="Memory the DuckDB engine may take (it spills to disk beyond it), or 'none'.",
)
@click.option("--strict", is_flag=True, help="Treat data warnings as errors.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Exit with status 1 if the plan score at the latest date is below this.",
)
@handles_errors
def evaluate(
    plan: str,
    dates: tuple[dt.date, ...],
    format_name: str,
    output: str | None,
    plugins_dirs: tuple[str, ...],
    backend: str,
    memory_limit: str | None,
    strict: bool,
    fail_under: float | None,
) -> None:
    """Evaluate PLAN at one or more dates."""
    from .engine import default_as_of
    from .formats import RenderOptions
    from .loader import load_plan
    from .scoring import ERROR

    engine = _engine(plugins_dirs)
    engine.memory_limit = memory_limit
    renderer = engine.format(format_name)
    if output not in (None, "-") and not os.path.isdir(os.path.dirname(output) or "."):
        raise click.BadParameter(f"no directory {os.path.dirname(output)!r}", param_hint="--output")
    loaded = load_plan(plan)
    days = list(dates) or [default_as_of(loaded, dt.date.today())]
    report = engine.evaluate(loaded, days, strict=strict, backend=backend)
    _write(output, renderer.render(report, RenderOptions()))
    _failed_plugins(engine)
    _notices(report, shown=format_name == "table" and output in (None, "-"))
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

    engine = _engine(plugins_dirs)
    problems = engine.validate(plan)
    _failed_plugins(engine)
    if problems:
        raise PlanError(problems)
    loaded = load_plan(plan)
    counts = f"{_plural(len(loaded.tasks), 'task')}, {_plural(len(loaded.indicators), 'indicator')}"
    click.echo(f"{plan}: plan '{loaded.id}' is sound ({counts})")


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@click.argument("target", type=click.Path(dir_okay=False))
@handles_errors
def convert(source: str, target: str) -> None:
    """Convert a CSV SOURCE to the Parquet file TARGET, every value kept as written."""
    from .convert import csv_to_parquet

    if not target.endswith(".parquet"):
        raise click.BadParameter("the target must end in .parquet", param_hint="TARGET")
    count = csv_to_parquet(source, target)
    click.echo(f"{target}: {count} records", err=True)


def _kind_details(registry: Registry, name: str) -> dict[str, Any]:
    import attrs

    kind = registry.kinds[name]
    return {
        "name": kind.name,
        "title": kind.title,
        "unit": kind.unit,
        "windows": list(kind.windows),
        "default_window": kind.default_window,
        "params": [
            attrs.asdict(
                p, value_serializer=lambda _i, _a, v: list(v) if isinstance(v, tuple) else v
            )
            for p in kind.params
        ],
        "sources": [
            {"name": s.name, "columns": [attrs.asdict(c) for c in s.columns]} for s in kind.sources
        ],
    }


@cli.command()
@click.argument("plan", required=False, type=click.Path(dir_okay=False))
@_plugins_dir_option
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@handles_errors
def plugins(plan: str | None, plugins_dirs: tuple[str, ...], format_name: str) -> None:
    """List the plugins found (with a PLAN, its plugins_dir too): where from, their version,
    and the kinds each provides with their parameters and source columns."""
    import attrs

    engine = _engine(plugins_dirs)
    if plan is not None:
        from .loader import load_plan

        loaded = load_plan(plan)
        if loaded.plugins_dir is not None and loaded.plugins_dir.is_dir():
            engine.load_plugins_dir(loaded.plugins_dir)
    registry = engine.registry
    found = [
        {**attrs.asdict(p), "kinds": [_kind_details(registry, k) for k in p.kinds]}
        for p in engine.plugins()
    ]
    if format_name == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for info in found:
        version = f" {info['version']}" if info["version"] else ""
        where = f" ({info['location']})" if info["location"] and info["origin"] != "builtin" else ""
        click.echo(f"{info['name']}{version}  [{info['origin']}]{where}")
        if info["error"]:
            click.echo(f"    failed: {info['error']}")
        for kind in info["kinds"]:
            click.echo(f"    kind {kind['name']}: {kind['title']}")
            click.echo(
                f"      windows: {', '.join(kind['windows'])} (default {kind['default_window']})"
            )
            for source in kind["sources"]:
                columns = ", ".join(
                    c["name"] + ("" if c["required"] else "?") for c in source["columns"]
                )
                click.echo(f"      source {source['name']}: {columns}")
            for param in kind["params"]:
                allowed = f", one of {param['choices']}" if param["choices"] else ""
                click.echo(
                    f"      param {param['name']} ({param['type']}): default "
                    f"{json.dumps(param['default'], ensure_ascii=False)}{allowed}"
                )


def main() -> None:
    """Entry point of the ``vpcp-indicators`` command."""
    cli(prog_name="vpcp-indicators")
