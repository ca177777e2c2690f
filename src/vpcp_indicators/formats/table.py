"""The table output: what a person reads in a terminal, in colour when the terminal allows.

Text from the plan or the records is shown with its control characters escaped
(:func:`~vpcp_indicators.printable.printable`): only the colours are this module's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..evaluation import Evaluation, IndicatorResult, Report
from ..hookspecs import hookimpl
from ..i18n import Language
from ..organisation import NOT_IN_TREE
from ..plan.model import Plan
from ..printable import printable
from ..scoring import status_of
from . import Format, RenderOptions
from .milestone_view import counts_text, looked_on_text, state_text
from .provenance_view import provenance_view
from .trend_view import trend_text
from .unit_view import held_back_text, least_healthy_text, seen_from_text, tree_view
from .view import SYMBOLS, breakdown_view, left_out, plan_view, status_label

__all__ = ["aligned", "render_table"]

_TITLE_WIDTH = 60
#: Where a breakdown's line wraps, and how far its next lines are indented.
_LINE_WIDTH, _INDENT = 100, "     "


def _shorten(text: str, width: int = _TITLE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def aligned(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: set[int],
    paint: dict[int, list[str]] | None = None,
) -> list[str]:
    """Rows under a header, in columns as wide as their widest cell, the columns of
    ``right`` aligned right; ``paint`` colours a column's cells (an ANSI code per row)."""
    header = [printable(cell) for cell in header]
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = []
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            text = cell.rjust(width) if i in right else cell.ljust(width)
            colour = (paint or {}).get(i)
            if colour and n > 0 and colour[n - 1]:
                text = f"\x1b[{colour[n - 1]}m{text}\x1b[0m"
            cells.append(text)
        lines.append("  ".join(cells).rstrip())
    return lines


def _wrapped(head: str, items: Sequence[str]) -> list[str]:
    """``head`` followed by the items, separated by " · " and wrapped between items before
    a line passes :data:`_LINE_WIDTH` (an item longer than a line has one to itself)."""
    lines, line, fresh = [], head, True
    for n, item in enumerate(items):
        piece = item if n == len(items) - 1 else f"{item} ·"
        if not fresh and len(line) + 1 + len(piece) > _LINE_WIDTH:
            lines.append(line)
            line = _INDENT
        line, fresh = f"{line} {piece}", False
    return [*lines, line]


