"""Where the figures came from, as the reports for people close with it, in one language."""

from __future__ import annotations

from typing import Any

from ..evaluation import Report
from ..i18n import Language
from ..windows import window_rule

__all__ = ["provenance_view"]


def provenance_view(report: Report, lang: Language) -> dict[str, Any] | None:
    """The report's provenance in words: what made it (``made``: one line each), and a row
    per source (its path, size, time and SHA-256); None for a report without one."""
    found = report.provenance
    if found is None:
        return None
    _ = lang.gettext
    made = [
        _("vpcp-indicators {version}", version=found.version),
        _("engine: {name} {version}", name=found.engine, version=found.engine_version),
    ]
    made += [
        _("plugin {name} {version}: {kinds}", name=p.name, version=p.version or "-",
          kinds=", ".join(p.kinds))
        for p in found.plugins
    ]  # fmt: skip
    if found.plan_path is not None:
        made.append(
            _(
                "plan {path}, SHA-256 {sha256}",
                path=found.plan_path,
                sha256=found.plan_sha256 or "-",
            )
        )
    grid = found.options.get("grid")
    if grid:
        ends = _(window_rule(grid).ends)
        made.append(_("milestones also looked for on {ends}", ends=ends))
    sources = [
        {
            "source": s.source,
            "size": "-" if s.size is None else _("{size} bytes", size=lang.integer(s.size)),
            "modified": s.modified or "-",
            "sha256": s.sha256 or "-",
        }
        for s in found.sources
    ]
    return {"made": made, "sources": sources}
