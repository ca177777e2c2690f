"""Which library reads workbooks: python-calamine against openpyxl (read-only), measured.

    python bench/excel.py --rows 1000000            # writes the workbook once, then measures

The workbook is a sheet of meetings (a header row, then ``--rows`` records of five columns:
a text id, a date cell, three text codes), written with openpyxl's write-only mode and kept
under ``--cache`` (a minute or more to write a million rows; the same arguments always give
the same cells). Each library then reads every cell of it in a process of its own, timed by
``/usr/bin/time -v`` (wall time and peak resident memory): python-calamine alone, the
project's reader (python-calamine, and each cell made the text the checks read), and
openpyxl in read-only mode. ``--reader NAME`` is what those processes run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

READERS = ("calamine", "vpcp", "openpyxl")
HEADER = ("meeting_id", "held_on", "chair", "counterpart_kind", "mode")


def generate(path: Path, rows: int) -> None:
    """Write the workbook (to a temporary name first, so a stopped run leaves no half file)."""
    import openpyxl

    rng = random.Random(1935)
    start = dt.date(2011, 1, 1)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("meetings")
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append(
            (
                f"H{i:07d}",
                start + dt.timedelta(days=rng.randrange(1826)),
                rng.choice(("prime_minister", "deputy_pm", "minister")),
                rng.choice(("ministry", "province", "sector", "state_group", "other")),
                rng.choice(("online", "in_person")),
            )
        )
    part = path.with_suffix(".part.xlsx")
    book.save(part)
    part.replace(path)


def read(reader: str, path: Path) -> int:
    """Read every cell of the first sheet; the number of cells that are not empty."""
    cells = 0
    if reader == "vpcp":  # the project's reader: the header, then the rows as text
        from vpcp_indicators.sources.workbook import WorkbookReader

        workbooks = WorkbookReader()
        columns = workbooks.columns(path)
        for _, values in workbooks.rows(path, columns):
            cells += sum(1 for v in values if v != "")
        return cells + len(columns)
    if reader == "calamine":
        from python_calamine import CalamineWorkbook

        with CalamineWorkbook.from_path(str(path)) as book:
            for row in book.get_sheet_by_index(0).iter_rows():
                cells += sum(1 for v in row if v != "")
    else:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        for row in book.worksheets[0].iter_rows(values_only=True):
            cells += sum(1 for v in row if v is not None)
        book.close()
    return cells


def measure(reader: str, path: Path) -> tuple[float, float, str]:
    """Wall seconds and peak MB of a process reading the workbook, and what it printed."""
    command = ["/usr/bin/time", "-v", sys.executable, __file__, "--reader", reader, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and peak, done.stderr
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return elapsed, int(peak.group(1)) / 1024, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--reader", choices=READERS, help="read PATH with one library")
    parser.add_argument("--only", choices=READERS, action="append", help="measure only these")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (median)")
    parser.add_argument("path", nargs="?", type=Path)
    args = parser.parse_args()
    if args.reader:
        print(read(args.reader, args.path))
        return
    path = args.cache / f"vpcp-bench-meetings-{args.rows}.xlsx"
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        generate(path, args.rows)
    size = path.stat().st_size / 1e6
    print(f"{path}: {args.rows:,} rows x {len(HEADER)} columns, {size:.1f} MB")
    readers = args.only or READERS
    runs: dict[str, list[tuple[float, float, str]]] = {r: [] for r in readers}
    for _ in range(args.rounds):  # interleaved, so that a busy moment hits every reader
        for reader in readers:
            runs[reader].append(measure(reader, path))
    print("| reader | wall (median) | peak memory | cells |\n|---|---|---|---|")
    walls = {}
    for reader, found in runs.items():
        walls[reader] = statistics.median(w for w, _, _ in found)
        peak = max(p for _, p, _ in found)
        cells = {c for _, _, c in found}
        assert len(cells) == 1, f"{reader} read different cells from run to run: {cells}"
        print(f"| {reader} | {walls[reader]:.2f} s | {peak:.0f} MB | {cells.pop()} |")
    if "vpcp" in walls and "calamine" in walls:
        # Issue 11's goal: the project's reader within 1.5 x of the fastest Python reader.
        print(
            f"\nthe project's reader / python-calamine: {walls['vpcp'] / walls['calamine']:.2f} x"
        )


if __name__ == "__main__":
    main()
