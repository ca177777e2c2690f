"""The commands: evaluate, explain, validate, plugins, convert, new-plugin, schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..i18n import DEFAULT_LANGUAGE, language
from ..printable import printable
from .progress import Progress
from .streams import stdout_is_terminal
from .terminal import (
    LOAD_PLUGINS_ENV,
    IsoDate,
    OneLineErrors,
    Score,
    engine,
    failed_plugins,
    handles_errors,
    lang_option,
    memory_limit,
    notices,
    output_option,
    plugins_dir_option,
    untrusted_option,
    write,
)

if TYPE_CHECKING:
    from ..plan.model import Plan

__all__ = ["LOAD_PLUGINS_ENV", "cli"]

ENGINES = click.Choice(["auto", "python", "duckdb"])
F = TypeVar("F", bound=Callable[..., Any])


def engine_option(help_text: str) -> Callable[[F], F]:
    """The ``--engine`` option, with the help its command needs."""
    return click.option(
        "--engine", "backend", type=ENGINES, default="auto", show_default=True, help=help_text
    )


def _language(lang: str | None, plan: Plan) -> str:
    return lang or plan.language or DEFAULT_LANGUAGE


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Output format: table, json, html, markdown, csv, xlsx, or one a plugin adds.",
)
@output_option
@plugins_dir_option
@lang_option
@engine_option("What counts: DuckDB (auto) or pure Python; both give the same figures.")
@click.option(
    "--memory-limit",
    default="256MB",
    show_default=True,
    callback=memory_limit,
    help="Memory the DuckDB engine may take (it spills to disk beyond it), or 'none'.",
)
@click.option("--strict", is_flag=True, help="Treat data warnings as errors.")
@untrusted_option
@click.option(
    "--fail-under",
    type=Score(),
    help="Exit with status 1 if the plan score at the latest date is below this.",
)
@handles_errors
def evaluate(
    plan: str,
    dates: tuple[dt.date, ...],
    format_name: str,
    output: str | None,
    plugins_dirs: tuple[str, ...],
    lang: str | None,
    backend: str,
    memory_limit: str | None,
    strict: bool,
    untrusted: bool,
    fail_under: float | None,
) -> None:
    """Evaluate PLAN at one or more dates."""
    from ..engine import default_as_of
    from ..files import destination, refuse_inputs
    from ..formats import RenderOptions
    from ..plan.reading import load_plan
    from ..scoring import ERROR

    chosen = engine(plugins_dirs, trusted=not untrusted)
    chosen.memory_limit = memory_limit
    if output not in (None, "-"):
        if not os.path.isdir(os.path.dirname(output) or "."):
            raise click.BadParameter(
                f"no directory {os.path.dirname(output)!r}", param_hint="--output"
            )
        # A directory, a socket, a link into nowhere: refused before anything is computed.
        destination(output)
    loaded = load_plan(plan)
    renderer = chosen.format(format_name, loaded)  # the plan's plugins may bring formats
    if output not in (None, "-"):
        refuse_inputs(output, loaded)
    if renderer.binary and output in (None, "-") and stdout_is_terminal():
        raise click.BadParameter(
            f"the {format_name} format is a file: give --output", param_hint="--format"
        )
    code = _language(lang, loaded)
    words = language(code)
    days = list(dates) or [default_as_of(loaded, dt.date.today())]
    progress = Progress(words) if Progress.wanted() else None
    try:
        report = chosen.evaluate(loaded, days, strict=strict, backend=backend, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    color = output in (None, "-") and stdout_is_terminal() and "NO_COLOR" not in os.environ
    write(output, renderer.render(report, RenderOptions(color=color, lang=code)))
    failed_plugins(chosen.plugins(loaded), words)
    notices(report, format_name == "table" and output in (None, "-"), words)
    errored = any(r.status == ERROR for e in report.evaluations for r in e.indicators)
    score = report.latest.score
    missed = fail_under is not None and (score is None or score < fail_under)
    if missed:
        shown = "-" if score is None else words.decimal(score)
        text = words.gettext(
            "plan score {score} on {date} is under {limit}",
            score=shown,
            date=words.date(report.latest.as_of),
            limit=f"{fail_under:g}",
        )
        click.echo(text, err=True)
    if errored or missed:
        sys.exit(1)


@cli.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.argument("indicator")
@click.option(
    "--as-of",
    type=IsoDate(),
    help="Evaluation date YYYY-MM-DD. Default: today, but not after the plan end.",
)
@plugins_dir_option
@lang_option
@engine_option("What counts the figures that are explained.")
@untrusted_option
@handles_errors
def explain(
    plan: str,
    indicator: str,
    as_of: dt.date | None,
    plugins_dirs: tuple[str, ...],
    lang: str | None,
    backend: str,
    untrusted: bool,
) -> None:
    """Show how INDICATOR's figures on a date came about, step by step."""
    from ..engine import default_as_of
    from ..errors import PluginError, message
    from ..explain import explain as derive
    from ..formats.explanation import render_explanation
    from ..plan.reading import load_plan

    loaded = load_plan(plan)
    words = language(_language(lang, loaded))
    day = as_of or default_as_of(loaded, dt.date.today())
    try:
        chosen = engine(plugins_dirs, trusted=not untrusted)
        found = derive(chosen, loaded, indicator, day, backend)
    except KeyError:
        known = ", ".join(i.id for i in loaded.indicators)
        # In the plan's language, which the error handler does not know; on one line.
        missing = message(
            "no indicator '{id}' in the plan (indicators: {known})", id=indicator, known=known
        )
        raise PluginError(missing.render(words.translator())) from None
    write(None, render_explanation(found, words))


