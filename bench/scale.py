"""How the cost grows with the rows: the benchmark plan at 10 M and at 100 M documents.

    python bench/scale.py                                   # 10 M and 100 M (6 GB of CSV)
    python bench/scale.py --rows 1000000 --rows 10000000    # any sizes

For each size, the documents are generated once (the other sources small: 1,000 rows each)
into ``bench/data/documents-N``; the whole plan is evaluated at five dates by the command,
with its default memory limit (DuckDB's 256 MB) and no cache, and by the hand-written DuckDB
script, whose figures must be the same; the files are read once before each, so that both
find them in the page cache. It prints wall time, peak memory, rows per second
per core, and the growth from the smallest size to each larger one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from generate import generate
from run import CLI, DATE_ARGS, HERE, cli_figures, run_once

SMALL = 1_000


def prepare(rows: int, data: Path) -> Path:
    """The data and the plan for ``rows`` documents."""
    folder = data / f"documents-{rows}"
    if not (folder / "trainings.csv").exists():
        print(f"generating {rows:,} documents in {folder} ...", file=sys.stderr)
        sizes = {"documents": rows, "meetings": SMALL, "staff": SMALL, "trainings": SMALL}
        generate(folder, sizes)
    template = (HERE / "plan.toml.in").read_text("utf-8")
    plan = folder / "plan-csv.toml"
    plan.write_text(template.replace("EXT", "csv"), "utf-8")
    return folder


def warm(folder: Path) -> None:
    """Read the files once, so that each tool finds them in the page cache (when they fit)."""
    for file in folder.glob("*.csv"):
        with open(file, "rb") as stream:
            while stream.read(1 << 24):
                pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="documents (repeatable)")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args(argv)
    sizes = sorted(args.rows or [10_000_000, 100_000_000])
    cores = os.cpu_count() or 1
    print("| documents | CSV | vpcp-indicators | peak memory | rows/s/core | growth | "
          "hand-written DuckDB SQL |\n|---|---|---|---|---|---|---|")  # fmt: skip
    first: float | None = None
    for rows in sizes:
        folder = prepare(rows, args.data)
        with tempfile.TemporaryDirectory() as out:
            warm(folder)
            ours, theirs = Path(out) / "cli.json", Path(out) / "sql.json"
            command = [*CLI, "evaluate", str(folder / "plan-csv.toml"), *DATE_ARGS, "--no-cache"]
            wall, peak = run_once([*command, "--format", "json", "--output", str(ours)])
            script = HERE / "baselines" / "duckdb_sql.py"
            warm(folder)
            hand, _ = run_once([sys.executable, str(script), str(folder), "csv", str(theirs)])
            if cli_figures(ours) != json.loads(theirs.read_text("utf-8")):
                raise SystemExit(f"figures differ at {rows:,} documents")
        first = first or wall
        size = (folder / "documents.csv").stat().st_size / 1e9
        print(
            f"| {rows:,} | {size:.1f} GB | {wall:.2f} s | {peak:.0f} MB | "
            f"{rows / wall / cores:,.0f} | {wall / first:.2f} x | {hand:.2f} s |"
        )


if __name__ == "__main__":
    main()
