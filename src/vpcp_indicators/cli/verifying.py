"""The ``verify`` command: a report's figures recomputed from the plan and the sources its
provenance names, and what changed since."""

from __future__ import annotations

import json
import sys

import click

from ..errors import SourceError
from ..i18n import DEFAULT_LANGUAGE, language
from ..messages import os_reason
from .errors import handles_errors, speak
from .options import ENGINES, engine, lang_option, plugins_dir_option, untrusted_option
from .terminal import write

__all__ = ["verify"]


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return "-" if value is None else str(value)


@click.command()
@click.argument("report", type=click.Path(dir_okay=False))
@plugins_dir_option
@lang_option
@click.option(
    "--engine",
    "backend",
    type=ENGINES,
    help="What counts: by default the engine the report names.",
)
@untrusted_option
@handles_errors
def verify(
    report: str,
    plugins_dirs: tuple[str, ...],
    lang: str | None,
    backend: str | None,
    untrusted: bool,
) -> None:
    """Recompute REPORT (a report's JSON) from the plan and sources it names, and say
    whether every figure is the same, and if not which figures and which sources changed."""
    from ..verify import verify_report

    try:
        with open(report, encoding="utf-8") as stream:
            data = json.load(stream)
    except OSError as error:
        raise SourceError.at(report, "cannot be read: {reason}", reason=os_reason(error)) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError.at(report, "not a report's JSON ({reason})", reason=str(error)) from error
    if not isinstance(data, dict) or "evaluations" not in data:
        raise SourceError.at(report, "not a report's JSON (no evaluations)")
    words = language(lang or data.get("plan", {}).get("language") or DEFAULT_LANGUAGE)
    speak(words)
    chosen = engine(plugins_dirs, trusted=not untrusted, cached=False)
    found = verify_report(chosen, data, backend)
    _ = words.gettext
    lines = []
    if found.same:
        dates = len(found.report.evaluations)
        indicators = len(found.report.plan.indicators)
        lines.append(
            _(
                "{report}: every figure is the same ({dates}, {indicators})",
                report=report,
                dates=words.ngettext("{count} date", "{count} dates", dates),
                indicators=words.ngettext("{count} indicator", "{count} indicators", indicators),
            )
        )
    else:
        lines.append(
            words.ngettext(
                "{report}: {count} figure differs",
                "{report}: {count} figures differ",
                len(found.differences),
                report=report,
            )
        )
        for d in found.differences:
            of = d.of or _("plan")
            lines.append(
                f"  {words.date(d.as_of)} {of}: {d.figure} {_shown(d.then)} → {_shown(d.now)}"
            )
    if found.changed:
        lines.append(_("Changed since the report:"))
        lines += [
            f"  {c.source}: sha256 {_shown(c.then)[:12]}… → {_shown(c.now)[:12]}…"
            for c in found.changed
        ]
    elif not found.same:
        lines.append(_("No source changed since the report."))
    if found.versions:
        lines.append(_("Versions that changed:"))
        lines += [f"  {what}: {_shown(then)} → {_shown(now)}" for what, then, now in found.versions]
    write(None, "\n".join(lines) + "\n")
    if not found.same:
        sys.exit(1)
