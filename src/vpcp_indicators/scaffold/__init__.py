"""``vpcp-indicators new-plugin``: the files of a new plugin package, ready to install.

The package holds one indicator kind that works as written (a share of records, counted
declaratively), its tests written with :mod:`vpcp_indicators.testing`, an example plan with
its data, and a README. The templates are the files under ``template/``: ``*.tmpl`` files
have ``${...}`` fields to fill in, and ``MODULE`` in a path stands for the module name.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import shutil
import string
import sys
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .. import __version__
from ..errors import VpcpError, os_reason

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["PluginNames", "ScaffoldError", "new_plugin", "plugin_names"]

# A distribution name as PyPI accepts it (PEP 508), starting with a letter so that the module
# made from it is a Python identifier too.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*([-_.][A-Za-z0-9]+)*")
_KIND = re.compile(r"[a-z][a-z0-9_]*")


class ScaffoldError(VpcpError):
    """A new plugin cannot be written (a bad name, or the directory exists)."""

    exit_code = 2


@attrs.frozen
class PluginNames:
    """The names a plugin package is known by."""

    distribution: str  #: as pip installs it: ``vpcp-online-services``
    module: str  #: as Python imports it: ``vpcp_online_services``
    kind: str  #: the kind a plan names: ``online_services``


def plugin_names(
    name: str, kind: str | None = None, taken_kinds: Iterable[str] = ()
) -> PluginNames:
    """The distribution, module and kind names of a new plugin (ScaffoldError if bad).

    The module must not hide one Python already finds (``json``, ``vpcp_indicators``, an
    installed plugin), and the kind must not be one of ``taken_kinds``: a kind registered
    twice is unusable.
    """
    if not _NAME.fullmatch(name):
        raise ScaffoldError(
            "{name} cannot name a plugin package: use letters, digits and single - _ or . "
            "between them, starting with a letter",
            name=repr(name),
        )
    module = re.sub(r"[-_.]+", "_", name).lower()
    if keyword.iskeyword(module) or _importable(module):
        raise ScaffoldError(
            "'{name}' would make the module '{module}', which Python already has: choose "
            "another name",
            name=name,
            module=module,
        )
    derived = kind is None
    kind = module.removeprefix("vpcp_") if kind is None else kind
    if not _KIND.fullmatch(kind) and derived:
        raise ScaffoldError(
            "{kind} cannot name a kind: use lower-case letters, digits and _, starting with a "
            "letter (give one with --kind)",
            kind=repr(kind),
        )
    if not _KIND.fullmatch(kind):
        raise ScaffoldError(
            "{kind} cannot name a kind: use lower-case letters, digits and _, starting with a "
            "letter",
            kind=repr(kind),
        )
    if kind in set(taken_kinds):
        raise ScaffoldError(
            "kind '{kind}' is already provided by an installed plugin: give another with --kind",
            kind=kind,
        )
    return PluginNames(name, module, kind)


def _importable(module: str) -> bool:
    if module in sys.stdlib_module_names or module in sys.builtin_module_names:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return True


def _fields(names: PluginNames) -> dict[str, str]:
    words = names.kind.replace("_", " ")
    return {
        "distribution": names.distribution,
        "module": names.module,
        "kind": names.kind,
        "kind_title": words[:1].upper() + words[1:],
        "core_version": __version__,
    }


def new_plugin(
    name: str,
    directory: str | Path = ".",
    kind: str | None = None,
    taken_kinds: Iterable[str] = (),
) -> Path:
    """Write a new plugin package named ``name`` into ``directory``; return its folder.

    The folder is written whole or not at all, and never over an existing one.
    """
    names = plugin_names(name, kind, taken_kinds)
    parent = Path(directory)
    target = parent / names.distribution
    if target.exists():
        raise ScaffoldError("{path} already exists: choose another name or --dir", path=target)
    if not parent.exists():
        raise ScaffoldError("{path} does not exist", path=parent)
    if not parent.is_dir():
        raise ScaffoldError("{path} is not a directory", path=parent)
    fields = _fields(names)
    template = resources.files(__name__).joinpath("template")
    try:
        with tempfile.TemporaryDirectory(prefix=".new-plugin-", dir=parent) as scratch:
            staged = Path(scratch) / names.distribution
            _copy(template, staged, fields, names.module)
            staged.rename(target)
    except OSError as error:
        raise ScaffoldError(
            "cannot write into {path}: {reason}", path=parent, reason=os_reason(error)
        ) from error
    return target


def _copy(source: Traversable, target: Path, fields: dict[str, str], module: str) -> None:
    """Copy a template folder, filling in the fields of each ``*.tmpl`` file."""
    target.mkdir(parents=True)
    for item in sorted(source.iterdir(), key=lambda i: i.name):
        name = item.name.replace("MODULE", module)
        if item.is_dir():
            if item.name != "__pycache__":
                _copy(item, target / name, fields, module)
        elif name.endswith(".tmpl"):
            text = string.Template(item.read_text("utf-8")).substitute(fields)
            (target / name.removesuffix(".tmpl")).write_text(text, "utf-8")
        else:
            with item.open("rb") as stream, open(target / name, "wb") as out:
                shutil.copyfileobj(stream, out)
