"""The benchmark's figures in hand-written DuckDB SQL: what an expert would write."""

from __future__ import annotations

from collections import defaultdict

import duckdb
from common import COURSE, DATES, arguments, write

data, format, out = arguments()
con = duckdb.connect()


def source(name: str, dates: list[str]) -> str:
    if format == "parquet":
        casts = ", ".join(f"CAST({d} AS DATE) AS {d}" for d in dates)
        return f"(SELECT * REPLACE ({casts}) FROM read_parquet('{data / name}.parquet'))"
    types = ", ".join(f"'{d}': 'DATE'" for d in dates)
    return f"read_csv('{data / name}.csv', header = true, types = {{{types}}})"


figures: dict = defaultdict(lambda: defaultdict(dict))
days = "[" + ", ".join(f"DATE '{d}'" for d in DATES) + "]"

for year, issuer, num, den in con.sql(f"""
    SELECT CAST(year(issued_on) AS VARCHAR), issuer,
           count(*) FILTER (WHERE channel IN ('electronic', 'both')), count(*)
    FROM {source("documents", ["issued_on"])}
    WHERE issuer IN ('government', 'prime_minister') AND classification = 'normal'
      AND year(issued_on) BETWEEN 2011 AND 2015
    GROUP BY ALL""").fetchall():
    figures["e-documents"][f"{year}-12-31"][issuer] = (num, den)

for year, kind, num, den in con.sql(f"""
    SELECT CAST(year(held_on) AS VARCHAR), counterpart_kind,
           count(*) FILTER (WHERE mode IN ('online', 'hybrid')), count(*)
    FROM {source("meetings", ["held_on"])}
    WHERE chair = 'prime_minister' AND year(held_on) BETWEEN 2011 AND 2015
      AND counterpart_kind IN ('ministry', 'sector', 'province', 'state_group', 'corporation_91')
    GROUP BY ALL""").fetchall():
    figures["online-meetings"][f"{year}-12-31"][kind] = (num, den)

staff_dates = ["joined_on", "left_on", "signature_issued_on", "email_issued_on"]
con.sql(f"CREATE TEMP TABLE staff AS SELECT * FROM {source('staff', staff_dates)}")
for day, unit, num, den in con.sql(f"""
    SELECT CAST(d.day AS VARCHAR), unit,
           count(*) FILTER (WHERE signature_issued_on <= d.day AND email_issued_on <= d.day),
           count(*)
    FROM staff, (SELECT unnest({days}) AS day) d
    WHERE unit_kind = 'advisory' AND joined_on <= d.day AND (left_on IS NULL OR left_on > d.day)
    GROUP BY ALL""").fetchall():
    figures["digital-signatures"][day][unit] = (num, den)

for day, unit, num, den in con.sql(f"""
    WITH done AS (
        SELECT staff_id, min(completed_on) AS first
        FROM {source("trainings", ["completed_on"])} WHERE course = '{COURSE}' GROUP BY 1)
    SELECT CAST(d.day AS VARCHAR), unit, count(*) FILTER (WHERE done.first <= d.day), count(*)
    FROM staff JOIN (SELECT unnest({days}) AS day) d
      ON joined_on <= d.day AND (left_on IS NULL OR left_on > d.day)
    LEFT JOIN done USING (staff_id)
    GROUP BY ALL""").fetchall():
    figures["it-training"][day][unit] = (num, den)

write(out, figures)
