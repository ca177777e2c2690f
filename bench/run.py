"""Time the whole vpcp-indicators CLI against hand-written scripts on the same files.

    python bench/run.py --size tiny --check          # CI: figures agree, no timing
    python bench/run.py --size national --rounds 3   # the figures of docs/benchmarks.md

Every tool runs as its own process (wall time, and peak memory from the kernel's rusage);
rounds are interleaved and the median is kept. A first evaluation runs with an empty tally
cache of its own; a repeat evaluation with the cache a first one filled, at other dates.
Each tool writes the figures of the benchmark plan (four indicators, five dates); they must
all agree, or the run fails. Tools whose library is not installed (polars, pandas) are left
out.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "baselines"))

from common import DATES  # noqa: E402

DATE_ARGS = [a for d in DATES for a in ("--as-of", d)]
from generate import SIZES, generate  # noqa: E402

CLI = [sys.executable, "-m", "vpcp_indicators"]
#: The dates of a repeat evaluation: not those the cache was filled at.
OTHER_DATES = [a for d in ("2012-06-30", "2013-06-30", "2014-06-30") for a in ("--as-of", d)]


def run_once(command: list[str], cache: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one process, as /usr/bin/time tells;
    the tally cache in ``cache`` (None: an empty one, removed after)."""
    with tempfile.NamedTemporaryFile("r") as stats, tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "XDG_CACHE_HOME": str(cache or empty)}
        timed = ["/usr/bin/time", "-f", "%e %M", "-o", stats.name, *command]
        start = time.perf_counter()
        process = subprocess.run(
            timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
        )
        wall = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.decode()}")
        _, peak_kb = stats.read().split()[-2:]
    return wall, int(peak_kb) / 1024


def cli_figures(report: Path) -> dict:
    """The CLI's JSON report in the baselines' shape."""
    data = json.loads(report.read_text("utf-8"))
    figures: dict = {}
    for evaluation in data["evaluations"]:
        for result in evaluation["indicators"]:
            figures.setdefault(result["id"], {})[evaluation["as_of"]] = {
                "num": result["numerator"],
                "den": result["denominator"],
                "groups": {
                    g["group"]: [g["numerator"], g["denominator"]] for g in result["breakdown"]
                },
            }
    return figures


def tools(data: Path, out: Path, with_python: bool) -> list[tuple[str, list[str], Path, str]]:
    """(name, command, figures file, kind of figures file) for every tool to time."""
    dates = [a for d in DATES for a in ("--as-of", d)]
    found = []
    for format in ("csv", "parquet"):
        plan = data / f"plan-{format}.toml"
        engines = ["duckdb", "python"] if with_python and format == "csv" else ["duckdb"]
        for engine in engines:
            for label, chosen in (("5 dates", dates), ("1 date", dates[-2:])):
                report = out / f"cli-{engine}-{format}-{len(chosen) // 2}.json"
                command = [
                    *CLI,
                    "evaluate",
                    str(plan),
                    *chosen,
                    "--engine",
                    engine,
                    "--format",
                    "json",
                    "--output",
                    str(report),
                ]
                name = f"vpcp-indicators, {engine} engine, {format.upper()}, {label}"
                found.append((name, command, report, "cli" if label == "5 dates" else "cli-1"))
        # Again, with the tallies a first evaluation kept, at other dates.
        report = out / f"cli-repeat-{format}.json"
        command = [*CLI, "evaluate", str(plan), *OTHER_DATES, "--format", "json"]
        name = f"vpcp-indicators, duckdb engine, {format.upper()}, repeat (cache)"
        found.append((name, [*command, "--output", str(report)], report, "repeat"))
    scripts = [
        ("hand-written DuckDB SQL", "duckdb_sql.py", "duckdb", ("csv", "parquet")),
        ("polars, lazy", "polars_lazy.py", "polars", ("csv", "parquet")),
        ("pandas, pyarrow parser", "pandas_script.py", "pandas", ("csv",)),
        ("Python csv loop", "stdlib_loop.py", None, ("csv",)),
    ]
    for name, script, module, formats in scripts:
        if module and importlib.util.find_spec(module) is None:
            continue
        for format in formats:
            result = out / f"{script}-{format}.json"
            command = [
                sys.executable,
                str(HERE / "baselines" / script),
                str(data),
                format,
                str(result),
            ]
            found.append((f"{name}, {format.upper()}", command, result, "script"))
    return found


