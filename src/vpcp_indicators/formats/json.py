"""The JSON output: the contract tools read (see ``Report.to_dict``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..evaluation import Report
from ..hookspecs import hookimpl
from . import Format, RenderOptions

__all__ = ["render_json"]


def render_json(report: Report, options: RenderOptions) -> str:
    """One JSON object on one line, keys in a fixed order: the same report, the same bytes.

    Compact, because reports of large plans are for tools (and the indenting encoder is
    many times slower); ``python -m json.tool`` or ``jq`` indent it for a person.
    """
    return json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"


@hookimpl
def register_formats(register: Callable[[Format], None]) -> None:
    register(Format("json", render_json, "one JSON object, for tools", extension=".json"))
