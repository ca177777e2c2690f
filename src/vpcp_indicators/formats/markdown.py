"""The Markdown report: the content of the HTML report as tables, for e-mails and wikis.

Text from the plan or the records is shown as written: never a link, an image, raw HTML, an
autolink, emphasis, a heading or a list; a pipe does not end a table cell, nor a line break
a row (:func:`markdown_text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ..evaluation import Report
from ..hookspecs import hookimpl
from ..i18n import Language
from ..milestones import MILESTONE_TABLE
from ..printable import printable
from . import Format, RenderOptions
from .milestone_view import counts_text, looked_on_text, milestones_view
from .provenance_view import provenance_view
from .trend_view import trend_text
from .unit_view import held_back_text, least_healthy_text, seen_from_text, tree_view
from .view import indicator_view, method, plan_view, status_view

__all__ = ["markdown_table", "markdown_text", "render_markdown"]

_LINE_END = re.compile(r"\r\n|\r|\n")
# What Markdown reads as markup inside a line: escapes, code, emphasis and strikethrough,
# links and images ([ ]), raw HTML and autolinks (<), entities (&), table cells (|), the
# closing #s of a heading. An underscore between two letters or digits is markup to no one.
_MARKUP = re.compile(r"[\\`*\[\]<&|~#]|(?<!\w)_|_(?!\w)")
# GitHub makes links of bare URLs: an escaped colon or dot is not one.
_BARE_LINK = re.compile(r"(?i)\b(https?|ftp)(?=://)|\b(www)(?=\.)")
# What would start a block when it starts a line: a list, a quote, a rule, a heading's line.
_BLOCK_START = re.compile(r"([-+=>])|([0-9]{1,9})([.)])")


def markdown_text(text: object) -> str:
    """Text from the plan or the records as Markdown shows it, as written and on one line:
    line breaks become spaces, control characters are escaped as on a terminal, and every
    character Markdown would read as markup is escaped with a backslash."""
    line = printable(_LINE_END.sub(" ", str(text)))
    line = _MARKUP.sub(lambda m: "\\" + m.group(), line)
    return _BARE_LINK.sub(lambda m: m.group() + "\\", line)


def _paragraph(text: object) -> str:
    """:func:`markdown_text` for text that starts a line, where it must not start a block."""
    line = markdown_text(text).lstrip(" ")
    start = _BLOCK_START.match(line)
    if start is None:
        return line
    if start.group(1):
        return "\\" + line
    return start.group(2) + "\\" + line[start.end(2) :]


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()
) -> list[str]:
    """A Markdown table; columns in ``right`` are aligned right."""
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    lines = [
        "| " + " | ".join(markdown_text(h) for h in header) + " |",
        "| " + " | ".join(rule) + " |",
    ]
    lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
    return lines


def _status(view: dict[str, str]) -> str:
    return f"{view['symbol']} {view['label']}"


def render_markdown(report: Report, options: RenderOptions) -> str:
    """The plan, its score and status by date, its tasks, and per indicator its figures by
    date, breakdown, what was left out and the data warnings; then the method."""
    lang = options.language(report)
    _ = lang.gettext
    lines = _heading(report, lang) + _tasks(report, lang) + _milestones(report, lang)
    lines += ["", f"## {_('Indicators')}"]
    for indicator in report.plan.indicators:
        view = indicator_view(indicator, report, lang)
        latest = report.latest.indicator(indicator.id)
        view["milestones"] = milestones_view(latest, report.plan, lang)
        view["trend"] = trend_text(latest, report.plan, lang)
        view["units"] = tree_view(latest, report.plan, lang)
        view["least_healthy"] = least_healthy_text(latest, report.plan, lang)
        lines += _indicator(view, indicator.task, lang)
    lines += ["", f"## {_('Method')}", ""]
    for paragraph in method(report, lang):
        lines += [paragraph, ""]
    found = provenance_view(report, lang)
    if found is not None:
        lines += [f"## {_('Where the figures came from')}", ""]
        lines += [markdown_text(" · ".join(found["made"])), ""]
        lines += markdown_table(
            [_("Source"), _("Size"), _("Modified"), "SHA-256"],
            [[s["source"], s["size"], s["modified"], s["sha256"]] for s in found["sources"]],
            right=[1],
        )
    return "\n".join(lines).rstrip() + "\n"


def _heading(report: Report, lang: Language) -> list[str]:
    """The plan's title, its facts, and its score and status at each date."""
    _ = lang.gettext
    plan = plan_view(report.plan, lang)
    lines = [f"# {markdown_text(plan['title'])}", ""]
    facts = [f"{_('Period')}: {plan['period']}", f"{_('Plan')}: {markdown_text(plan['id'])}"]
    if plan["decision"]:
        facts.insert(0, f"{_('Decision')} {markdown_text(plan['decision'])}")
    lines += [" · ".join(facts), ""]
    seen = seen_from_text(report, lang)
    if seen:
        lines += [markdown_text(seen), ""]
    return lines + markdown_table(
        [_("Date"), _("Plan score"), _("Status")],
        [
            [lang.date(e.as_of), lang.decimal(e.score), _status(status_view(e.status, lang))]
            for e in report.evaluations
        ],
        right=[1],
    )


