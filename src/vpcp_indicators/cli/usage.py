"""Usage errors (an unknown option, a missing argument, a value an option refuses) in the
reader's language.

Click writes its own messages in English through the process-wide ``gettext``, which a
command cannot point at its catalog for one run without changing the process's locale. So
the texts click makes are recognised by their shape and said again from our catalog: each
template of :data:`CLICK_TEXTS` is click's own (``click/exceptions.py``, ``parser.py``,
``core.py``, ``types.py``), with ``{name!r}`` written ``{name}`` since click has already
quoted the value. A text that matches none (a click release that rewords one) is shown as
click wrote it. The options' own refusals carry their reason as a :class:`Message`
(:class:`Refused`), and need no recognising.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import click

from ..errors import Message
from ..i18n import N_

__all__ = ["CLICK_TEXTS", "Refused", "usage_message"]

#: The texts click makes for the options of these commands, as click writes them (its quoted
#: values as plain fields); those that end with a suggestion first, so that it is said too.
CLICK_TEXTS = (
    N_("{message} Did you mean {possibility}?"),
    N_("{message} (Did you mean one of: {possibilities}?)"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Missing argument {param_hint}."),
    N_("Missing option {param_hint}."),
    N_("Missing parameter {param_hint}."),
    N_("Missing command."),
    N_("No such command {name}."),
    N_("No such option {name}."),
    N_("No such option: {name}"),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {nargs} arguments."),
    N_("Option {name} does not take a value."),
    N_("{value} is not one of {choices}."),
    N_("{value} is not in the range {range}."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid float range."),
    N_("{value} is not a valid integer."),
    N_("{value} is not a valid integer range."),
    N_("{name} {filename} does not exist."),
    N_("{name} {filename} is a file."),
    N_("{name} {filename} is a directory."),
    N_("{name} {filename} is not readable."),
    N_("{name} {filename} is not writable."),
    N_("{name} {filename} is not executable."),
)
#: Words click puts into its texts (what a path option wants).
CLICK_WORDS = {"File": N_("File"), "Directory": N_("Directory"), "Path": N_("Path")}
#: The fields that hold a text of click's own, recognised in turn.
_NESTED = "message"
_FIELD = re.compile(r"\{(\w+)\}")


class Refused(click.BadParameter):
    """A value an option or argument refuses, with the reason as a message to translate."""

    def __init__(
        self,
        reason: Message,
        ctx: click.Context | None = None,
        param: click.Parameter | None = None,
        param_hint: str | None = None,
    ) -> None:
        super().__init__(reason.render(), ctx, param, param_hint)
        self.reason = reason


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    found = []
    for template in CLICK_TEXTS:
        parts = _FIELD.split(template)
        # split() alternates text and field names: text, field, text, field, ..., text.
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((re.compile(pattern, re.S), template))
    return tuple(found)


def recognised(text: str, reason: Message | None = None) -> Message:
    """Click's ``text`` as a message of the catalog (``reason`` in place of its inner
    message, if given); the text itself when it is none of click's known texts."""
    for pattern, template in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[str, Any] = dict(match.groupdict())
        if _NESTED in values:
            values[_NESTED] = reason or recognised(values[_NESTED])
        if values.get("name") in CLICK_WORDS:
            values["name"] = Message(CLICK_WORDS[values["name"]])
        return Message(template, values)
    return Message("{text}", {"text": text})


def usage_message(error: click.ClickException) -> Message:
    """What a usage error says, as a message to show in the reader's language."""
    reason = error.reason if isinstance(error, Refused) else None
    return recognised(error.format_message(), reason)
