"""The benchmark's figures with pandas (pyarrow parser, only the needed columns)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
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


def read(name: str, columns: list[str]) -> pd.DataFrame:
    if format == "parquet":
        return pd.read_parquet(data / f"{name}.parquet", columns=columns)
    return pd.read_csv(data / f"{name}.csv", usecols=columns, dtype=str, engine="pyarrow")


figures: dict = defaultdict(lambda: defaultdict(dict))
docs = read("documents", ["issued_on", "issuer", "classification", "channel"])
docs = docs[docs.issuer.isin(ISSUERS) & (docs.classification == "normal")]
docs = docs.assign(y=docs.issued_on.str[:4], e=docs.channel.isin(ELECTRONIC))
docs = docs[docs.y.between("2011", "2015")]
for (y, issuer), row in docs.groupby(["y", "issuer"]).e.agg(["sum", "count"]).iterrows():
    figures["e-documents"][f"{y}-12-31"][issuer] = (row["sum"], row["count"])

meetings = read("meetings", ["held_on", "chair", "counterpart_kind", "mode"])
meetings = meetings[meetings.chair.isin(CHAIRS) & meetings.counterpart_kind.isin(COUNTERPARTS)]
meetings = meetings.assign(y=meetings.held_on.str[:4], o=meetings["mode"].isin(ONLINE))
meetings = meetings[meetings.y.between("2011", "2015")]
for (y, kind), row in (
    meetings.groupby(["y", "counterpart_kind"]).o.agg(["sum", "count"]).iterrows()
):
    figures["online-meetings"][f"{y}-12-31"][kind] = (row["sum"], row["count"])

staff = read(
    "staff",
    [
        "staff_id",
        "unit",
        "unit_kind",
        "joined_on",
        "left_on",
        "signature_issued_on",
        "email_issued_on",
    ],
).fillna("")
trainings = read("trainings", ["staff_id", "course", "completed_on"])
first = trainings[trainings.course == COURSE].groupby("staff_id").completed_on.min()
staff = staff.assign(first=staff.staff_id.map(first).fillna(""))
for day in DATES:
    active = staff[(staff.joined_on <= day) & ((staff.left_on == "") | (staff.left_on > day))]
    advisory = active[active.unit_kind == "advisory"]
    holds = (
        (advisory.signature_issued_on != "")
        & (advisory.signature_issued_on <= day)
        & (advisory.email_issued_on != "")
        & (advisory.email_issued_on <= day)
    )
    for unit, row in advisory.assign(h=holds).groupby("unit").h.agg(["sum", "count"]).iterrows():
        figures["digital-signatures"][day][unit] = (row["sum"], row["count"])
    done = (active["first"] != "") & (active["first"] <= day)
    for unit, row in active.assign(t=done).groupby("unit").t.agg(["sum", "count"]).iterrows():
        figures["it-training"][day][unit] = (row["sum"], row["count"])

write(out, figures)
