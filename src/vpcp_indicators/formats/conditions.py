"""A counting condition in words, in the reader's language.

Each condition becomes a clause that reads after "the records where" ("issuer is government
or prime_minister", "left_on is empty or left_on is after 2013-06-30"), with the evaluation
date and the window's dates written out. The plan's and the records' text (columns, values,
source names) is put in as written; whoever shows the line escapes it. A value the plan
labels (``[labels.<column>]``) is shown as its label with the code after it, in parentheses:
the reader learns what it means and can still find it in the records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from ..i18n import N_, Language, Text, text_in
from ..kinds.counting import (
    After,
    AllOf,
    Always,
    AnyOf,
    Condition,
    Empty,
    HasRelated,
    In,
    InWindow,
    Not,
    OnOrBefore,
)
from ..windows import Window

__all__ = ["describe", "keeps_everything"]

_DATED = {
    OnOrBefore: N_("{column} is on or before {date}"),
    After: N_("{column} is after {date}"),
}
_RELATED = {
    # (a condition on the related records, the values they must cover): the clause.
    (False, False): N_("{source} has a record with the same {key}"),
    (True, False): N_("{source} has a record with the same {key} in which {where}"),
    (False, True): N_(
        "{source} has records with the same {key}, covering every {column} among {values}"
    ),
    (True, True): N_(
        "{source} has records with the same {key} in which {where}, covering every {column} "
        "among {values}"
    ),
}


def keeps_everything(condition: Condition) -> bool:
    """Whether a condition holds for every record, so that it filters nothing out."""
    if isinstance(condition, AllOf):
        return all(keeps_everything(c) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(keeps_everything(c) for c in condition.conditions)
    return isinstance(condition, Always)


def describe(
    condition: Condition,
    lang: Language,
    as_of: dt.date,
    window: Window,
    labels: Mapping[str, Mapping[str, Text]] | None = None,
) -> str:
    """``condition`` as a clause, with ``as_of`` and ``window``'s dates written out and the
    values of the columns ``labels`` names labelled."""
    return _Wording(lang, as_of, window, labels or {}).clause(condition)


@attrs.frozen
class _Wording:
    lang: Language
    as_of: dt.date
    window: Window
    labels: Mapping[str, Mapping[str, Text]]

    def clause(self, condition: Condition, nested: bool = False) -> str:
        """The clause; ``nested`` puts a compound one in parentheses."""
        _ = self.lang.gettext
        if isinstance(condition, In):
            return _("{column} is {values}", column=condition.column, values=self.any(condition))
        if isinstance(condition, Empty):
            return _("{column} is empty", column=condition.column)
        if isinstance(condition, OnOrBefore | After):
            date = self.lang.date(self.as_of)
            return _(_DATED[type(condition)], column=condition.column, date=date)
        if isinstance(condition, InWindow):
            return _(
                "{column} is between {start} and {end}",
                column=condition.column,
                start=self.lang.date(self.window.start),
                end=self.lang.date(self.window.end),
            )
        if isinstance(condition, Not):
            return self.negated(condition.condition)
        if keeps_everything(condition):
            return _("every record counts")
        if isinstance(condition, AllOf | AnyOf):
            return self.joined(condition, nested)
        if isinstance(condition, HasRelated):
            return self.related(condition)
        return type(condition).__name__

    def negated(self, condition: Condition) -> str:
        _ = self.lang.gettext
        if isinstance(condition, In):
            return _(
                "{column} is not {values}", column=condition.column, values=self.any(condition)
            )
        if isinstance(condition, Empty):
            return _("{column} is not empty", column=condition.column)
        return _("it is not so that {condition}", condition=self.clause(condition, nested=True))

    def joined(self, condition: AllOf | AnyOf, nested: bool) -> str:
        # A part that holds for every record says nothing within "and".
        parts = [c for c in condition.conditions if not keeps_everything(c)]
        if not parts:  # "or" of nothing: no record
            return self.lang.gettext("no record counts")
        if len(parts) == 1:
            return self.clause(parts[0], nested)
        _ = self.lang.gettext
        joiner = _(" and ") if isinstance(condition, AllOf) else _(" or ")
        text = joiner.join(self.clause(c, nested=True) for c in parts)
        return f"({text})" if nested else text

    def related(self, condition: HasRelated) -> str:
        where = not keeps_everything(condition.where)
        template = _RELATED[where, condition.covering is not None]
        column, values = condition.covering or ("", frozenset[str]())
        return self.lang.gettext(
            template,
            source=condition.source,
            key=condition.key,
            where=self.clause(condition.where, nested=True) if where else "",
            column=column,
            values=", ".join(self.value(column, v) for v in sorted(values)),
        )

    def any(self, condition: In) -> str:
        """The values of a condition as alternatives: ``a``, ``a or b``, ``a, b or c``."""
        values = [self.value(condition.column, v) for v in sorted(condition.values)]
        return _alternatives(values, self.lang)

    def value(self, column: str, code: str) -> str:
        """A value of a column: its label and, in parentheses, the code, when the plan labels
        it; else the code."""
        label = self.labels.get(column, {}).get(code)
        if label is None:
            return code
        return f"{text_in(label, self.lang.code)} ({code})"


def _alternatives(values: Iterable[str], lang: Language) -> str:
    *first, last = list(values) or [""]
    if not first:
        return last
    return lang.gettext("{items} or {last}", items=", ".join(first), last=last)
