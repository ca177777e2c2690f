"""What a tally does with each row of a file, written for its columns, as attrs writes an
``__init__`` for its fields.

The Python engine's hottest code is what it does with each row of a large file. Written
generally (:meth:`.consumers.Consumer.feeder`, the readable reference), it picks the
required values, the dates and the tallied values through ``itemgetter`` tuples. Written for
one source, the same tests are a handful of indexings: ``feed(line, values)`` for a row, and
``consume(rows)``, the same body in one loop, for a file a count alone reads (no call per
row). A test holds both to the reference, row for row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from ...sources import RowValues

__all__ = ["Tally", "loop_source", "tally_loop"]


def _body(
    required: Sequence[int], dates: Sequence[int], picked: Sequence[int], keys: Sequence[int],
    indent: str, skip: str,
) -> list[str]:  # fmt: skip
    """The work on one row (``line``, ``values``); ``skip`` leaves a row out."""
    lines = []
    if keys:
        lines.append("if not isinstance(values, str):")
        for j, at in enumerate(keys):
            lines += [f"    if values[{at}]:", f"        known{j}.add(values[{at}])"]
    slow = ["isinstance(values, str)"]
    slow += [f'values[{i}] == ""' for i in required]
    slow += [f"values[{i}] not in good" for i in dates]
    lines += [f"if {' or '.join(slow)}:", "    if check(line, values) is None:", f"        {skip}"]
    lines += [f"    good.add(values[{i}])" for i in dates]
    key = "".join(f"values[{i}], " for i in picked)
    lines += [f"key = ({key})", "raw[key] = get(key, 0) + 1"]
    return [indent + line for line in lines]


def loop_source(
    required: Sequence[int], dates: Sequence[int], picked: Sequence[int], keys: Sequence[int]
) -> str:
    """The source of ``feed(line, values)`` and ``consume(rows)`` for a file whose rows hold
    values at these indexes: ``required`` values, ``dates``, the ``picked`` values tallied,
    the ``keys`` whose values are known (``known{j}``, for each readable row, even one
    skipped for another fault)."""
    parts = (required, dates, picked, keys)
    feed = ["def feed(line, values):", *_body(*parts, indent="    ", skip="return")]
    consume = ["def consume(rows):", "    for line, values in rows:"]
    consume += _body(*parts, indent="        ", skip="continue")
    return "\n".join([*feed, "", *consume]) + "\n"


@attrs.frozen
class Tally:
    """The two ways of tallying rows, written for one source."""

    feed: Callable[[int, RowValues | Any], None]
    consume: Callable[[Iterable[RowValues]], None]


def tally_loop(
    required: Sequence[int],
    dates: Sequence[int],
    picked: Sequence[int],
    keys: Sequence[tuple[int, set[str]]],
    raw: Counter[tuple[str, ...]],
    check: Callable[[int, Any], Any],
) -> Tally:
    """The functions that tally ``raw`` from a file's rows (see :func:`loop_source`); rows
    that fail the quick tests go through ``check``, which reports them or lets them through."""
    # Date texts known to be good; "" (no value) too, a required one being caught first.
    scope: dict[str, Any] = {"check": check, "raw": raw, "get": raw.get, "good": {""}}
    scope.update({f"known{j}": known for j, (_, known) in enumerate(keys)})
    source = loop_source(required, dates, picked, [at for at, _ in keys])
    # The source is made of indexes alone (no text from a plan or a file reaches it).
    exec(compile(source, "<vpcp_indicators tally loop>", "exec"), scope)
    return Tally(scope["feed"], scope["consume"])
