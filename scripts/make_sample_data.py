"""Write the synthetic sample data of the seed plan (plans/data/), deterministically.

    python scripts/make_sample_data.py [OUTPUT_DIR]

The figures are invented but shaped like the Government Office's: a few hundred meetings,
about seven thousand steering documents, two hundred officials, the fourteen projects of
tasks NV1 and NV2, and the yearly reports for task NV3. Yearly shares are chosen so
that the seed plan shows every status somewhere between 2011 and 2015. Two rows are broken
on purpose, to show data warnings: a document dated 30 February and a training record of an
official who is not on the staff register.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

SEED = 1935
YEARS = range(2011, 2016)

# Share of in-scope meetings held online or hybrid, per year.
ONLINE_SHARE = {2011: 0.25, 2012: 0.45, 2013: 0.50, 2014: 0.60, 2015: 0.96}
# Share of open (non-secret) documents sent electronically, per year.
ELECTRONIC_SHARE = {2011: 0.40, 2012: 0.74, 2013: 0.78, 2014: 0.70, 2015: 1.0}
# Share of staff who have completed the basic IT course by the end of each year.
TRAINED_BY = {2011: 0.15, 2012: 0.38, 2013: 0.58, 2014: 0.80, 2015: 0.96}

COUNTERPARTS = ["ministry", "sector", "province", "state_group", "corporation_91"]
ADVISORY_UNITS = [
    "Vụ Tổng hợp",
    "Vụ Hành chính",
    "Vụ Kinh tế ngành",
    "Vụ Kinh tế tổng hợp",
    "Vụ Pháp luật",
    "Vụ Quan hệ quốc tế",
    "Vụ Khoa giáo - Văn xã",
    "Vụ Địa phương",
]
SERVICE_UNITS = ["Trung tâm Tin học", "Cổng TTĐT Chính phủ", "Báo Điện tử Chính phủ"]


def day_in(rng: random.Random, year: int) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(year + 1, 1, 1) - start).days))


def shuffled_flags(rng: random.Random, count: int, share: float) -> list[bool]:
    """Exactly round(count * share) True values, in random order."""
    hits = round(count * share)
    flags = [True] * hits + [False] * (count - hits)
    rng.shuffle(flags)
    return flags


def meetings(rng: random.Random) -> list[list[str]]:
    rows = []
    for year in YEARS:
        in_scope = 48 + 4 * (year - 2011)
        online = shuffled_flags(rng, in_scope, ONLINE_SHARE[year])
        events = [("prime_minister", rng.choice(COUNTERPARTS), on) for on in online]
        # Out of scope: meetings chaired by a deputy, or with foreign delegations.
        events += [
            ("deputy_prime_minister", rng.choice(COUNTERPARTS), rng.random() < 0.5)
            for _ in range(20)
        ]
        events += [("prime_minister", "foreign_delegation", False) for _ in range(6)]
        dated = sorted(((day_in(rng, year), e) for e in events), key=lambda x: x[0])
        for number, (day, (chair, counterpart, is_online)) in enumerate(dated, start=1):
            mode = rng.choice(["online", "online", "hybrid"]) if is_online else "in_person"
            rows.append([f"H{year}-{number:03d}", day.isoformat(), chair, counterpart, mode])
    return rows


def documents(rng: random.Random) -> list[list[str]]:
    rows = []
    for year in YEARS:
        open_count = 1200 + 50 * (year - 2011)
        electronic = shuffled_flags(rng, open_count, ELECTRONIC_SHARE[year])
        docs = []
        for is_electronic in electronic:
            issuer = rng.choice(["government", "prime_minister", "prime_minister"])
            channel = rng.choice(["electronic", "both"]) if is_electronic else "paper"
            docs.append((issuer, "normal", channel))
        # Secret documents (and a few with an unrecognised classification) are left out.
        for _ in range(90):
            classification = rng.choice(["secret", "secret", "top_secret", "mật"])
            docs.append((rng.choice(["government", "prime_minister"]), classification, "paper"))
        # Out of scope: documents of the Government Office itself.
        for _ in range(150):
            docs.append(("government_office", "normal", rng.choice(["electronic", "paper"])))
        dated = sorted(((day_in(rng, year), d) for d in docs), key=lambda x: x[0])
        for number, (day, (issuer, classification, channel)) in enumerate(dated, start=1):
            rows.append(
                [f"VB{year}-{number:05d}", day.isoformat(), issuer, classification, channel]
            )
    # A broken row on purpose: no such date.
    rows[2500][1] = "2013-02-30"
    return rows


def staff(rng: random.Random) -> list[dict[str, str]]:
    people = []
    units = [(u, "advisory") for u in ADVISORY_UNITS] + [
        (u, "public_service") for u in SERVICE_UNITS
    ]
    for number in range(1, 221):
        unit, unit_kind = units[(number - 1) % len(units)]
        joined = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(365 * 11))
        if number > 180:  # recruited during the plan
            joined = dt.date(2011, 3, 1) + dt.timedelta(days=rng.randrange(365 * 4))
        left = ""
        if rng.random() < 0.12:
            left_day = max(joined, dt.date(2011, 1, 1)) + dt.timedelta(
                days=rng.randrange(200, 1500)
            )
            left = left_day.isoformat() if left_day <= dt.date(2015, 12, 31) else ""
        start = max(joined, dt.date(2010, 6, 1))
        email = start + dt.timedelta(days=rng.randrange(10, 120))
        signature = max(joined, dt.date(2011, 2, 1)) + dt.timedelta(days=rng.randrange(20, 320))
        # A few never received a signature.
        signature_text = "" if rng.random() < 0.04 else signature.isoformat()
        people.append(
            {
                "staff_id": f"CB{number:04d}",
                "unit": unit,
                "unit_kind": unit_kind,
                "joined_on": joined.isoformat(),
                "left_on": left,
                "signature_issued_on": signature_text,
                "email_issued_on": email.isoformat(),
            }
        )
    return people


def trainings(rng: random.Random, people: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for person in people:
        joined = dt.date.fromisoformat(person["joined_on"])
        draw = rng.random()
        year = next((y for y in YEARS if TRAINED_BY[y] >= draw), None)
        if year is not None:
            start = max(joined, dt.date(year, 1, 1))
            day = start + dt.timedelta(days=rng.randrange(1, 300))
            rows.append(
                {
                    "staff_id": person["staff_id"],
                    "course": "CNTT-CB",
                    "completed_on": day.isoformat(),
                }
            )
            if rng.random() < 0.05:  # took the course again: counts once
                again = day + dt.timedelta(days=rng.randrange(100, 400))
                rows.append(
                    {
                        "staff_id": person["staff_id"],
                        "course": "CNTT-CB",
                        "completed_on": again.isoformat(),
                    }
                )
        if rng.random() < 0.4:  # other courses do not count toward the basic one
            rows.append(
                {
                    "staff_id": person["staff_id"],
                    "course": rng.choice(["VBDT", "CKS"]),
                    "completed_on": day_in(rng, rng.choice(YEARS)).isoformat(),
                }
            )
    # A broken row on purpose: an official who is not on the register.
    rows.append({"staff_id": "CB9999", "course": "CNTT-CB", "completed_on": "2013-05-20"})
    rows.sort(key=lambda r: (r["completed_on"], r["staff_id"], r["course"]))
    return rows


# The 14 projects of tasks NV1 and NV2 (ids and lead units as in the seed plan): planned
# ends spread over the plan, most done on time, three late, two not done by the end of 2015.
PROJECTS = [
    # project_id, task, lead, planned_end, completed_on, percent_done
    ["NV1-DA1", "NV1", "Trung tâm Tin học", "2012-06-30", "2012-05-15", "100"],
    ["NV1-DA2", "NV1", "Trung tâm Tin học", "2011-12-31", "2011-11-20", "100"],
    ["NV1-DA3", "NV1", "Trung tâm Tin học", "2013-06-30", "2013-09-10", "100"],
    ["NV1-DA4", "NV1", "Trung tâm Tin học", "2011-12-31", "2011-12-15", "100"],
    ["NV1-DA5", "NV1", "Trung tâm Tin học", "2014-12-31", "2014-12-01", "100"],
    ["NV1-DA6", "NV1", "Cục Kiểm soát thủ tục hành chính", "2015-06-30", "", "80"],
    ["NV2-DA1", "NV2", "Trung tâm Tin học", "2012-12-31", "2012-11-30", "100"],
    ["NV2-DA2", "NV2", "Trung tâm Tin học", "2012-06-30", "2012-06-25", "100"],
    ["NV2-DA3", "NV2", "Trung tâm Tin học", "2013-12-31", "2014-03-31", "100"],
    ["NV2-DA4", "NV2", "Cổng TTĐT Chính phủ", "2013-06-30", "2013-06-28", "100"],
    ["NV2-DA5", "NV2", "Cổng TTĐT Chính phủ", "2014-06-30", "2014-05-20", "100"],
    ["NV2-DA6", "NV2", "Cổng TTĐT Chính phủ", "2014-12-31", "2015-02-15", "100"],
    ["NV2-DA7", "NV2", "Vụ Tổng hợp", "2015-06-30", "2015-06-10", "100"],
    ["NV2-DA8", "NV2", "Vụ Hành chính", "2015-12-31", "", "90"],
]

# What the Informatics Centre reports each December for task NV3: the share of the Office's
# public-service units that apply IT in their internal work (four units).
REPORTS = [
    # indicator, reported_on, value, unit, reporter
    ["internal-it", "2011-12-20", "0.25", "Trung tâm Tin học", "Phòng Kế hoạch - Tổng hợp"],
    ["internal-it", "2012-12-18", "0.5", "Trung tâm Tin học", "Phòng Kế hoạch - Tổng hợp"],
    ["internal-it", "2013-12-19", "0.5", "Trung tâm Tin học", "Phòng Kế hoạch - Tổng hợp"],
    ["internal-it", "2014-12-22", "0.75", "Trung tâm Tin học", "Phòng Kế hoạch - Tổng hợp"],
    ["internal-it", "2015-12-21", "1", "Trung tâm Tin học", "Phòng Kế hoạch - Tổng hợp"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(out: Path) -> None:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(
        out / "meetings.csv",
        ["meeting_id", "held_on", "chair", "counterpart_kind", "mode"],
        meetings(rng),
    )
    write_csv(
        out / "documents.csv",
        ["doc_id", "issued_on", "issuer", "classification", "channel"],
        documents(rng),
    )
    people = staff(rng)
    header = list(people[0])
    write_csv(out / "staff.csv", header, [[p[c] for c in header] for p in people])
    with open(out / "trainings.jsonl", "w", encoding="utf-8", newline="\n") as stream:
        for row in trainings(rng, people):
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    write_csv(
        out / "projects.csv",
        ["project_id", "task", "lead", "planned_end", "completed_on", "percent_done"],
        PROJECTS,
    )
    write_csv(
        out / "reports.csv", ["indicator", "reported_on", "value", "unit", "reporter"], REPORTS
    )


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "plans" / "data"
    )