class _Writer:
    def __init__(self, lang: Language, color: bool, plan: Plan):
        self.lang = lang
        self.color = color
        self.plan = plan

    def status(self, code: str) -> str:
        return f"{SYMBOLS[code]} {status_label(code, self.lang)}"

    def colour(self, code: str) -> str:
        # The symbol and the words say it too.
        return status_of(code).colours.terminal if self.color else ""

    def window(self, result: IndicatorResult) -> str:
        window, lang = result.window, self.lang
        if window.point:
            return lang.date(window.end)
        return f"{lang.date(window.start)}–{lang.date(window.end)}"

    def notes(self, result: IndicatorResult) -> str:
        _ = self.lang.gettext
        notes = []
        if result.error:
            notes.append(_("plugin failed"))
        notes += left_out(result.excluded, self.lang)
        rows = sum(w.count for w in result.warnings if w.problem != NOT_IN_TREE)
        if rows:
            notes.append(
                self.lang.ngettext(
                    "data warnings: {count} row", "data warnings: {count} rows", rows
                )
            )
        # Records of units not in the tree are counted, not skipped: said as records.
        outside = sum(w.count for w in result.warnings if w.problem == NOT_IN_TREE)
        if outside:
            notes.append(
                self.lang.ngettext(
                    "{count} record not in the tree", "{count} records not in the tree", outside
                )
            )
        return "; ".join(notes)

    def breakdown(self, evaluation: Evaluation) -> list[str]:
        """The groups of each indicator that has a breakdown, by their labels; nothing
        when none has."""
        _ = self.lang.gettext
        lines = []
        for result in evaluation.indicators:
            if result.units is not None:
                lines += self.tree(result)
                continue
            if not result.breakdown:
                continue
            head = result.id
            if result.labelled_by is not None:
                head = _("{indicator} by {column}", indicator=head, column=result.labelled_by)
            items = [
                # A group with a value alone (a median) has no counts to show.
                f"{g['group']} {g['value']} ({g['numerator']}/{g['denominator']})"
                if g["counted"]
                else f"{g['group']} {g['value']}"
                for g in breakdown_view(result, self.plan, self.lang)
            ]
            lines += _wrapped(printable(f"  {head}:"), [printable(item) for item in items])
        if not lines:
            return []
        heading = _("Breakdown on {date}", date=self.lang.date(evaluation.as_of))
        return ["", printable(f"{heading}:"), *lines]

    def tree(self, result: IndicatorResult) -> list[str]:
        """A breakdown rolled up the units' tree: a unit a line, indented by its depth, with
        its figures and, for a unit with units below it, its own records'."""
        _ = self.lang.gettext
        assert result.units is not None
        head = _("{indicator} by {column}", indicator=result.id, column=result.units.column)
        rows = [
            [
                "  " * row["depth"] + row["name"],
                row["value"],
                f"({row['numerator']}/{row['denominator']})",
                _("own {figures}", figures=row["own"]) if row["has_own"] else "",
            ]
            for row in tree_view(result, self.plan, self.lang)
        ]
        table = aligned(["", "", "", ""], rows, right={1, 2})[1:]
        return [printable(f"  {head}:"), *(f"    {line}" for line in table)]

    def least_healthy(self, evaluation: Evaluation) -> list[str]:
        """Per task, the indicator holding its score back most; per indicator tied to the
        units, the units with the lowest values. Nothing when there is neither."""
        lang = self.lang
        lines = [
            printable(f"  {t.id}: {held_back_text(t, lang)}")
            for t in evaluation.tasks
            if t.held_back_by is not None
        ]
        for result in evaluation.indicators:
            lowest = least_healthy_text(result, self.plan, lang)
            if lowest:
                items = [printable(p) for p in lowest.split(" · ")]
                lines += _wrapped(printable(f"  {result.id}:"), items)
        if not lines:
            return []
        heading = lang.gettext("Least healthy on {date}", date=lang.date(evaluation.as_of))
        return ["", printable(f"{heading}:"), *lines]

    def milestones(self, evaluation: Evaluation, report: Report) -> list[str]:
        """How many milestones are met, met late, missed and due, for the plan and each
        task, then each indicator's milestones, and the dates they were judged on."""
        lang, _ = self.lang, self.lang.gettext
        heading = _("Milestones on {date}", date=lang.date(evaluation.as_of))
        lines = ["", printable(f"{heading}: {counts_text(evaluation.milestones, lang)}")]
        lines += [
            printable(f"  {t.id}: {counts_text(t.milestones, lang)}") for t in evaluation.tasks
        ]
        for result in evaluation.indicators:
            unit = self.plan.unit(result.unit)
            items = [
                f"{lang.date(m.by)} {lang.value(m.target, unit)}: {state_text(m, lang)}"
                for m in result.milestones
            ]
            if items:
                lines += _wrapped(printable(f"  {result.id}:"), [printable(i) for i in items])
        looked = looked_on_text(report, lang)
        return [*lines, printable(f"  {looked}")] if looked else lines

    def trends(self, evaluation: Evaluation) -> list[str]:
        """Where each indicator's trend leads, one line each (wrapped)."""
        heading = self.lang.gettext("Trend on {date}", date=self.lang.date(evaluation.as_of))
        lines = ["", printable(f"{heading}:")]
        for result in evaluation.indicators:
            parts = trend_text(result, self.plan, self.lang).split("; ")
            lines += _wrapped(printable(f"  {result.id}:"), [printable(p) for p in parts])
        return lines

    def warnings(self, evaluation: Evaluation) -> list[str]:
        """The data warnings of an evaluation, one line each, by indicator."""
        translate = self.lang.translator()
        return [
            printable(f"  {r.id}: {w.text().render(translate)}")
            for r in evaluation.indicators
            for w in r.warnings
        ]

    def evaluation(
        self,
        evaluation: Evaluation,
        warnings: Sequence[str],
        latest: Report | None = None,
    ) -> list[str]:
        """The plan's score, the tasks and the indicators at a date; at the ``latest`` date
        of a report, their breakdowns and milestones; then the errors and the ``warnings``
        to tell at that date."""
        lang, _ = self.lang, self.lang.gettext
        head = _(
            "As of {date}: plan score {score}, {status}",
            date=lang.date(evaluation.as_of),
            score=lang.decimal(evaluation.score),
            status=self.status(evaluation.status),
        )
        head = printable(head)
        if self.color:
            head = f"\x1b[1m{head}\x1b[0m"
        lines = [head, ""]
        lines += aligned(
            [_("Task"), _("Score"), _("Status"), _("Title")],
            [
                [t.id, lang.decimal(t.score), self.status(t.status), _shorten(t.title)]
                for t in evaluation.tasks
            ],
            right={1},
            paint={2: [self.colour(t.status) for t in evaluation.tasks]},
        )
        lines.append("")
        results = evaluation.indicators
        rows = [
            [
                r.id,
                r.task,
                self.window(r),
                lang.value(r.value, self.plan.unit(r.unit)),
                lang.value(r.expected, self.plan.unit(r.unit)),
                lang.decimal(r.score),
                self.status(r.status),
                self.notes(r),
            ]
            for r in results
        ]
        header = [
            _("Indicator"),
            _("Task"),
            _("Window"),
            _("Value"),
            _("Expected"),
            _("Score"),
            _("Status"),
            _("Notes"),
        ]
        lines += aligned(
            header, rows, right={3, 4, 5}, paint={6: [self.colour(r.status) for r in results]}
        )
        if latest is not None:
            lines += self.breakdown(evaluation)
            lines += self.least_healthy(evaluation)
            lines += self.milestones(evaluation, latest)
            lines += self.trends(evaluation)
        details = [printable(f"  {r.id}: {r.error}") for r in results if r.error]
        details += warnings
        if details:
            lines += ["", _("Errors and data warnings:"), *details]
        return lines


