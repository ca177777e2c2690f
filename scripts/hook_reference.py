"""Write the hook reference of docs/plugins.md from the docstrings of hookspecs.py.

    python scripts/hook_reference.py          # after changing a hook: rewrite the section
    python scripts/hook_reference.py --check  # CI: fails if the section is stale

Each hook is a heading with its signature, then its docstring, in the order of the module
and under the phase its comment banner names. reST markup of the docstrings (``code``,
:class:`name`) becomes Markdown.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from generated_block import main, replaced

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "plugins.md"
START, END = "<!-- hooks:start -->", "<!-- hooks:end -->"
_BANNER = re.compile(r"^# -- (.+?) -+$")


def _markdown(text: str) -> str:
    text = re.sub(r":(?:class|func|mod|meth|attr):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def reference() -> str:
    """The section's text: every hook with its signature and docstring."""
    sys.path.insert(0, str(ROOT / "src"))
    from vpcp_indicators import hookspecs

    source = inspect.getsource(hookspecs).splitlines()
    lines = [_markdown(inspect.getdoc(hookspecs) or ""), ""]
    hooks = [
        function
        for name, function in vars(hookspecs).items()
        if callable(function) and hasattr(function, f"{hookspecs.PROJECT}_spec")
    ]
    hooks.sort(key=lambda f: f.__code__.co_firstlineno)
    phase = None
    for hook in hooks:
        doc = inspect.getdoc(hook)
        if not doc:
            raise SystemExit(f"hook {hook.__name__} has no docstring: write one")
        first = hook.__code__.co_firstlineno
        banners = [m.group(1) for line in source[:first] if (m := _BANNER.match(line))]
        if banners and banners[-1] != phase:
            phase = banners[-1]
            lines += [f"### {phase}", ""]
        arguments = ", ".join(inspect.signature(hook).parameters)
        lines += [f"#### `{hook.__name__}({arguments})`", "", _markdown(doc), ""]
    return "\n".join(lines).rstrip() + "\n"


def written(guide: str) -> str:
    """The guide with its reference section replaced by a fresh one."""
    return replaced(guide, START, END, reference())


if __name__ == "__main__":
    main(GUIDE, written, "hook reference")