def _tasks(report: Report, lang: Language) -> list[str]:
    """The tasks at the latest date, then the projects of each."""
    _ = lang.gettext
    lines = ["", f"## {_('Tasks')}", ""]
    lines += markdown_table(
        [_("Task"), _("Title"), _("Score"), _("Status"), _("Indicators")],
        [
            [
                t.id,
                t.title,
                lang.decimal(t.score),
                _status(status_view(t.status, lang)),
                ", ".join(t.indicators) or _("none yet"),
            ]
            for t in report.latest.tasks
        ],
        right=[2],
    )
    held = [(t.id, held_back_text(t, lang)) for t in report.latest.tasks]
    lines += [""] if any(text for _, text in held) else []
    lines += [f"- {markdown_text(task)}: {markdown_text(text)}" for task, text in held if text]
    for task in report.plan.tasks:
        if task.projects:
            lines += ["", f"### {markdown_text(task.id)} – {_('Projects')}", ""]
            lines += markdown_table(
                [_("Project"), _("Title"), _("Lead unit")],
                [[p.id, p.title, p.lead or ""] for p in task.projects],
            )
    return lines


def _milestones(report: Report, lang: Language) -> list[str]:
    """How many milestones are in each state at the latest date, for the plan and by task,
    and the dates they were judged on."""
    _ = lang.gettext
    latest = report.latest
    lines = ["", f"## {_('Milestones on {date}', date=lang.date(latest.as_of))}", ""]
    lines += [markdown_text(counts_text(latest.milestones, lang)), ""]
    lines += markdown_table(
        [_("Task"), *(f"{s.symbol} {_(s.label)}" for s in MILESTONE_TABLE)],
        [[t.id, *(str(t.milestones[s.code]) for s in MILESTONE_TABLE)] for t in latest.tasks],
        right=[1, 2, 3, 4],
    )
    looked = looked_on_text(report, lang)
    return [*lines, "", markdown_text(looked)] if looked else lines


def _indicator(view: dict[str, Any], task: str, lang: Language) -> list[str]:
    """An indicator: its figures by date, its breakdown, what was left out, its warnings."""
    _ = lang.gettext
    lines = [
        "",
        f"### {markdown_text(view['title'])}",
        "",
        f"{_paragraph(view['id'])} · {_('task')} {markdown_text(task)} · "
        f"{view['latest']['window']}",
        "",
    ]
    lines += markdown_table(
        [
            _("Date"),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("Expected"),
            _("Target"),
            _("Score"),
            _("Status"),
        ],
        [
            [
                f["as_of"],
                f["value"],
                f["numerator"],
                f["denominator"],
                f["expected"],
                f"{f['target']} ({f['target_by']})",
                f["score"],
                _status(f["status"]),
            ]
            for f in view["timeline"]
        ],
        right=[1, 2, 3, 4, 5, 6],
    )
    if view["latest"]["error"]:
        failed = _("The indicator's plugin failed")
        lines += ["", f"⚠ {failed}: {markdown_text(view['latest']['error'])}"]
    if view.get("units"):
        lines += ["", _("Breakdown on {date}", date=view["latest"]["as_of"]), ""]
        lines += markdown_table(
            [
                _("Organisation unit"),
                _("Numerator"),
                _("Denominator"),
                _("Value"),
                _("Own records"),
            ],
            [
                [
                    # Markdown collapses spaces: an em space a level keeps the tree's shape.
                    "\u2003" * u["depth"] + u["name"],
                    u["numerator"],
                    u["denominator"],
                    u["value"],
                    u["own"] if u["has_own"] else "",
                ]
                for u in view["units"]
            ],
            right=[1, 2, 3, 4],
        )
        if view.get("least_healthy"):
            lowest = _("Least healthy units")
            lines += ["", f"{lowest}: {markdown_text(view['least_healthy'])}"]
    elif view["breakdown"]:
        lines += ["", _("Breakdown on {date}", date=view["latest"]["as_of"]), ""]
        lines += markdown_table(
            [_("Group"), _("Numerator"), _("Denominator"), _("Value")],
            [[g["group"], g["numerator"], g["denominator"], g["value"]] for g in view["breakdown"]],
            right=[1, 2, 3],
        )
    if view.get("milestones"):
        lines += ["", _("Milestones on {date}", date=view["latest"]["as_of"]), ""]
        lines += markdown_table(
            [_("Target date"), _("Target"), _("Value on that date"), _("State")],
            [[m["by"], m["target"], m["value"], m["text"]] for m in view["milestones"]],
            right=[1, 2],
        )
    if view.get("trend"):
        trend = _("Trend on {date}", date=view["latest"]["as_of"])
        lines += ["", f"{trend}: {markdown_text(view['trend'])}"]
    for left in view["excluded"]:
        lines += ["", markdown_text(left)]
    for warning in view["warnings"]:
        lines += ["", f"▲ {_('Data warning')}: {markdown_text(warning)}"]
    return lines


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(Format("markdown", render_markdown, "tables for e-mails and wikis", extension=".md"))
