"""The benchmark's figures with polars' lazy API."""

from __future__ import annotations

from collections import defaultdict

import polars as pl
from common import (
    CHAIRS,
    COUNTERPARTS,
    COURSE,
    DATES,
    ELECTRONIC,
    ISSUERS,
    ONLINE,
    arguments,
    write,
)

data, format, out = arguments()


def scan(name: str, dates: list[str]) -> pl.LazyFrame:
    if format == "parquet":
        frame = pl.scan_parquet(data / f"{name}.parquet")
    else:
        frame = pl.scan_csv(data / f"{name}.csv", infer_schema=False)
    return frame.with_columns(pl.col(d).str.to_date("%Y-%m-%d", strict=False) for d in dates)


figures: dict = defaultdict(lambda: defaultdict(dict))
documents = (
    scan("documents", ["issued_on"])
    .filter(pl.col("issuer").is_in(ISSUERS) & (pl.col("classification") == "normal"))
    .with_columns(pl.col("issued_on").dt.year().alias("y"))
    .filter(pl.col("y").is_between(2011, 2015))
    .group_by("y", "issuer")
    .agg(pl.col("channel").is_in(ELECTRONIC).sum().alias("num"), pl.len().alias("den"))
    .collect()
)
for y, issuer, num, den in documents.iter_rows():
    figures["e-documents"][f"{y}-12-31"][issuer] = (num, den)

meetings = (
    scan("meetings", ["held_on"])
    .filter(pl.col("chair").is_in(CHAIRS) & pl.col("counterpart_kind").is_in(COUNTERPARTS))
    .with_columns(pl.col("held_on").dt.year().alias("y"))
    .filter(pl.col("y").is_between(2011, 2015))
    .group_by("y", "counterpart_kind")
    .agg(pl.col("mode").is_in(ONLINE).sum().alias("num"), pl.len().alias("den"))
    .collect()
)
for y, kind, num, den in meetings.iter_rows():
    figures["online-meetings"][f"{y}-12-31"][kind] = (num, den)

staff = scan("staff", ["joined_on", "left_on", "signature_issued_on", "email_issued_on"]).collect()
done = (
    scan("trainings", ["completed_on"])
    .filter(pl.col("course") == COURSE)
    .group_by("staff_id")
    .agg(pl.col("completed_on").min().alias("first"))
    .collect()
)
with_training = staff.join(done, on="staff_id", how="left")
for date in DATES:
    day = pl.lit(date).str.to_date()
    active = with_training.filter(
        (pl.col("joined_on") <= day) & (pl.col("left_on").is_null() | (pl.col("left_on") > day))
    )
    signatures = (
        active.filter(pl.col("unit_kind") == "advisory")
        .group_by("unit")
        .agg(
            ((pl.col("signature_issued_on") <= day) & (pl.col("email_issued_on") <= day))
            .sum()
            .alias("num"),
            pl.len().alias("den"),
        )
    )
    for unit, num, den in signatures.iter_rows():
        figures["digital-signatures"][date][unit] = (num, den)
    trained = active.group_by("unit").agg(
        (pl.col("first") <= day).fill_null(False).sum().alias("num"), pl.len().alias("den")
    )
    for unit, num, den in trained.iter_rows():
        figures["it-training"][date][unit] = (num, den)

write(out, figures)
