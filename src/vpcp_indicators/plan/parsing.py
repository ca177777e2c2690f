"""From a plan file to TOML data, whatever the file holds: every failure a located problem.

Before the loader (``reading.py``) reads tables and keys, the file must be a regular file of a
sane size, UTF-8, valid TOML, nested no deeper than :data:`MAX_DEPTH`, and every number in it
finite and within the range of a float, since every figure becomes one on output. A file
that is none of these gives problems, never an exception of the parser.
"""

from __future__ import annotations

import math
import os
import re
import sys
from typing import Any

import attrs

from ..errors import Message, Problem, message
from ..filekinds import FileProblem, read_file
from .locations import KeyLocator, locate_keys
from .locations import Path as KeyPath
from .tomlscan import long_digits, position_of, too_deep

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["LARGEST", "MAX_DEPTH", "MAX_PLAN_BYTES", "Unfit", "read_toml"]

#: The largest plan file read. A plan is a few hundred lines; ten megabytes is a mistake.
MAX_PLAN_BYTES = 10 * 2**20
#: How deep tables and arrays may nest. A plan needs about six levels; the limit keeps the
#: parser and the key locator, which both recurse, far from Python's recursion limit.
MAX_DEPTH = 32
#: The largest number a plan may hold, in absolute value: the largest finite float.
LARGEST = sys.float_info.max

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_NOT_FINITE = {"inf", "+inf", "-inf", "nan", "+nan", "-nan"}


@attrs.frozen
class Unfit:
    """A TOML float that is not a finite float (``inf``, ``nan``, ``1e400``), as written.

    It stands in the data where the number was; its problem is already reported."""

    text: str


def _parse_float(text: str) -> float | Unfit:
    value = float(text)
    return value if math.isfinite(value) else Unfit(text)


def read_toml(
    path: str | os.PathLike[str],
) -> tuple[dict[str, Any] | None, KeyLocator, list[Problem]]:
    """The TOML data of a plan file (None if it cannot be read), a locator of its keys, and
    the problems found. With problems, data may still be returned: a number out of range is
    left as an :class:`Unfit` in place, so that the rest of the plan can be checked."""
    name = str(path)
    unlocated = KeyLocator(name)
    try:
        raw = read_file(path, MAX_PLAN_BYTES)
    except FileProblem as error:
        return None, unlocated, [Problem(error.reason, file=name)]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, unlocated, [Problem(message("the plan file is not UTF-8 text"), name, line)]
    # Looked for before parsing: the parser would recurse, or take minutes, on these.
    offset = too_deep(text, MAX_DEPTH)
    if offset is not None:
        return None, unlocated, [Problem(_nesting(), name, *position_of(text, offset))]
    try:
        data = tomllib.loads(text, parse_float=_parse_float)
    except tomllib.TOMLDecodeError as error:
        return None, unlocated, [_syntax_error(name, str(error))]
    except RecursionError:
        # Only when called with little stack left: the nesting is within the limit.
        return None, unlocated, [Problem(_nesting(), name)]
    except ValueError:
        # Not a syntax error: an integer with more digits than int() converts.
        offset = long_digits(text, _int_digits())
        where = position_of(text, offset) if offset is not None else (None, None)
        return None, unlocated, [Problem(_too_large(), name, *where)]
    # Keys and brackets are within the limit here, so the key locator reads the document
    # safely; but table headers and dotted keys together may still nest too deep.
    locator = KeyLocator(name, locate_keys(text))
    deepest, unfit = _check_values(data)
    if deepest is not None:
        return None, unlocated, [locator.problem(deepest, _nesting())]
    problems = [locator.problem(path, said) for path, said in unfit]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return data, locator, problems


def _int_digits() -> int:
    """The most digits ``int()`` converts (a host may change it; 0 means no limit)."""
    limit: int = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    return limit or 4300


def _syntax_error(name: str, said: str) -> Problem:
    match = _TOML_POSITION.search(said)
    if match is None:
        return Problem(message("not valid TOML: {reason}", reason=said), file=name)
    reason = message("not valid TOML: {reason}", reason=said[: match.start()])
    return Problem(reason, name, int(match.group(1)), int(match.group(2)))


def _too_large() -> Message:
    return message("number too large (at most {limit} in absolute value)", limit=repr(LARGEST))


def _not_finite() -> Message:
    return message("expected a finite number")


def _nesting() -> Message:
    return message(
        "nesting too deep (more than {limit} levels of tables and arrays)", limit=MAX_DEPTH
    )


def _check_values(data: dict[str, Any]) -> tuple[KeyPath | None, list[tuple[KeyPath, Message]]]:
    """The key path of the first table or array nested too deep (None if there is none), and
    each number that is not finite or is beyond the range of a float; without recursion.

    The top table is level 0, a table or array in it level 1, and so on.
    """
    unfit: list[tuple[KeyPath, Message]] = []
    stack: list[tuple[KeyPath, dict[str, Any] | list[Any], int]] = [((), data, 0)]
    while stack:
        path, container, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path, unfit
        items = container.items() if isinstance(container, dict) else enumerate(container)
        nested = []
        for key, value in items:
            if isinstance(value, dict | list):
                nested.append(((*path, key), value, depth + 1))
            elif isinstance(value, Unfit):
                finite = value.text not in _NOT_FINITE
                unfit.append(((*path, key), _too_large() if finite else _not_finite()))
            # type(), not isinstance(): a boolean is an int, and never too large.
            elif type(value) is int and not -LARGEST <= value <= LARGEST:
                unfit.append(((*path, key), _too_large()))
        stack += reversed(nested)
    return None, unfit
