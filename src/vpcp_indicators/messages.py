"""Messages in every language: English templates with named fields, and the values put into
them shown safely.

Messages are written as English templates with named fields (:class:`Message`), so that they
are shown in the user's language, and read in English by ``str()``. Templates are the
project's own; the values put into them come from plans, files and plugins and may hold
anything. Every value is therefore shown on one line (control characters escaped, ``\\n`` for
a line break) and cut when long, and a rendered line is at most :data:`LINE_WIDTH`
characters: whatever a plan holds, its errors stay one readable line each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import string
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .i18n import N_, Translator

__all__ = [
    "LINE_WIDTH",
    "VALUE_WIDTH",
    "Message",
    "Translate",
    "as_message",
    "message",
    "one_line",
    "os_reason",
    "plural_message",
]

#: Translates a message id (the English template) into a language.
Translate = Callable[[str], str]


#: The most characters a value takes in a message; a longer one is cut, ending in "…". Long
#: enough for a list of every kind or key, short enough for a line to stay readable.
VALUE_WIDTH = 200
#: The most characters a line of a message (or a located problem) takes, whatever it holds.
LINE_WIDTH = 499

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Bidirectional controls reorder what a terminal shows ("Trojan Source"): shown escaped too.
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _escape(char: str) -> str:
    """A character as it is shown: itself, or an escape if it could break or hide a line."""
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    # C0, DEL and C1 controls; line and paragraph separators (splitlines() breaks on them);
    # lone surrogates (bytes that were not UTF-8 in a file name), which cannot be printed.
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if code in (0x2028, 0x2029) or 0xD800 <= code <= 0xDFFF or code in _BIDI:
        return f"\\u{code:04x}"
    return char


def one_line(text: str, width: int = VALUE_WIDTH) -> str:
    """``text`` on one line of at most ``width`` characters: control characters escaped
    (``\\n``, ``\\x1b``), and cut with an ellipsis when longer. Work is bounded by ``width``,
    not by the length of ``text``."""
    shown: list[str] = []
    used = 0
    for char in text[: width + 1]:
        piece = _escape(char)
        if used + len(piece) > width:
            # Room for the ellipsis: drop pieces from the end until it fits.
            while shown and used + 1 > width:
                used -= len(shown.pop())
            shown.append("…")
            return "".join(shown)
        shown.append(piece)
        used += len(piece)
    return "".join(shown)


class _Shown(str):
    """A value already made safe (a message rendered on its own): put in as it is."""

    __slots__ = ()


class _SafeFormatter(string.Formatter):
    """``str.format`` that shows every value on one line, cut to :data:`VALUE_WIDTH`."""

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        # A field the message does not give (a translation that misspells one) is shown as
        # the field, rather than losing the whole message.
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return _Shown(f"{{{key}}}")

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, str) and not isinstance(value, _Shown):
            # Only the start of a long value is shown: do not escape a megabyte to cut it.
            value = value[: VALUE_WIDTH + 1]
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Shown) and not format_spec:
            return value
        try:
            text = super().format_field(value, format_spec)
        except (ValueError, TypeError, OverflowError):
            # An int beyond str()'s digit limit, a spec the value does not take: the message
            # is still shown, with the kind of value in place of the value.
            text = f"<{type(value).__name__}>"
        return one_line(text, VALUE_WIDTH)


_FORMATTER = _SafeFormatter()


def _frozen(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@attrs.frozen
class Message:
    """A message to show: an English template with ``{name}`` fields, and their values.

    A value may itself be a :class:`Message` (a phrase translated on its own). A date is
    written as the reader's language writes it (``31/12/2012`` in Vietnamese) when the
    message is rendered with a :class:`~vpcp_indicators.i18n.Translator`. With ``plural``
    (the English plural template), the form is chosen by the ``count`` value, through the
    catalog's plural rules. However long or strange the values, the message renders as one
    line (see :func:`one_line`).
    """

    template: str
    args: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen)
    plural: str | None = None

    def render(self, translate: Translate | None = None) -> str:
        """The message in a language (English when ``translate`` is None), on one line of at
        most :data:`LINE_WIDTH` characters, each value escaped and cut."""
        text = self._translated(translate)
        values = {k: _shown(v, translate) for k, v in self.args.items()}
        if values:
            # A template with a stray brace is shown as it is written.
            with contextlib.suppress(ValueError, IndexError, AttributeError):
                text = _FORMATTER.vformat(text, (), values)
        # The template is the project's, but a plugin may hand in a text of its own as one.
        return one_line(text, LINE_WIDTH)

    def _translated(self, translate: Translate | None) -> str:
        if self.plural is None:
            return translate(self.template) if translate else self.template
        count = self.args.get("count")
        number = count if isinstance(count, int) else 0
        if isinstance(translate, Translator):
            return translate.ngettext(self.template, self.plural, number)
        english = self.template if number == 1 else self.plural
        return translate(english) if translate else english

    def __str__(self) -> str:
        return self.render()


def _shown(value: Any, translate: Translate | None) -> Any:
    """A value as a message shows it in the reader's language."""
    if isinstance(value, Message):
        return _Shown(value.render(translate))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return translate.date(value) if isinstance(translate, Translator) else value.isoformat()
    return value


def as_message(text: Message | str) -> Message:
    """A message as it is, or a text as a message of its own."""
    return text if isinstance(text, Message) else Message(text)


def message(template: str, **args: Any) -> Message:
    """A :class:`Message` (the template is marked for translation where this is called)."""
    return Message(template, args)


def plural_message(singular: str, plural: str, count: int, **args: Any) -> Message:
    """A :class:`Message` in the singular or plural form ``count`` asks for, in the reader's
    language (``{count}`` is filled with ``count``)."""
    return Message(singular, {"count": count, **args}, plural=plural)


#: What the operating system's refusals mean, by errno name: the C library's own English
#: words, so that an English message reads as before, and a translation for each.
_OS_REASONS = {
    "ENOENT": N_("No such file or directory"),
    "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"),
    "EISDIR": N_("Is a directory"),
    "ENOTDIR": N_("Not a directory"),
    "ELOOP": N_("Too many levels of symbolic links"),
    "ENAMETOOLONG": N_("File name too long"),
    "ENOSPC": N_("No space left on device"),
    "EDQUOT": N_("Disk quota exceeded"),
    "EFBIG": N_("File too large"),
    "EROFS": N_("Read-only file system"),
    "EBADF": N_("Bad file descriptor"),
    "EIO": N_("Input/output error"),
    "EEXIST": N_("File exists"),
    "EXDEV": N_("Invalid cross-device link"),
    "EMFILE": N_("Too many open files"),
    "ENFILE": N_("Too many open files in system"),
    "ETXTBSY": N_("Text file busy"),
    "EBUSY": N_("Device or resource busy"),
    "ENXIO": N_("No such device or address"),
    "ENODEV": N_("No such device"),
    "EAGAIN": N_("Resource temporarily unavailable"),
    "ENOMEM": N_("Cannot allocate memory"),
    "EINVAL": N_("Invalid argument"),
    "EPIPE": N_("Broken pipe"),
}


def os_reason(error: OSError) -> Message:
    """Why the operating system refused, in the reader's language: the words of the catalog
    for the refusals a run meets, the system's own words (in English) for any other."""
    name = errno.errorcode.get(error.errno or 0, "")
    if name in _OS_REASONS:
        return Message(_OS_REASONS[name])
    if error.strerror:
        said = error.strerror
    elif error.errno:
        said = os.strerror(error.errno)
    else:
        said = type(error).__name__
    return Message("{reason}", {"reason": said})
