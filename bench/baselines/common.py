"""What every hand-written baseline computes, and how it writes it down.

The figures of the benchmark plan (bench/plan.toml.in): four indicators at the end of each
year 2011-2015, with the seed kinds' default parameters (training: course CNTT-CB). Each
baseline writes ``{indicator: {date: {"num": n, "den": d, "groups": {group: [n, d]}}}}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DATES = ["2011-12-31", "2012-12-31", "2013-12-31", "2014-12-31", "2015-12-31"]
YEARS = [d[:4] for d in DATES]
ISSUERS = ("government", "prime_minister")
ELECTRONIC = ("electronic", "both")
CHAIRS = ("prime_minister",)
COUNTERPARTS = ("ministry", "sector", "province", "state_group", "corporation_91")
ONLINE = ("online", "hybrid")
COURSE = "CNTT-CB"


def arguments() -> tuple[Path, str, Path]:
    """DATA_DIR FORMAT(csv|parquet) OUTPUT"""
    data, format, out = sys.argv[1:4]
    return Path(data), format, Path(out)


def write(out: Path, figures: dict[str, dict[str, dict[str, dict[str, list[int]]]]]) -> None:
    """Write figures given as {indicator: {date: {group: [num, den]}}}."""
    result = {}
    for indicator, by_date in figures.items():
        result[indicator] = {}
        for date in DATES:
            groups = {
                g: [int(n), int(d)] for g, (n, d) in sorted(by_date.get(date, {}).items()) if d
            }
            result[indicator][date] = {
                "num": sum(n for n, _ in groups.values()),
                "den": sum(d for _, d in groups.values()),
                "groups": groups,
            }
    out.write_text(json.dumps(result, sort_keys=True, indent=1), "utf-8")
