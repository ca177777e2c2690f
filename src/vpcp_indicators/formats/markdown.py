"""The Markdown report: the content of the HTML report as tables, for e-mails and wikis."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..evaluation import Report
from ..hookspecs import hookimpl
from . import Format, RenderOptions
from .view import indicator_view, method, plan_view, status_view

__all__ = ["markdown_table", "render_markdown"]


def _cell(text: object) -> str:
    # A pipe would end the cell, a newline the row.
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()
) -> list[str]:
    """A Markdown table; columns in ``right`` are aligned right."""
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _status(view: dict[str, str]) -> str:
    return f"{view['symbol']} {view['label']}"


def render_markdown(report: Report, options: RenderOptions) -> str:
    """The plan, its score and status by date, its tasks, and per indicator its figures by
    date, breakdown, what was left out and the data warnings; then the method."""
    lang = options.language(report)
    _ = lang.gettext
    plan = plan_view(report.plan, lang)
    lines = [f"# {_cell(plan['title'])}", ""]
    facts = [f"{_('Period')}: {plan['period']}", f"{_('Plan')}: {plan['id']}"]
    if plan["decision"]:
        facts.insert(0, f"{_('Decision')} {plan['decision']}")
    lines += [" · ".join(facts), ""]
    lines += markdown_table(
        [_("Date"), _("Plan score"), _("Status")],
        [
            [lang.date(e.as_of), lang.decimal(e.score), _status(status_view(e.status, lang))]
            for e in report.evaluations
        ],
        right=[1],
    )
    latest = report.latest
    lines += ["", f"## {_('Tasks')}", ""]
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
            for t in latest.tasks
        ],
        right=[2],
    )
    for task in report.plan.tasks:
        if task.projects:
            lines += ["", f"### {task.id} – {_('Projects')}", ""]
            lines += markdown_table(
                [_("Project"), _("Title"), _("Lead unit")],
                [[p.id, p.title, p.lead or ""] for p in task.projects],
            )
    lines += ["", f"## {_('Indicators')}"]
    for indicator in report.plan.indicators:
        view = indicator_view(indicator, report, lang)
        lines += [
            "",
            f"### {_cell(view['title'])}",
            "",
            f"{view['id']} · {_('task')} {indicator.task} · {view['latest']['window']}",
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
            lines += ["", f"⚠ {failed}: {view['latest']['error']}"]
        if view["breakdown"]:
            lines += ["", _("Breakdown on {date}", date=view["latest"]["as_of"]), ""]
            lines += markdown_table(
                [_("Group"), _("Numerator"), _("Denominator"), _("Value")],
                [
                    [g["group"], g["numerator"], g["denominator"], g["value"]]
                    for g in view["breakdown"]
                ],
                right=[1, 2, 3],
            )
        for left in view["excluded"]:
            lines += ["", f"{_('Left out')}: {left['count']} {left['reason']}"]
        for warning in view["warnings"]:
            lines += ["", f"▲ {_('Data warning')}: {_cell(warning)}"]
    lines += ["", f"## {_('Method')}", ""]
    for paragraph in method(
        lang, float(report.plan.scoring.at_risk), report.plan.scoring.aggregation
    ):
        lines += [paragraph, ""]
    return "\n".join(lines).rstrip() + "\n"


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(Format("markdown", render_markdown, "tables for e-mails and wikis", extension=".md"))