def prepare(size: str, data: Path) -> None:
    """Generate the data (once) and write the two benchmark plans next to it."""
    if not (data / "trainings.parquet").exists():
        print(f"generating {size} data in {data} ...", file=sys.stderr)
        generate(data, SIZES[size], parquet=True)
    template = (HERE / "plan.toml.in").read_text("utf-8")
    for format in ("csv", "parquet"):
        (data / f"plan-{format}.toml").write_text(template.replace("EXT", format), "utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--data", type=Path, help="where the generated data lives")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="one round, figures only")
    parser.add_argument("--no-python", action="store_true", help="skip the Python engine")
    args = parser.parse_args(argv)
    data = (args.data or HERE / "data" / args.size).resolve()
    prepare(args.size, data)
    out = data / "results"
    out.mkdir(exist_ok=True)
    chosen = tools(data, out, with_python=not args.no_python)
    rounds = 1 if args.check else args.rounds
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in chosen}
    cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    for _, command, _, kind in chosen:
        if kind == "repeat":  # a first evaluation fills the cache
            run_once([*command[: command.index("--as-of")], *DATE_ARGS], cache)
    for _ in range(rounds):
        for file in sorted(data.glob("*.*")):
            if file.suffix in (".csv", ".parquet"):  # warm the page cache
                with open(file, "rb") as stream:
                    while stream.read(1 << 24):
                        pass
        for name, command, _, kind in chosen:
            times[name].append(run_once(command, cache if kind == "repeat" else None))
    shutil.rmtree(cache)

    reference = None
    for name, _, result, kind in chosen:
        if kind in ("cli-1", "repeat"):
            continue
        figures = cli_figures(result) if kind == "cli" else json.loads(result.read_text())
        if reference is None:
            reference = (name, figures)
        elif figures != reference[1]:
            raise SystemExit(f"figures differ: {name} and {reference[0]}")
    assert reference is not None
    for name, command, result, kind in chosen:
        if kind == "repeat":
            # Other dates: the repeat's figures are those of a run without the cache.
            fresh = out / "no-cache.json"
            command = [*command[: command.index("--output")], "--output", str(fresh)]
            run_once([*command, "--no-cache"])
            if cli_figures(fresh) != cli_figures(result):
                raise SystemExit(f"figures differ: {name} and the same run without the cache")
    print(f"figures agree across {len(chosen)} runs ({args.size}).", file=sys.stderr)
    if args.check:
        return
    report(args, data, chosen, times)


def report(args: argparse.Namespace, data: Path, chosen: list, times: dict) -> None:
    """Print the results as Markdown, with the goals of issue 3 as ratios."""
    median = {
        name: (statistics.median(w for w, _ in runs), statistics.median(m for _, m in runs))
        for name, runs in times.items()
    }
    with open(data / "documents.csv", "rb") as stream:
        rows = sum(1 for _ in stream) - 1
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {rows:,} documents; `python bench/run.py --size "
        f"{args.size} --rounds {args.rounds}`; median of {args.rounds} interleaved rounds, "
        "whole process.\n"
    )
    print("| tool | wall | peak memory |\n|---|---|---|")
    for name in median:
        wall, peak = median[name]
        print(f"| {name} | {wall:.2f} s | {peak:.0f} MB |")

    def wall(name: str) -> float:
        return median[name][0]

    print("\n| goal | measured | target |\n|---|---|---|")
    repeat = "vpcp-indicators, duckdb engine, CSV, repeat (cache)"
    if repeat in median and "hand-written DuckDB SQL, CSV" in median:
        ratio = wall(repeat) / wall("hand-written DuckDB SQL, CSV")
        print(f"| repeat evaluation vs hand-written DuckDB SQL (CSV) | {ratio:.2f} x | <= 0.35 x |")
    for format in ("CSV", "PARQUET"):
        ours = f"vpcp-indicators, duckdb engine, {format}, 5 dates"
        sql = f"hand-written DuckDB SQL, {format}"
        if sql in median:
            print(
                f"| DuckDB engine vs hand-written DuckDB SQL ({format}) | "
                f"{wall(ours) / wall(sql):.2f} x | <= 1.25 x |"
            )
    for format in ("CSV", "Parquet"):
        ours = f"vpcp-indicators, duckdb engine, {format.upper()}, 5 dates"
        best = [
            n
            for n in median
            if n.startswith(("hand-written", "polars")) and n.endswith(format.upper())
        ]
        fastest = min(best, key=wall) if best else None
        if fastest:
            print(
                f"| DuckDB engine vs fastest hand-written ({format}) | "
                f"{wall(ours) / wall(fastest):.2f} x ({fastest}) | <= 1.25 x |"
            )
    pandas = "pandas, pyarrow parser, CSV"
    default = "vpcp-indicators, duckdb engine, CSV, 5 dates"
    if pandas in median:
        print(
            f"| default engine speed-up over pandas | {wall(pandas) / wall(default):.2f} x | "
            ">= 2.5 x |"
        )
        print(
            f"| default engine memory vs pandas | {median[default][1] / median[pandas][1]:.2f}"
            " | <= 0.2 |"
        )
    python = "vpcp-indicators, python engine, CSV, 5 dates"
    loop = "Python csv loop, CSV"
    if python in median and loop in median:
        print(
            f"| Python engine vs Python csv loop | {wall(python) / wall(loop):.2f} x | <= 1.25 x |"
        )
        print(f"| Python engine peak memory | {median[python][1]:.0f} MB | < 100 MB |")
    for engine, format in (("duckdb", "CSV"), ("duckdb", "PARQUET"), ("python", "CSV")):
        five = f"vpcp-indicators, {engine} engine, {format}, 5 dates"
        one = f"vpcp-indicators, {engine} engine, {format}, 1 date"
        if five in median and one in median:
            print(
                f"| five dates vs one, {engine} engine, {format} | "
                f"{wall(five) / wall(one):.2f} x | <= 1.15 x |"
            )
    if shutil.which("vpcp-indicators"):
        version = [run_once(["vpcp-indicators", "--version"])[0] for _ in range(5)]
        print(
            f"| `vpcp-indicators --version` | {statistics.median(version) * 1000:.0f} ms | "
            "< 100 ms |"
        )
        seed = HERE.parent / "plans" / "vpcp-2011-2015.toml"
        validate = [run_once(["vpcp-indicators", "validate", str(seed)])[0] for _ in range(5)]
        print(
            f"| `vpcp-indicators validate` of the seed plan | "
            f"{statistics.median(validate) * 1000:.0f} ms | < 300 ms |"
        )


if __name__ == "__main__":
    main()
