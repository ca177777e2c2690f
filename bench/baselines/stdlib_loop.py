"""The benchmark's figures with a plain loop over Python's csv module: one pass per file."""

from __future__ import annotations

import csv
from collections import defaultdict

from common import (
    CHAIRS,
    COUNTERPARTS,
    COURSE,
    DATES,
    ELECTRONIC,
    ISSUERS,
    ONLINE,
    YEARS,
    arguments,
    write,
)  # fmt: skip

data, format, out = arguments()
assert format == "csv", "the stdlib loop reads CSV"
figures: dict = defaultdict(lambda: defaultdict(dict))
years = set(YEARS)


def rows(name: str):
    stream = open(data / f"{name}.csv", encoding="utf-8", newline="")  # noqa: SIM115
    reader = csv.reader(stream)
    next(reader)
    return reader


counts: dict = defaultdict(lambda: [0, 0])
for _doc_id, issued_on, issuer, classification, channel in rows("documents"):
    year = issued_on[:4]
    if issuer in ISSUERS and classification == "normal" and year in years:
        figures_key = counts[year, issuer]
        figures_key[1] += 1
        if channel in ELECTRONIC:
            figures_key[0] += 1
for (year, issuer), (num, den) in counts.items():
    figures["e-documents"][f"{year}-12-31"][issuer] = (num, den)

counts = defaultdict(lambda: [0, 0])
for _id, held_on, chair, kind, mode in rows("meetings"):
    year = held_on[:4]
    if chair in CHAIRS and kind in COUNTERPARTS and year in years:
        pair = counts[year, kind]
        pair[1] += 1
        if mode in ONLINE:
            pair[0] += 1
for (year, kind), (num, den) in counts.items():
    figures["online-meetings"][f"{year}-12-31"][kind] = (num, den)

first: dict[str, str] = {}
for staff_id, course, completed_on in rows("trainings"):
    if course == COURSE and (staff_id not in first or completed_on < first[staff_id]):
        first[staff_id] = completed_on

signatures: dict = defaultdict(lambda: [0, 0])
trained: dict = defaultdict(lambda: [0, 0])
for staff_id, unit, kind, joined, left, signature, email in rows("staff"):
    done = first.get(staff_id)
    for day in DATES:
        if joined > day or (left and left <= day):
            continue
        pair = trained[day, unit]
        pair[1] += 1
        if done and done <= day:
            pair[0] += 1
        if kind == "advisory":
            pair = signatures[day, unit]
            pair[1] += 1
            if signature and email and signature <= day and email <= day:
                pair[0] += 1
for (day, unit), (num, den) in signatures.items():
    figures["digital-signatures"][day][unit] = (num, den)
for (day, unit), (num, den) in trained.items():
    figures["it-training"][day][unit] = (num, den)

write(out, figures)
