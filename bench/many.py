"""Many indicators over one file: what a province plan costs against a single indicator.

    python bench/many.py --data bench/data/national --indicators 1 --indicators 1000

Writes a plan of N e-document indicators over the same ``documents.csv``, each with its own
issuers, electronic channels and open classifications (N distinct counts, as a plan of 63
provinces x 16 indicators has), evaluates it at five dates with each engine (whole process,
no cache), and prints wall time, peak memory and the growth over the smallest N. The two
engines' figures must be the same.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

from run import CLI, DATE_ARGS, run_once

ISSUERS = ["government", "prime_minister", "government_office", "ministry_x"]
CHANNELS = ["electronic", "both", "paper"]
CLASSES = ["normal", "confidential", "secret", "top_secret"]


def subsets(values: list[str]) -> list[list[str]]:
    return [list(c) for n in range(1, len(values) + 1) for c in itertools.combinations(values, n)]


def plan_text(count: int, documents: Path) -> str:
    """A plan of ``count`` distinct e-document indicators over ``documents``."""
    combos = itertools.product(subsets(ISSUERS), subsets(CHANNELS), subsets(CLASSES))
    text = (
        '[plan]\nid = "many"\ntitle = "Many indicators"\nstart = 2011-01-01\n'
        'end = 2015-12-31\n\n[[tasks]]\nid = "T"\ntitle = "All"\n'
    )
    for number, (issuers, channels, classes) in enumerate(itertools.islice(combos, count)):
        text += (
            f'\n[[indicators]]\nid = "i{number}"\ntask = "T"\nkind = "e_document_dispatch"\n'
            f'title = "Indicator {number}"\ntargets = [{{ by = 2015-12-31, value = 1.0 }}]\n'
            f'sources = {{ documents = "{documents}" }}\n'
            f"params = {{ issuers = {json.dumps(issuers)}, electronic_channels = "
            f"{json.dumps(channels)}, open_classifications = {json.dumps(classes)} }}\n"
        )
    return text


def figures(report: Path) -> dict:
    data = json.loads(report.read_text("utf-8"))
    return {
        (e["as_of"], r["id"]): (r["numerator"], r["denominator"])
        for e in data["evaluations"]
        for r in e["indicators"]
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="holds documents.csv")
    parser.add_argument("--indicators", type=int, action="append")
    parser.add_argument("--engine", action="append", choices=["duckdb", "python"])
    args = parser.parse_args(argv)
    documents = (args.data / "documents.csv").resolve()
    engines = args.engine or ["duckdb", "python"]
    print("| indicators | engine | wall | peak memory | growth |\n|---|---|---|---|---|")
    first: dict[str, float] = {}
    for count in sorted(args.indicators or [1, 1000]):
        with tempfile.TemporaryDirectory() as out:
            plan = Path(out) / "plan.toml"
            plan.write_text(plan_text(count, documents), "utf-8")
            found = {}
            for engine in engines:
                report = Path(out) / f"{engine}.json"
                command = [*CLI, "evaluate", str(plan), *DATE_ARGS, "--engine", engine]
                wall, peak = run_once(
                    [*command, "--no-cache", "--format", "json", "--output", str(report)]
                )
                found[engine] = figures(report)
                first.setdefault(engine, wall)
                print(
                    f"| {count:,} | {engine} | {wall:.2f} s | {peak:.0f} MB | "
                    f"{wall / first[engine]:.2f} x |"
                )
            if len({json.dumps(sorted(f.items())) for f in found.values()}) > 1:
                raise SystemExit(f"the engines' figures differ at {count} indicators")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
