"""Languages: the words of reports and messages, and how numbers and dates are written.

Labels are English message ids translated with gettext catalogs
(``locale/<lang>/LC_MESSAGES/vpcp_indicators.mo``, made from the ``.po`` files by
``scripts/update_catalogs.py``); numbers, percentages and dates are written by Babel after the
locale's customs (``70,5 %`` and ``31/12/2012`` in Vietnamese). A :class:`Language` is a value
handed to whatever writes; nothing here is global.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

# The units sit above this module: they have labels in several languages.
if TYPE_CHECKING:
    from .units import Unit

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "Language",
    "Text",
    "Translator",
    "Words",
    "language",
    "text",
    "text_in",
]

#: The languages reports and messages exist in.
LANGUAGES = ("vi", "en")
#: The language when neither the command line nor the plan chooses one.
DEFAULT_LANGUAGE = "vi"
DOMAIN = "vpcp_indicators"
LOCALE_DIR = Path(__file__).parent / "locale"

# How each language writes a share and a date; Babel does the rest of the locale's customs.
_PERCENT = {"vi": "#,##0.0 %", "en": "#,##0.0%"}
_DATE = {"vi": "dd/MM/yyyy", "en": "yyyy-MM-dd"}


#: A plugin's words: one string, or one per language code (``{"en": ..., "vi": ...}``).
Text = str | Mapping[str, str]


def text(value: Text) -> Text:
    """A plugin's words, checked and frozen (the converter of ``title`` and ``description``
    fields): a string, or a mapping of language codes to strings."""
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"give a string, or strings by language code: not {value!r}")
    for code, words in value.items():
        if not isinstance(code, str) or not isinstance(words, str):
            raise TypeError(f"give strings by language code: not {code!r}: {words!r}")
    return Words(value)


class Words(Mapping[str, str]):
    """Words by language code, frozen and hashable (kinds and sources are values)."""

    def __init__(self, words: Mapping[str, str]):
        self._words = dict(words)

    def __getitem__(self, code: str) -> str:
        return self._words[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._words.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._words) == dict(other)

    def __repr__(self) -> str:
        return repr(self._words)


def text_in(value: Text, code: str) -> str:
    """A plugin's words in a language: as given in that language, else in English, else in
    the first language given."""
    if isinstance(value, str):
        return value
    return value.get(code) or value.get("en") or next(iter(value.values()))


def N_(message: str) -> str:
    """Mark a message for translation where it is written; it is translated where shown."""
    return message


@attrs.frozen
class Language:
    """A language: its code, its catalog, and Babel's formatting for it."""

    code: str
    catalog: gettext.NullTranslations = attrs.field(eq=False, repr=False)

    def gettext(self, message: str, **values: Any) -> str:
        """The message translated, with ``{name}`` fields filled from ``values``."""
        text = self.catalog.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
        """The singular or plural message for ``count``, translated and filled."""
        text = self.catalog.ngettext(singular, plural, count)
        return text.format(count=self.integer(count), **values)

    def percent(self, value: float | None, empty: str = "-", digits: int = 1) -> str:
        """A share as a percentage with ``digits`` decimals (one unless told), after the
        locale."""
        from babel.numbers import format_percent

        if value is None:
            return empty
        pattern = _PERCENT[self.code].replace(".0", "." + "0" * digits if digits else "")
        return format_percent(value, pattern, locale=self.code)

    def decimal(self, value: float | None, digits: int = 1, empty: str = "-") -> str:
        """A number with ``digits`` decimals, after the locale."""
        from babel.numbers import format_decimal

        if value is None:
            return empty
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, pattern, locale=self.code)

    def integer(self, value: int | None, empty: str = "-") -> str:
        """A whole number with the locale's grouping."""
        from babel.numbers import format_decimal

        return empty if value is None else format_decimal(value, "#,##0", locale=self.code)

    def date(self, value: dt.date) -> str:
        """A date as the locale writes it."""
        from babel.dates import format_date

        return format_date(value, _DATE[self.code], locale=self.code)

    def value(self, value: float | None, unit: Unit, empty: str = "-") -> str:
        """A figure as a person reads it: a share as a percentage, another number with its
        unit's decimals and label ("12 days")."""
        if unit.share:
            return self.percent(value, empty, unit.decimals)
        shown = self.decimal(value, unit.decimals, empty)
        label = text_in(unit.label, self.code)
        return f"{shown} {label}" if label and value is not None else shown

    def translator(self) -> Translator:
        """What a message needs to be shown in this language (see :class:`Translator`)."""
        return Translator(self)


@attrs.frozen
class Translator:
    """A language as a message template needs it: called with a message id, it gives the
    translation; :meth:`ngettext` chooses a plural form; :meth:`date` writes a date as the
    language does. A :class:`~vpcp_indicators.errors.Message` rendered with one is wholly
    in that language, the dates put into it included."""

    language: Language

    def __call__(self, message: str) -> str:
        return self.language.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The translated form of a message for ``count`` (not filled in)."""
        return self.language.catalog.ngettext(singular, plural, count)

    def date(self, value: dt.date) -> str:
        """A date as the language writes it."""
        return self.language.date(value)


@cache
def _catalog(code: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])


def language(code: str) -> Language:
    """The language of this code (``vi`` or ``en``); ValueError for another."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r} (languages: {', '.join(LANGUAGES)})")
    return Language(code, _catalog(code))
