"""The HTML report: one self-contained page (styles and charts inside), printable on A4.

Made from a Jinja2 template with autoescaping on: every text from the plan or the records is
shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from .. import __version__
from ..evaluation import Report
from ..hookspecs import hookimpl
from ..milestones import MILESTONE_TABLE
from ..scoring import STATUS_TABLE
from . import Format, RenderOptions
from .charts import timeline_chart
from .milestone_view import counts_text, looked_on_text, milestones_view
from .provenance_view import provenance_view
from .trend_view import trend_text
from .unit_view import held_back_text, least_healthy_text, seen_from_text, tree_view
from .view import indicator_view, method, plan_view, status_view

__all__ = ["render_html"]


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("vpcp_indicators.formats", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("report.html.j2")


def render_html(report: Report, options: RenderOptions) -> str:
    """The report as one HTML page: the plan, its score, a card per task, and per indicator a
    chart of its timeline, its figures, breakdown, warnings and what was left out."""
    lang = options.language(report)
    latest = report.latest
    indicators = []
    for indicator in report.plan.indicators:
        view = indicator_view(indicator, report, lang)
        view["chart"] = timeline_chart(indicator, report, lang)
        view["task"] = indicator.task
        view["milestones"] = milestones_view(latest.indicator(indicator.id), report.plan, lang)
        view["trend"] = trend_text(latest.indicator(indicator.id), report.plan, lang)
        view["units"] = tree_view(latest.indicator(indicator.id), report.plan, lang)
        view["least_healthy"] = least_healthy_text(
            latest.indicator(indicator.id), report.plan, lang
        )
        indicators.append(view)
    tasks = []
    for task in report.plan.tasks:
        result = latest.task(task.id)
        tasks.append(
            {
                "id": task.id,
                "title": task.title,
                "projects": task.projects,
                "score": lang.decimal(result.score),
                "status": status_view(result.status, lang),
                "indicators": [{"id": i} for i in result.indicators],
                "milestones": counts_text(result.milestones, lang),
                "held_back": held_back_text(result, lang),
            }
        )
    evaluations = [
        {
            "as_of": lang.date(e.as_of),
            "score": lang.decimal(e.score),
            "status": status_view(e.status, lang),
        }
        for e in report.evaluations
    ]
    page: str = _template().render(
        _=lang.gettext,
        lang=lang.code,
        version=__version__,
        statuses=STATUS_TABLE,
        milestone_states=MILESTONE_TABLE,
        milestones={
            "counts": counts_text(latest.milestones, lang),
            "looked_on": looked_on_text(report, lang),
        },
        plan=plan_view(report.plan, lang),
        seen_from=seen_from_text(report, lang),
        latest=evaluations[-1],
        evaluations=evaluations,
        tasks=tasks,
        indicators=indicators,
        method=method(report, lang),
        provenance=provenance_view(report, lang),
    )
    return page


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(
        Format("html", render_html, "one self-contained page to read and print", extension=".html")
    )
