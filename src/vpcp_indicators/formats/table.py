"""The table output: what a person reads in a terminal."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..evaluation import Evaluation, IndicatorResult, Report
from ..hookspecs import hookimpl
from . import Format, RenderOptions

__all__ = ["format_value", "render_table"]

_TITLE_WIDTH = 60


def format_value(value: float | None, unit: str) -> str:
    """A figure as a person reads it: a share as a percentage, another number plainly."""
    if value is None:
        return "-"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    return f"{value:g}"


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"


def _status(status: str) -> str:
    return status.replace("_", " ")


def _shorten(text: str, width: int = _TITLE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _window(result: IndicatorResult) -> str:
    window = result.window
    if window.kind == "point":
        return f"on {window.end}"
    return f"{window.kind} {window.start}..{window.end}"


def _notes(result: IndicatorResult) -> str:
    notes = []
    if result.error:
        notes.append("plugin failed")
    for reason, count in result.excluded.items():
        notes.append(f"{count} {reason} left out")
    if result.warnings:
        rows = sum(w.count for w in result.warnings)
        notes.append(f"data warnings: {rows} {'row' if rows == 1 else 'rows'}")
    return "; ".join(notes)


def _evaluation(evaluation: Evaluation) -> list[str]:
    lines = [
        f"As of {evaluation.as_of}: plan score {_score(evaluation.score)}, "
        f"{_status(evaluation.status)}",
        "",
    ]
    lines += _table(
        ["Task", "Score", "Status", "Title"],
        [[t.id, _score(t.score), _status(t.status), _shorten(t.title)] for t in evaluation.tasks],
        right={1},
    )
    lines.append("")
    rows = [
        [
            r.id,
            r.task,
            _window(r),
            format_value(r.value, r.unit),
            format_value(r.expected, r.unit),
            _score(r.score),
            _status(r.status),
            _notes(r),
        ]
        for r in evaluation.indicators
    ]
    header = ["Indicator", "Task", "Window", "Value", "Expected", "Score", "Status", "Notes"]
    lines += _table(header, rows, right={3, 4, 5})
    details = [f"  {r.id}: {r.error}" for r in evaluation.indicators if r.error]
    details += [f"  {r.id}: {w.message}" for r in evaluation.indicators for w in r.warnings]
    if details:
        lines += ["", "Errors and data warnings:", *details]
    return lines


def render_table(report: Report, options: RenderOptions) -> str:
    """The plan's heading, then per date the plan score, a task table and an indicator table."""
    plan = report.plan
    facts = [plan.id]
    if plan.decision:
        facts.append(f"decision {plan.decision}")
    facts.append(f"{plan.start} to {plan.end}")
    lines = [plan.title, " · ".join(facts)]
    for evaluation in report.evaluations:
        lines += ["", *_evaluation(evaluation)]
    return "\n".join(lines) + "\n"


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(Format("table", render_table, "tables for a person to read", extension=".txt"))
