"""The loop a tally runs over a file's rows, written for its columns, as attrs writes an
``__init__`` for its fields.

The Python engine's hottest code is what it does with each row of a large file. Written
generally, it picks the required values, the dates and the tallied values through
``itemgetter`` tuples, and calls a function per row. Written for one source, the same tests
are a handful of indexings in one loop: a third less time per row. The loop does exactly
what :meth:`.consumers.Projections.feeder` does, row for row; the differential tests hold
the two engines to the same figures, and a test holds the loop to the feeder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ...sources import RowValues

__all__ = ["loop_source", "tally_loop"]

Loop = Callable[[Iterable[RowValues]], None]


def loop_source(
    required: Sequence[int], dates: Sequence[int], picked: Sequence[int], keys: Sequence[int]
) -> str:
    """The source of ``consume(rows)`` for a file whose rows hold values at these indexes:
    ``required`` values, ``dates``, the ``picked`` values tallied, the ``keys`` whose values
    are known (``known{j}``, for each readable row, even one skipped for another fault)."""
    lines = ["def consume(rows):", "    for line, values in rows:"]
    if keys:
        lines.append("        if not isinstance(values, str):")
        for j, at in enumerate(keys):
            lines += [
                f"            if values[{at}]:",
                f"                known{j}.add(values[{at}])",
            ]
    slow = ["isinstance(values, str)"]
    slow += [f'values[{i}] == ""' for i in required]
    slow += [f"values[{i}] not in good" for i in dates]
    lines.append(f"        if {' or '.join(slow)}:")
    lines += ["            if check(line, values) is None:", "                continue"]
    lines += [f"            good.add(values[{i}])" for i in dates]
    key = "".join(f"values[{i}], " for i in picked)
    lines += [f"        key = ({key})", "        raw[key] = get(key, 0) + 1"]
    return "\n".join(lines) + "\n"


def tally_loop(
    required: Sequence[int],
    dates: Sequence[int],
    picked: Sequence[int],
    keys: Sequence[tuple[int, set[str]]],
    raw: Counter[tuple[str, ...]],
    check: Callable[[int, Any], Any],
) -> Loop:
    """The loop that tallies ``raw`` from a file's rows (see :func:`loop_source`); rows that
    fail the quick tests go through ``check``, which reports them or lets them through."""
    # Date texts known to be good; "" (no value) too, a required one being caught first.
    scope: dict[str, Any] = {"check": check, "raw": raw, "get": raw.get, "good": {""}}
    scope.update({f"known{j}": known for j, (_, known) in enumerate(keys)})
    source = loop_source(required, dates, picked, [at for at, _ in keys])
    # The source is made of indexes alone (no text from a plan or a file reaches it).
    exec(compile(source, "<vpcp_indicators tally loop>", "exec"), scope)
    loop: Loop = scope["consume"]
    return loop
