"""The benchmark's figures in hand-written SQL on SQLite or Spark: what an expert would write.

python database_sql.py sqlite RECORDS.sqlite OUTPUT
python database_sql.py spark DATA_DIR OUTPUT      (the spark-*.parquet files)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from common import COURSE, DATES, write

engine, where, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
DAYS = " UNION ALL ".join(f"SELECT '{d}' AS d" for d in DATES)


def queries(year: str, day: str) -> list[str]:
    """The four indicators' queries; ``year(x)`` and ``day(x)`` in the engine's SQL."""
    return [
        f"""SELECT 'e-documents', {year.format("issued_on")}, issuer,
               sum(CASE WHEN channel IN ('electronic', 'both') THEN 1 ELSE 0 END), count(*)
            FROM documents
            WHERE issuer IN ('government', 'prime_minister') AND classification = 'normal'
              AND {day.format("issued_on")} BETWEEN '2011-01-01' AND '2015-12-31'
            GROUP BY 2, 3""",
        f"""SELECT 'online-meetings', {year.format("held_on")}, counterpart_kind,
               sum(CASE WHEN mode IN ('online', 'hybrid') THEN 1 ELSE 0 END), count(*)
            FROM meetings
            WHERE chair = 'prime_minister'
              AND {day.format("held_on")} BETWEEN '2011-01-01' AND '2015-12-31'
              AND counterpart_kind IN ('ministry', 'sector', 'province', 'state_group',
                                       'corporation_91')
            GROUP BY 2, 3""",
        f"""SELECT 'digital-signatures', d.d, unit,
               sum(CASE WHEN {day.format("signature_issued_on")} <= d.d
                         AND {day.format("email_issued_on")} <= d.d THEN 1 ELSE 0 END),
               count(*)
            FROM staff CROSS JOIN ({DAYS}) d
            WHERE unit_kind = 'advisory' AND {day.format("joined_on")} <= d.d
              AND (left_on IS NULL OR {day.format("left_on")} > d.d)
            GROUP BY 2, 3""",
        f"""SELECT 'it-training', d.d, unit,
               sum(CASE WHEN done.first <= d.d THEN 1 ELSE 0 END), count(*)
            FROM staff CROSS JOIN ({DAYS}) d
            LEFT JOIN (SELECT staff_id AS id, min({day.format("completed_on")}) AS first
                       FROM trainings WHERE course = '{COURSE}' GROUP BY 1) done
              ON done.id = staff.staff_id
            WHERE {day.format("joined_on")} <= d.d
              AND (left_on IS NULL OR {day.format("left_on")} > d.d)
            GROUP BY 2, 3""",
    ]


figures: dict = defaultdict(lambda: defaultdict(dict))
if engine == "sqlite":
    import sqlite3

    con = sqlite3.connect(f"file:{where}?mode=ro", uri=True)
    for query in queries("substr({}, 1, 4) || '-12-31'", "{}"):
        for indicator, date, group, num, den in con.execute(query):
            figures[indicator][date][group] = (num, den)
else:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[*]").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    for table in ("documents", "meetings", "staff", "trainings"):
        spark.read.parquet(str(where / f"spark-{table}.parquet")).createOrReplaceTempView(table)
    for query in queries("concat(year({}), '-12-31')", "cast({} AS string)"):
        for indicator, date, group, num, den in spark.sql(query).collect():
            figures[indicator][date][group] = (num, den)
write(out, figures)
