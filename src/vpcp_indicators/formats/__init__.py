"""Output formats of ``evaluate --format``, one module per format.

Each format is registered through the ``register_formats`` hook and is a function of a
:class:`~vpcp_indicators.Report` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ..evaluation import Report
    from ..i18n import Language

__all__ = ["Format", "RenderOptions"]


@attrs.frozen
class RenderOptions:
    """How a person wants the output: ``lang`` its language (``vi`` or ``en``; None: the
    plan's ``language``, else Vietnamese); ``color`` is True only for a terminal that
    allows it."""

    color: bool = False
    lang: str | None = None

    def language(self, report: Report) -> Language:
        """The language to write ``report`` in."""
        from ..i18n import DEFAULT_LANGUAGE, language

        return language(self.lang or report.plan.language or DEFAULT_LANGUAGE)


@attrs.frozen
class Format:
    """An output format: ``render(report, options)`` returns text, or bytes if ``binary``."""

    name: str
    render: Callable[[Report, RenderOptions], str | bytes]
    description: str = ""
    binary: bool = False
    extension: str = ""
