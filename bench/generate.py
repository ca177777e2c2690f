"""Deterministic national-scale records for the four seed kinds, for the benchmark.

    python bench/generate.py --size national --out bench/data/national [--parquet]

Sizes: tiny (CI), small, national (10 M documents, 1 M meetings, 300 k staff, 3 M training
rows), or any count with --documents/--meetings/--staff/--trainings. The same arguments
always write the same bytes. The records are clean (the benchmark measures counting); the
test suite covers faulty rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path

SIZES = {
    "tiny": {"documents": 20_000, "meetings": 2_000, "staff": 1_000, "trainings": 3_000},
    "small": {"documents": 1_000_000, "meetings": 100_000, "staff": 30_000, "trainings": 300_000},
    "national": {
        "documents": 10_000_000, "meetings": 1_000_000, "staff": 300_000, "trainings": 3_000_000,
    },
}  # fmt: skip
START, END = dt.date(2011, 1, 1), dt.date(2015, 12, 31)
DAYS = [(START + dt.timedelta(days=i)).isoformat() for i in range((END - START).days + 1)]
BEFORE = [(dt.date(2000, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(4018)]
CHUNK = 500_000


def documents(rng: random.Random, count: int, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["doc_id", "issued_on", "issuer", "classification", "channel"])
        for first in range(0, count, CHUNK):
            n = min(CHUNK, count - first)
            ids = [f"VB{i:09d}" for i in range(first, first + n)]
            days = rng.choices(DAYS, k=n)
            issuers = rng.choices(
                ["government", "prime_minister", "government_office", "ministry_x"],
                [3, 5, 1, 1],
                k=n,
            )
            classes = rng.choices(
                ["normal", "secret", "top_secret", "confidential"], [92, 5, 2, 1], k=n
            )
            channels = rng.choices(["electronic", "both", "paper"], [6, 2, 2], k=n)
            writer.writerows(zip(ids, days, issuers, classes, channels, strict=True))


def meetings(rng: random.Random, count: int, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["meeting_id", "held_on", "chair", "counterpart_kind", "mode"])
        for first in range(0, count, CHUNK):
            n = min(CHUNK, count - first)
            ids = [f"H{i:08d}" for i in range(first, first + n)]
            days = rng.choices(DAYS, k=n)
            chairs = rng.choices(["prime_minister", "deputy_prime_minister"], [3, 1], k=n)
            kinds = rng.choices(
                [
                    "ministry",
                    "sector",
                    "province",
                    "state_group",
                    "corporation_91",
                    "foreign_delegation",
                ],
                k=n,
            )
            modes = rng.choices(["online", "hybrid", "in_person"], [4, 1, 3], k=n)
            writer.writerows(zip(ids, days, chairs, kinds, modes, strict=True))


def staff(rng: random.Random, count: int, path: Path) -> list[str]:
    ids = [f"CB{i:07d}" for i in range(count)]
    units = [f"Đơn vị {i:03d}" for i in range(400)]
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(
            [
                "staff_id",
                "unit",
                "unit_kind",
                "joined_on",
                "left_on",
                "signature_issued_on",
                "email_issued_on",
            ]
        )
        for i, staff_id in enumerate(ids):
            unit = units[i % len(units)]
            kind = "advisory" if i % len(units) < 300 else "public_service"
            joined = rng.choice(BEFORE) if rng.random() < 0.8 else rng.choice(DAYS)
            left = rng.choice(DAYS) if rng.random() < 0.1 else ""
            left = left if not left or left > joined else ""
            signature = rng.choice(DAYS) if rng.random() < 0.95 else ""
            email = rng.choice(DAYS[:400]) if rng.random() < 0.98 else ""
            writer.writerow([staff_id, unit, kind, joined, left, signature, email])
    return ids


def trainings(rng: random.Random, count: int, path: Path, ids: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["staff_id", "course", "completed_on"])
        for first in range(0, count, CHUNK):
            n = min(CHUNK, count - first)
            who = rng.choices(ids, k=n)
            courses = rng.choices(["CNTT-CB", "VBDT", "CKS", "ATTT"], [2, 1, 1, 1], k=n)
            days = rng.choices(DAYS, k=n)
            writer.writerows(zip(who, courses, days, strict=True))


def generate(out: Path, counts: dict[str, int], parquet: bool = False) -> None:
    """Write the four sources (and their Parquet copies) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1935)
    documents(rng, counts["documents"], out / "documents.csv")
    meetings(rng, counts["meetings"], out / "meetings.csv")
    ids = staff(rng, counts["staff"], out / "staff.csv")
    trainings(rng, counts["trainings"], out / "trainings.csv", ids)
    if parquet:
        from vpcp_indicators.convert import csv_to_parquet

        for name in ("documents", "meetings", "staff", "trainings"):
            csv_to_parquet(out / f"{name}.csv", out / f"{name}.parquet")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--parquet", action="store_true", help="also write Parquet copies")
    for name in ("documents", "meetings", "staff", "trainings"):
        parser.add_argument(f"--{name}", type=int, help=f"number of {name} rows")
    args = parser.parse_args(argv)
    counts = dict(SIZES[args.size])
    for name in counts:
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    generate(args.out, counts, args.parquet)


if __name__ == "__main__":
    sys.exit(main())
