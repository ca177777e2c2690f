"""DuckDB's memory limit: past it DuckDB spills to disk, or the run says the limit is too
small for the file, and never blames the file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from conftest import indicator, plan_text

from vpcp_indicators import Engine
from vpcp_indicators.errors import ResourceError, SourceError

ISSUERS = ("government", "prime_minister", "ministry")
OPEN_SENT = "normal,electronic"


def documents_plan(folder, rows):
    """A plan on ``rows`` documents of 2012, all open and sent electronically, their issuers
    in turn government, prime_minister, ministry: two in three count, all of those sent."""
    with open(folder / "documents.csv", "w", encoding="utf-8") as stream:
        stream.write("doc_id,issued_on,issuer,classification,channel\n")
        stream.writelines(
            f"VB{i:09d},2012-{1 + i % 12:02d}-{1 + i % 28:02d},{ISSUERS[i % 3]},{OPEN_SENT}\n"
            for i in range(rows)
        )
    plan = folder / "plan.toml"
    item = indicator("e_document_dispatch", {"documents": "documents.csv"}, id="docs")
    plan.write_text(plan_text([item]), "utf-8")
    return plan


def test_a_limit_too_small_is_a_resource_error_not_the_files_fault(tmp_path):
    plan = documents_plan(tmp_path, 20_000)
    engine = Engine(memory_limit="1MB")
    with pytest.raises(ResourceError) as raised:
        engine.evaluate(plan, [dt.date(2012, 12, 31)], backend="duckdb")
    assert not isinstance(raised.value, SourceError)
    assert str(raised.value).startswith(
        f"the memory limit of 1MB is too small for DuckDB to read {tmp_path}/documents.csv: "
        "give a larger --memory-limit (Out of Memory Error: "
    )


def evaluate(plan, limit):
    line = [sys.executable, "-m", "vpcp_indicators", "evaluate", str(plan), "--lang", "en"]
    line += ["--as-of", "2012-12-31", "--format", "json", "--memory-limit", limit]
    return subprocess.run(line, capture_output=True, text=True, check=False)


def test_the_command_says_in_one_line_that_the_limit_is_too_small(tmp_path):
    process = evaluate(documents_plan(tmp_path, 20_000), "1MB")
    assert process.returncode == 2 and process.stdout == ""
    assert process.stderr.startswith(
        f"error: the memory limit of 1MB is too small for DuckDB to read {tmp_path}/"
        "documents.csv: give a larger --memory-limit ("
    )
    assert process.stderr.count("\n") == 1 and "cannot read" not in process.stderr


@pytest.mark.slow
def test_a_200_mb_file_under_64_mb_spills_or_says_the_limit_is_too_small(tmp_path):
    rows = 4_000_000  # about 210 MB
    plan = documents_plan(tmp_path, rows)
    assert os.path.getsize(tmp_path / "documents.csv") > 200_000_000
    process = evaluate(plan, "64MB")
    if process.returncode == 0:  # DuckDB spilled to disk: the figures are whole
        (docs,) = json.loads(process.stdout)["evaluations"][0]["indicators"]
        counted = rows - rows // 3  # two issuers in three
        assert (docs["numerator"], docs["denominator"]) == (counted, counted)
    else:
        assert process.returncode == 2 and process.stdout == ""
        assert process.stderr.startswith(
            f"error: the memory limit of 64MB is too small for DuckDB to read {tmp_path}/"
            "documents.csv: give a larger --memory-limit ("
        )
        assert process.stderr.count("\n") == 1
