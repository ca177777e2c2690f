"""What the command shows: its output, written whole, and the notices on standard error."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..i18n import Language
from .errors import say
from .interrupts import stop_if_interrupted
from .streams import to_stdout

if TYPE_CHECKING:
    from ..evaluation import Report
    from ..plugins.discovery import PluginInfo

__all__ = ["failed_plugins", "notices", "write"]


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
                date=lang.date(evaluation.as_of),
                start=lang.date(plan.start),
                end=lang.date(plan.end),
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
