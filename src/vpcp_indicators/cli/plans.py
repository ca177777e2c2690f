"""The commands that look at plans and plugins without computing: validate, plugins, schema."""

from __future__ import annotations

import json

import click

from ..i18n import DEFAULT_LANGUAGE, language
from ..plan.model import Plan
from ..printable import printable
from .errors import handles_errors, say, speak
from .options import (
    engine,
    lang_option,
    output_option,
    plugins_dir_option,
    table_or_json,
    untrusted_option,
)
from .terminal import failed_plugins, write


def _language(lang: str | None, plan: Plan) -> str:
    return lang or plan.language or DEFAULT_LANGUAGE


__all__ = ["plugins", "schema", "validate"]


@click.command()
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
    words = language(lang or DEFAULT_LANGUAGE)
    if loaded is not None:
        words = language(_language(lang, loaded))
        speak(words)
        problems += chosen.validate(loaded, warnings=True)
    # The plugins the plan would be evaluated with: its plugins_dir's only when trusted.
    with_plan = loaded is not None and (chosen.trusted or loaded.plugins_dir is None)
    failed_plugins(chosen.plugins(loaded if with_plan else None), words)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        if problem.severity == "warning":
            say(words, "warning", problem.render(words.translator()))
    if errors or loaded is None:
        raise PlanError(errors)
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


@click.command()
@click.argument("plan", required=False, type=click.Path(dir_okay=False))
@plugins_dir_option
@table_or_json()
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


@click.command()
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
