"""The staff register, shared by the kinds that count people (not a plugin itself)."""

from __future__ import annotations

from vpcp_indicators import After, Column, Condition, Empty, OnOrBefore, Source

STAFF = Source(
    "staff",
    columns=[
        Column("staff_id"),
        Column("unit"),
        Column("unit_kind"),
        Column("joined_on", type="date"),
        Column("left_on", type="date", required=False),
        Column("signature_issued_on", type="date", required=False),
        Column("email_issued_on", type="date", required=False),
    ],
    description="one row per official: unit, unit kind, dates of joining, leaving and "
    "of each credential issued",
)


def active() -> Condition:
    """Staff on the register on the evaluation date: joined on or before it, not yet left."""
    return OnOrBefore("joined_on") & (Empty("left_on") | After("left_on"))
