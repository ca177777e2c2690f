"""The layers of the package, as the README draws them: a module imports only from lower
layers (or its own part), and never a private name of another module.

Imports made only for type checking (under ``if TYPE_CHECKING:``) are not dependencies and
are left out, as is the package root's lazy listing of the public API.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "vpcp_indicators"

#: Each part of the package and its layer, lowest first: the README's picture, as data.
LAYERS = {
    "hookspecs": 0,
    "printable": 0,
    "spill": 0,
    "i18n": 1,
    "messages": 2,
    "errors": 3,
    "cache": 3,
    "units": 3,
    "filekinds": 4,
    "windows": 4,
    "plan": 5,
    "measurement": 6,
    "scoring": 6,
    "milestones": 7,
    "trend": 7,
    "provenance": 7,
    "organisation": 7,
    "kinds": 8,
    "evaluation": 8,
    "sensitivity": 8,
    "files": 8,
    "sources": 9,
    "aggregation": 9,
    "derivation": 9,
    "sql": 9,
    "backends": 10,
    "formats": 10,
    "plugins": 11,
    "engine": 12,
    "explain": 13,
    "verify": 13,
    "convert": 13,
    "testing": 13,
    "scaffold": 13,
    "cli": 14,
    "__main__": 15,
}


def _module(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _imports() -> list[tuple[str, list[str], str, list[str]]]:
    """``(file, importing module, imported name, imported module)`` for each relative import
    of the package that is not for type checking only."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        skip = _type_checking_only(tree)
        here = _module(path)
        package = here if path.name == "__init__.py" else here[:-1]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level or node.lineno in skip:
                continue
            base = package[: len(package) - (node.level - 1)]
            target = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                found.append((str(path.relative_to(PACKAGE)), here, alias.name, target))
    return found


def test_every_part_of_the_package_has_a_layer():
    parts = {_module(p)[0] for p in PACKAGE.rglob("*.py") if _module(p)}
    assert parts - {"locale"} <= set(LAYERS), sorted(parts - set(LAYERS))


def test_no_module_imports_from_a_higher_layer():
    wrong = set()
    for file, here, name, target in _imports():
        target = target or [name]  # a part of the package imported by name from its root
        if not here or target == ["__version__"]:
            continue
        source, dest = here[0], target[0]
        if source == dest:
            continue
        if LAYERS[dest] >= LAYERS[source]:
            wrong.add(
                f"{file}: {'.'.join(target)}.{name} ({source} {LAYERS[source]} -> "
                f"{dest} {LAYERS[dest]})"
            )
    assert not wrong, "\n".join(sorted(wrong))


def test_no_module_imports_a_private_name_of_another():
    wrong = [
        f"{file}: {'.'.join(target)}.{name}"
        for file, _, name, target in _imports()
        if name.startswith("_") and name != "__version__"
    ]
    assert not wrong, "\n".join(wrong)


README = PACKAGE.parent.parent / "README.md"


def _block(name: str) -> list[str]:
    text = README.read_text("utf-8")
    block = text.split(f"<!-- {name}:start -->", 1)[1].split(f"<!-- {name}:end -->", 1)[0]
    return block.split("```text\n", 1)[1].split("```", 1)[0].splitlines()


def _tree_in_readme() -> set[str]:
    """The modules the README's tree names, as paths inside the package (``plan/model.py``).

    The package's own modules are indented under its line; its folders start at the margin,
    each with its modules (and folders) indented under it."""
    found: set[str] = set()
    latest = {0: ""}  # the folder last named at each depth: the package at the margin
    for line in _block("tree")[1:]:
        depth = (len(line) - len(line.lstrip())) // 2
        name = line.split()[0]
        inside = latest[depth - 1] if depth else ""
        if name.endswith("/"):
            latest[depth] = inside + name
            found.add(latest[depth] + "__init__.py")
        else:
            found.add(inside + name)
    return found


def test_the_readmes_tree_names_every_module_and_no_other():
    on_disk = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "template" not in path.relative_to(PACKAGE).parts
    }
    assert _tree_in_readme() == on_disk


def test_the_readmes_picture_is_the_layers_of_the_architecture_test():
    rows = [
        [name.strip() for name in line.split("·")]
        for line in _block("layers")
        if line.strip() and line.strip() != "▼"
    ]
    named = [name for row in rows for name in row]
    assert sorted(named) == sorted(LAYERS), "each part once in the picture"
    # Top to bottom, each row one layer lower than the row above it.
    layers = [{LAYERS[name] for name in row} for row in rows]
    assert all(len(layer) == 1 for layer in layers), layers
    assert [layer.pop() for layer in layers] == list(range(len(rows) - 1, -1, -1))
