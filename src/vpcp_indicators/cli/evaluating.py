"""The commands that compute figures: evaluate and explain."""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from ..errors import message
from ..i18n import DEFAULT_LANGUAGE, language
from ..plan.model import Plan
from .errors import handles_errors, speak
from .options import (
    IsoDate,
    Score,
    cache_options,
    engine,
    engine_option,
    grid_option,
    lang_option,
    memory_limit,
    output_option,
    plugins_dir_option,
    table_or_json,
    untrusted_option,
)
from .progress import Progress
from .streams import stdout_is_terminal
from .terminal import failed_plugins, notices, write
from .usage import Refused


def _language(lang: str | None, plan: Plan) -> str:
    return lang or plan.language or DEFAULT_LANGUAGE


__all__ = ["evaluate", "explain", "sensitivity"]


@click.command()
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
    help="Output format: table, json, html, markdown, csv, csv-breakdown, xlsx, or one a "
    "plugin adds.",
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
@grid_option
@click.option(
    "--unit",
    metavar="ID",
    help="See the plan from one of its units: count the records of this unit and of the "
    "units below it alone.",
)
@cache_options
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
    grid: str | None,
    unit: str | None,
    no_cache: bool,
    verify_sources: bool,
    untrusted: bool,
    fail_under: float | None,
) -> None:
    """Evaluate PLAN at one or more dates."""
    from ..engine import default_as_of
    from ..engine.units import unknown_unit
    from ..files import destination, refuse_inputs
    from ..formats import RenderOptions
    from ..plan.reading import load_plan
    from ..scoring import ERROR

    chosen = engine(plugins_dirs, trusted=not untrusted, cached=not no_cache)
    chosen.memory_limit = memory_limit
    if output not in (None, "-"):
        if not os.path.isdir(os.path.dirname(output) or "."):
            missing = message("no directory '{path}'", path=os.path.dirname(output))
            raise Refused(missing, param_hint="--output")
        # A directory, a socket, a link into nowhere: refused before anything is computed.
        destination(output)
    loaded = load_plan(plan)
    code = _language(lang, loaded)
    words = language(code)
    speak(words)
    renderer = chosen.format(format_name, loaded)  # the plan's plugins may bring formats
    nowhere = None if unit is None else unknown_unit(loaded, unit)
    if nowhere is not None:
        raise Refused(nowhere, param_hint="--unit")
    if output not in (None, "-"):
        refuse_inputs(output, loaded)
    if renderer.binary and output in (None, "-") and stdout_is_terminal():
        binary = message("the {format} format is a file: give --output", format=format_name)
        raise Refused(binary, param_hint="--format")
    days = list(dates) or [default_as_of(loaded, dt.date.today())]
    progress = Progress(words) if Progress.wanted() else None
    try:
        report = chosen.evaluate(
            loaded,
            days,
            strict=strict,
            backend=backend,
            progress=progress,
            verify_sources=verify_sources,
            grid=grid,
            unit=unit,
        )
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


@click.command()
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
@grid_option
@cache_options
@untrusted_option
@handles_errors
def explain(
    plan: str,
    indicator: str,
    as_of: dt.date | None,
    plugins_dirs: tuple[str, ...],
    lang: str | None,
    backend: str,
    grid: str | None,
    no_cache: bool,
    verify_sources: bool,
    untrusted: bool,
) -> None:
    """Show how INDICATOR's figures on a date came about, step by step."""
    from ..engine import default_as_of
    from ..errors import PluginError
    from ..explain import explain as derive
    from ..formats.explanation import render_explanation
    from ..plan.reading import load_plan

    loaded = load_plan(plan)
    words = language(_language(lang, loaded))
    speak(words)
    day = as_of or default_as_of(loaded, dt.date.today())
    try:
        chosen = engine(plugins_dirs, trusted=not untrusted, cached=not no_cache)
        found = derive(chosen, loaded, indicator, day, backend, verify_sources, grid)
    except KeyError:
        known = ", ".join(i.id for i in loaded.indicators)
        missing = message(
            "no indicator '{id}' in the plan (indicators: {known})", id=indicator, known=known
        )
        raise PluginError(missing) from None
    write(None, render_explanation(found, words))


@click.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "--as-of",
    type=IsoDate(),
    help="Evaluation date YYYY-MM-DD. Default: today, but not after the plan end.",
)
@table_or_json()
@plugins_dir_option
@lang_option
@engine_option("What counts the figures.")
@cache_options
@untrusted_option
@handles_errors
def sensitivity(
    plan: str,
    as_of: dt.date | None,
    format_name: str,
    plugins_dirs: tuple[str, ...],
    lang: str | None,
    backend: str,
    no_cache: bool,
    verify_sources: bool,
    untrusted: bool,
) -> None:
    """Show how much the method decides PLAN's scores: each aggregation, equal weights, and
    each task left out in turn."""
    import json

    from ..engine import default_as_of
    from ..formats.sensitivity import render_sensitivity
    from ..plan.reading import load_plan

    loaded = load_plan(plan)
    words = language(_language(lang, loaded))
    speak(words)
    day = as_of or default_as_of(loaded, dt.date.today())
    chosen = engine(plugins_dirs, trusted=not untrusted, cached=not no_cache)
    found = chosen.sensitivity(loaded, day, backend=backend, verify_sources=verify_sources)
    if format_name == "json":
        text = json.dumps(found.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
    else:
        text = render_sensitivity(found, words)
    write(None, text)
