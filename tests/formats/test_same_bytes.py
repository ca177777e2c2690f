"""Every output format gives the same bytes for the same report: whatever the time zone, the
locale, the hash seed and the clock, and from many threads at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import SEED_PLAN

from vpcp_indicators import Engine, RenderOptions

pytest.importorskip("openpyxl")

FORMATS = ("table", "json", "html", "markdown", "csv", "csv-breakdown", "xlsx")
LANGS = ("vi", "en")
DATES = [dt.date(2012, 12, 31), dt.date(2014, 6, 30)]

# Renders every format in both languages and prints each output's bytes as hex. The clock is
# moved by argv[2] seconds: zip files (xlsx) take the time of their parts from it.
RENDER = f"""
import datetime as dt, json, sys, time
FORMATS, LANGS = {FORMATS!r}, {LANGS!r}
real, shift = time.time, float(sys.argv[2])
time.time = lambda: real() + shift
from vpcp_indicators import Engine, RenderOptions
engine = Engine()
report = engine.evaluate(sys.argv[1], [dt.date(2012, 12, 31), dt.date(2014, 6, 30)])
out = {{}}
for name in FORMATS:
    for lang in LANGS:
        data = engine.render(report, name, RenderOptions(lang=lang))
        out[name + " " + lang] = (data.encode() if isinstance(data, str) else data).hex()
print(json.dumps(out))
"""


def rendered(shift: float, **env: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL")}
    process = subprocess.run(
        [sys.executable, "-c", RENDER, str(SEED_PLAN), str(shift)],
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(process.stdout)


def test_every_format_gives_the_same_bytes_in_any_time_zone_locale_seed_and_clock():
    here = rendered(0, TZ="UTC", LANG="C", LC_ALL="C", PYTHONHASHSEED="0")
    # UTC+14 (a POSIX rule, no tz database needed), other locales and seed, a clock 400 days
    # and 3 hours on.
    there = rendered(
        400 * 86400 + 3 * 3600,
        TZ="XYZ-14",
        LANG="vi_VN.UTF-8",
        LC_ALL="tr_TR.UTF-8",
        PYTHONHASHSEED="4242",
    )
    assert sorted(here) == sorted(f"{f} {lang}" for f in FORMATS for lang in LANGS)
    differ = [name for name in here if here[name] != there[name]]
    assert differ == []


def test_every_format_gives_the_same_bytes_from_many_threads_at_once():
    engine = Engine()
    report = engine.evaluate(SEED_PLAN, DATES)
    jobs = [(name, lang) for name in FORMATS for lang in LANGS]
    alone = {job: engine.render(report, job[0], RenderOptions(lang=job[1])) for job in jobs}
    threads = 8
    start = threading.Barrier(threads)

    def render(n: int) -> dict[tuple[str, str], str | bytes]:
        start.wait()
        # Each thread takes the formats in another order, so that different ones overlap.
        mine = jobs[n:] + jobs[:n]
        return {job: engine.render(report, job[0], RenderOptions(lang=job[1])) for job in mine}

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(render, range(threads)))
    for result in results:
        assert [job for job in jobs if result[job] != alone[job]] == []