def render_table(report: Report, options: RenderOptions) -> str:
    """The plan's heading, then per date the plan score, a task table and an indicator table;
    the breakdowns at the latest date."""
    lang = options.language(report)
    writer = _Writer(lang, options.color, report.plan)
    plan = plan_view(report.plan, lang)
    facts = [plan["id"]]
    if plan["decision"]:
        facts.append(f"{lang.gettext('Decision')} {plan['decision']}")
    facts.append(plan["period"])
    lines = [printable(plan["title"]), printable(" · ".join(facts))]
    seen = seen_from_text(report, lang)
    if seen:
        lines.append(printable(seen))
    warnings = [writer.warnings(e) for e in report.evaluations]
    # Data warnings are about the files, so most are the same at every date: told once.
    common = [w for w in warnings[0] if all(w in other for other in warnings)]
    if len(warnings) < 2:
        common = []
    latest = report.evaluations[-1] if report.evaluations else None
    for evaluation, own in zip(report.evaluations, warnings, strict=True):
        # Breakdowns at every date would bury the tables: the latest is what is acted on,
        # as in the HTML and Markdown reports; the CSV and xlsx give every date's.
        told = [w for w in own if w not in common]
        shown = report if evaluation is latest else None
        lines += ["", *writer.evaluation(evaluation, told, shown)]
    if common:
        lines += ["", lang.gettext("Data warnings, the same at every date:"), *common]
    found = provenance_view(report, lang)
    if found is not None:
        lines += ["", printable(lang.gettext("Where the figures came from:"))]
        lines += [printable(f"  {line}") for line in found["made"]]
        lines += [
            printable(f"  {s['source']}: {s['size']}, {s['modified']}, SHA-256 {s['sha256']}")
            for s in found["sources"]
        ]
    return "\n".join(lines) + "\n"


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(Format("table", render_table, "tables for a person to read", extension=".txt"))
