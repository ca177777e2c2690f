"""Share of the Government's and Prime Minister's non-secret steering documents sent and
received electronically (target T2 of Decision 1935/QĐ-VPCP).

Secret documents are counted out: only their number is reported, never a field of theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vpcp_indicators import Column, Count, In, InWindow, Kind, Not, Param, Source, hookimpl

#: The vpcp-indicators plugin interface this plugin is written for.
PLUGIN_INTERFACE = 1

DOCUMENTS = Source(
    "documents",
    columns=[
        Column("doc_id"),
        Column("issued_on", type="date"),
        Column("issuer"),
        Column("classification"),
        Column("channel"),
    ],
    description="one row per document: date, issuer, classification, how it was sent",
)


def count(params: Mapping[str, Any]) -> Count:
    """Documents of the issuers in the window; any classification not open is secret."""
    return Count(
        source="documents",
        population=InWindow("issued_on") & In("issuer", params["issuers"]),
        # Anything not known to be open, an unknown value included, is treated as secret.
        excluded={"secret": Not(In("classification", params["open_classifications"]))},
        numerator=In("channel", params["electronic_channels"]),
        group_by="issuer",
    )


KIND = Kind(
    name="e_document_dispatch",
    title="Share of steering documents sent electronically",
    sources=[DOCUMENTS],
    count=count,
    params=[
        Param(
            "issuers",
            "texts",
            default=["government", "prime_minister"],
            nonempty=True,
            description="whose documents are counted",
        ),
        Param(
            "open_classifications",
            "texts",
            default=["normal"],
            nonempty=True,
            description="classifications that are not secret; every other one is",
        ),
        Param(
            "electronic_channels",
            "texts",
            default=["electronic", "both"],
            nonempty=True,
            description="channels that count as sent electronically",
        ),
    ],
    default_window="year",
    description="In scope: documents issued in the window by the issuers. Denominator: those "
    "with an open classification (the others are secret and left out, counted in "
    "excluded.secret). Numerator: those sent on an electronic channel.",
)


@hookimpl
def register_kinds(register: Callable[[Kind], None]) -> None:
    register(KIND)