@cli.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@plugins_dir_option
@lang_option
@untrusted_option
@handles_errors
def validate(plan: str, plugins_dirs: tuple[str, ...], lang: str | None, untrusted: bool) -> None:
    """Check PLAN and its sources without computing; list every problem."""
    from ..errors import PlanError, message
    from ..plan.reading import read_plan

    chosen = engine(plugins_dirs, trusted=not untrusted)
    loaded, problems = read_plan(plan)
    if loaded is not None:
        problems += chosen.validate(loaded)
    words = language(lang or DEFAULT_LANGUAGE)
    # The plugins the plan would be evaluated with: its plugins_dir's only when trusted.
    with_plan = loaded is not None and (chosen.trusted or loaded.plugins_dir is None)
    failed_plugins(chosen.plugins(loaded if with_plan else None), words)
    if problems or loaded is None:
        raise PlanError(problems)
    words = language(_language(lang, loaded))
    tasks = words.ngettext("{count} task", "{count} tasks", len(loaded.tasks))
    indicators = words.ngettext("{count} indicator", "{count} indicators", len(loaded.indicators))
    # A Message, not gettext: the file name and the plan's id are shown on one line.
    sound = message(
        "{file}: plan '{id}' is sound ({tasks}, {indicators})",
        file=plan,
        id=loaded.id,
        tasks=tasks,
        indicators=indicators,
    )
    write(None, printable(sound.render(words.translator())) + "\n")


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@click.argument("target", type=click.Path(dir_okay=False))
@lang_option
@handles_errors
def convert(source: str, target: str, lang: str | None) -> None:
    """Convert a CSV SOURCE to the Parquet file TARGET, every value kept as written."""
    from ..convert import csv_to_parquet

    if not target.endswith(".parquet"):
        raise click.BadParameter("the target must end in .parquet", param_hint="TARGET")
    count = csv_to_parquet(source, target)
    words = language(lang or DEFAULT_LANGUAGE)
    click.echo(
        words.ngettext("{file}: {count} record", "{file}: {count} records", count, file=target),
        err=True,
    )


@cli.command()
@click.argument("plan", required=False, type=click.Path(dir_okay=False))
@plugins_dir_option
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@untrusted_option
@handles_errors
def plugins(
    plan: str | None, plugins_dirs: tuple[str, ...], format_name: str, untrusted: bool
) -> None:
    """List the plugins found (with a PLAN, its plugins_dir too): where from, their version,
    and the kinds each provides with their parameters and source columns."""
    from .listing import describe_plugins, plugin_lines

    chosen = engine(plugins_dirs, trusted=not untrusted)
    if plan is None:
        registry = chosen.registry
    else:
        from ..plan.reading import load_plan

        registry = chosen.registry_for(load_plan(plan))
    found = describe_plugins(registry.plugins, registry)
    if format_name == "json":
        write(None, json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    write(None, "".join(printable(line) + "\n" for line in plugin_lines(found)))


@cli.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Write the package's folder into this directory.",
)
@click.option("--kind", help="The name of its kind. Default: from NAME, without 'vpcp-'.")
@lang_option
@handles_errors
def new_plugin(name: str, directory: str, kind: str | None, lang: str | None) -> None:
    """Write NAME/, an installable plugin package with one indicator kind, its tests and an
    example plan: install it with pip install -e './NAME[test]' and run pytest in it."""
    from ..scaffold import new_plugin as write_plugin

    # A kind already installed would clash with the new one once it is installed too.
    taken = engine(()).registry.kinds
    folder = write_plugin(name, directory, kind, taken)
    words = language(lang or DEFAULT_LANGUAGE)
    click.echo(words.gettext("wrote {path}", path=folder), err=True)


@cli.command()
@click.argument("plan", required=False, type=click.Path(dir_okay=False))
@plugins_dir_option
@output_option
@untrusted_option
@handles_errors
def schema(
    plan: str | None, plugins_dirs: tuple[str, ...], output: str | None, untrusted: bool
) -> None:
    """Write the JSON Schema of plan files, for editors (VS Code's Even Better TOML): the
    plan's tables and keys, and the kinds of the plugins found with their parameters and
    sources (with a PLAN, its plugins_dir too). See docs/schema-editors.md."""
    from ..errors import PlanError
    from ..files import refuse_inputs
    from ..plan.reading import read_plan
    from ..plan.schema import plan_schema

    chosen = engine(plugins_dirs, trusted=not untrusted)
    registry = chosen.registry
    if plan is not None:
        # A plan with mistakes still names its plugins_dir, and the schema helps mend it.
        loaded, problems = read_plan(plan)
        if loaded is None:
            raise PlanError(problems)
        if output not in (None, "-"):
            refuse_inputs(output, loaded)
        registry = chosen.registry_for(loaded)
    text = json.dumps(plan_schema(registry), ensure_ascii=False, indent=2) + "\n"
    write(output, text)
