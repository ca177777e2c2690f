"""The tally cache: evaluating unchanged files again reads none of them and gives the same
report to the last byte; a changed file, plugin, count or reading contract is never served
from it; it is bounded, the user's own, and off when asked."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators import Engine
from vpcp_indicators.cache import Cache, key_of
from vpcp_indicators.cli import cli

YEAR_ENDS = [dt.date(year, 12, 31) for year in range(2011, 2016)]
#: A time well before any test runs: a file dated so is not "racy".
LONG_AGO = 1_600_000_000


def documents_plan(folder: Path, issuers: list[str] | None = None) -> Path:
    """A plan of one e-documents indicator over ``folder/documents.csv``."""
    params = {"issuers": issuers} if issuers else {}
    plan = folder / "plan.toml"
    ind = indicator("e_document_dispatch", {"documents": "documents.csv"}, params=params)
    plan.write_text(plan_text([ind]), "utf-8")
    return plan


DOCUMENTS = (
    "doc_id,issued_on,issuer,classification,channel\n"
    "D1,2012-03-01,government,normal,electronic\n"
    "D2,2012-04-01,government,normal,paper\n"
    "D3,2012-05-01,prime_minister,normal,electronic\n"
    "D4,2012-06-01,government,secret,electronic\n"
    "D5,2012-07-01,ministry_x,normal,electronic\n"
    "D6,2012-13-01,government,normal,electronic\n"
)


def written_long_ago(path: Path, text: str) -> Path:
    """Write a file, and date it well in the past, as an export usually is."""
    write_csv(path, text)
    os.utime(path, (LONG_AGO, LONG_AGO))
    return path


def kept_documents(folder: Path, cache: str = "cache") -> tuple[Path, Engine]:
    """DOCUMENTS written long ago in ``folder``, a plan over them, and an engine whose cache
    is ``folder / cache``."""
    written_long_ago(folder / "documents.csv", DOCUMENTS)
    return documents_plan(folder), Engine(cache=folder / cache)


def figures(report) -> tuple:
    result = report.latest.indicators[0]
    return result.numerator, result.denominator


def test_a_second_evaluation_reads_no_file_and_gives_the_same_bytes(tmp_path, reads):
    engine = Engine(cache=tmp_path / "cache")
    cold = engine.render(engine.evaluate(SEED_PLAN, YEAR_ENDS), "json")
    read_first = list(reads)
    assert read_first, "the first evaluation reads the files"
    reads.clear()
    # Another date, another format and language: the tallies serve them all.
    again = engine.evaluate(SEED_PLAN, YEAR_ENDS)
    assert reads == []
    assert engine.render(again, "json") == cold
    other = engine.evaluate(SEED_PLAN, [dt.date(2013, 6, 30)])
    assert reads == []
    without = Engine(cache=None).evaluate(SEED_PLAN, [dt.date(2013, 6, 30)])
    assert engine.render(other, "markdown") == engine.render(without, "markdown")


def test_the_warnings_are_kept_with_their_rows(tmp_path, reads):
    # The bad date of D6 is warned of from the cache as when the file was read: row 7.
    plan, engine = kept_documents(tmp_path)
    first = engine.evaluate(plan, [dt.date(2012, 12, 31)])
    second = engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv"]
    (warning,) = second.latest.indicators[0].warnings
    assert (warning.file, warning.problem, warning.column, warning.rows) == (
        "documents.csv",
        "bad_date",
        "issued_on",
        (7,),
    )
    assert second.latest.indicators[0] == first.latest.indicators[0]
    # Issued by the government or the prime minister, not secret: D1, D2, D3; two electronic.
    assert figures(second) == (2, 3)


def test_a_changed_file_is_read_again_even_with_its_size_and_times_put_back(tmp_path, reads):
    plan, engine = kept_documents(tmp_path)
    path = tmp_path / "documents.csv"
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    # Same size, same modification time: only the change time tells (as git's index does).
    written_long_ago(path, DOCUMENTS.replace("D2,2012-04-01,government,normal,paper",
                                             "D2,2012-04-01,government,normal,both "))  # fmt: skip
    assert path.stat().st_size == len(DOCUMENTS)
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    assert reads == ["documents.csv", "documents.csv"]
    written_long_ago(path, DOCUMENTS.replace("paper", "email"))
    # 'email' is not an electronic channel of the kind: still 2 of 3.
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    written_long_ago(path, DOCUMENTS.replace("paper", "electronic"))
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (3, 3)
    assert len(reads) == 4


def test_a_file_modified_as_it_is_read_is_not_kept(tmp_path, reads):
    # Written just now: a change in the same tick of the clock would leave its times alone.
    write_csv(tmp_path / "documents.csv", DOCUMENTS)
    plan = documents_plan(tmp_path)
    engine = Engine(cache=tmp_path / "cache")
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]
    assert engine.cache is not None and engine.cache.size() == 0


def test_verify_sources_trusts_the_content_not_the_times(tmp_path, reads):
    plan, engine = kept_documents(tmp_path)
    path = tmp_path / "documents.csv"
    engine.evaluate(plan, [dt.date(2012, 12, 31)], verify_sources=True)
    # Touched, not changed: the hash says it is the same file, the times that it may not be.
    os.utime(path, (LONG_AGO + 60, LONG_AGO + 60))
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)], verify_sources=True)) == (2, 3)
    assert reads == ["documents.csv"]
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]
    # Changed, with its times put back: the hash sees it.
    written_long_ago(path, DOCUMENTS.replace("paper", "elect"))
    os.utime(path, (LONG_AGO + 60, LONG_AGO + 60))
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)], verify_sources=True)) == (2, 3)
    assert len(reads) == 3


def test_a_changed_count_is_not_served_from_the_cache(tmp_path, reads):
    written_long_ago(tmp_path / "documents.csv", DOCUMENTS)
    engine = Engine(cache=tmp_path / "cache")
    both = engine.evaluate(documents_plan(tmp_path), [dt.date(2012, 12, 31)])
    assert figures(both) == (2, 3)
    # The issuers are part of the count: with the ministry too, D5 is counted.
    wider = documents_plan(tmp_path, ["government", "prime_minister", "ministry_x"])
    assert figures(engine.evaluate(wider, [dt.date(2012, 12, 31)])) == (3, 4)
    assert reads == ["documents.csv", "documents.csv"]


def test_a_changed_reading_contract_is_not_served_from_the_cache(tmp_path, reads, monkeypatch):
    plan, engine = kept_documents(tmp_path)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    monkeypatch.setattr("vpcp_indicators.sources.READING_CONTRACT", 2)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]


PLUGIN = """
from vpcp_indicators import Column, Count, In, InWindow, Kind, Source, hookimpl

THINGS = Source("things", [Column("id"), Column("on", type="date"), Column("state")])


@hookimpl
def register_kinds(register):
    register(Kind(
        name="done_things", title="Things done", unit="ratio", sources=[THINGS],
        count=lambda params: Count(
            "things", population=InWindow("on"), numerator=In("state", ["{done}"])
        ),
    ))
"""


def test_a_changed_plugin_is_not_served_from_the_cache(tmp_path, reads):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "things.py").write_text(PLUGIN.format(done="done"), "utf-8")
    written_long_ago(tmp_path / "things.csv", "id,on,state\nA,2012-01-01,done\nB,2012-02-01,open\n")
    plan = tmp_path / "plan.toml"
    plan.write_text(plan_text([indicator("done_things", {"things": "things.csv"})]), "utf-8")
    engine = Engine(cache=tmp_path / "cache", plugins_dirs=[plugins])
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (1, 2)
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (1, 2)
    assert reads == ["things.csv"]
    # A new release of the plugin: another engine (as the next run of the command) loads it.
    (plugins / "things.py").write_text(PLUGIN.format(done="done") + "# 1.1\n", "utf-8")
    newer = Engine(cache=tmp_path / "cache", plugins_dirs=[plugins])
    assert figures(newer.evaluate(plan, [dt.date(2012, 12, 31)])) == (1, 2)
    assert reads == ["things.csv", "things.csv"]


def test_an_entry_point_plugins_version_is_part_of_the_key(tmp_path, reads, monkeypatch):
    written_long_ago(tmp_path / "documents.csv", DOCUMENTS)
    plan = documents_plan(tmp_path)
    Engine(cache=tmp_path / "cache").evaluate(plan, [dt.date(2012, 12, 31)])
    engine = Engine(cache=tmp_path / "cache")
    registry = engine.registry
    for i, info in enumerate(registry.plugins):
        if info.name == "e_documents":
            import attrs

            registry.plugins[i] = attrs.evolve(info, version="99.0")
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]


def test_no_cache_keeps_nothing(tmp_path, reads):
    written_long_ago(tmp_path / "documents.csv", DOCUMENTS)
    plan = documents_plan(tmp_path)
    engine = Engine(cache=None)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]


def test_the_command_keeps_tallies_in_the_users_cache_folder_unless_told_not_to(
    tmp_path, cli_env, monkeypatch
):
    from click.testing import CliRunner

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    written_long_ago(tmp_path / "documents.csv", DOCUMENTS)
    plan = str(documents_plan(tmp_path))
    runner = CliRunner()
    args = ["evaluate", plan, "--as-of", "2012-12-31", "--format", "json"]
    cold = runner.invoke(cli, [*args, "--no-cache"])
    assert cold.exit_code == 0, cold.output
    assert not (tmp_path / "xdg").exists()
    first = runner.invoke(cli, args)
    folder = tmp_path / "xdg" / "vpcp-indicators"
    assert first.exit_code == 0 and folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert len(list(folder.rglob("*.parquet"))) == 1
    second = runner.invoke(cli, [*args, "--verify-sources"])
    assert cold.stdout == first.stdout == second.stdout


def test_the_cache_drops_the_entries_used_longest_ago(tmp_path):
    cache = Cache(tmp_path / "cache", limit=2500)

    def store(key: str) -> None:
        cache.store(key, lambda path: path.write_bytes(b"x" * 1000), {"warnings": []})

    for number, key in enumerate(["a1", "b2", "c3"]):
        store(key)
        for path in (tmp_path / "cache").rglob(f"{key}.*"):
            os.utime(path, (LONG_AGO + number, LONG_AGO + number))
    # Only two fit: the oldest, a1, went when c3 came.
    assert cache.lookup("a1") is None
    assert cache.lookup("b2") is not None  # a use: b2 is now the newest
    store("d4")
    assert (cache.lookup("c3"), cache.lookup("b2") is not None) == (None, True)
    assert cache.size() <= 2500


def test_a_broken_entry_is_read_past(tmp_path, reads):
    plan, engine = kept_documents(tmp_path)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    for table in (tmp_path / "cache").rglob("*.parquet"):
        table.write_bytes(b"not parquet")
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    assert reads == ["documents.csv", "documents.csv"]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_folder_another_user_owns_is_not_used(tmp_path, reads):
    written_long_ago(tmp_path / "documents.csv", DOCUMENTS)
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o777)
    os.chown(folder, 65534, 65534)
    engine = Engine(cache=folder)
    plan = documents_plan(tmp_path)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]
    assert list(folder.iterdir()) == []


def test_a_folder_others_may_read_is_made_the_users_own(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert Cache(folder).usable()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_keys_are_the_same_in_every_process():
    # Sets are ordered by the hash seed, which changes from one process to the next.
    code = (
        "from vpcp_indicators.cache import key_of; from vpcp_indicators import In;"
        "print(key_of(In('c', frozenset({'a', 'b', 'c', 'd', 'e', 'f'}))))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(keys) == 1
    assert key_of({"a": 1}) != key_of({"a": 2})


def test_a_cache_folder_with_quotes_and_glob_characters_in_its_name_is_read_back(tmp_path, reads):
    plan, engine = kept_documents(tmp_path, "it's [a] cache*")
    first = engine.evaluate(plan, [dt.date(2012, 12, 31)])
    second = engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv"]
    assert figures(second) == figures(first) == (2, 3)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_the_command_says_in_one_line_of_its_language_that_it_cannot_use_the_folder(
    tmp_path, cli_env, monkeypatch
):
    from click.testing import CliRunner

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    theirs = tmp_path / "xdg" / "vpcp-indicators"
    theirs.mkdir(parents=True)
    os.chown(theirs, 65534, 65534)
    written_long_ago(tmp_path / "documents.csv", DOCUMENTS)
    args = ["evaluate", str(documents_plan(tmp_path)), "--as-of", "2012-12-31", "--lang", "vi"]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"cảnh báo: thư mục bộ nhớ đệm {theirs} thuộc về người dùng khác: không dùng"
    )


def test_a_cache_folder_removed_between_evaluations_is_made_again(tmp_path, reads):
    # A long-lived host (a dashboard) goes on keeping tallies after a user clears caches.
    plan, engine = kept_documents(tmp_path)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    shutil.rmtree(tmp_path / "cache")
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    assert reads == ["documents.csv", "documents.csv"]


def test_a_tally_that_cannot_be_written_is_a_warning_and_the_figures_stand(
    tmp_path, reads, monkeypatch, caplog
):
    # The tally is written beside the counts, in a thread: its failure (a full disk, say)
    # must still reach the user, and must leave no entry behind.
    import vpcp_indicators.cache as cache_module

    class Full(cache_module._written):
        def __enter__(self) -> Path:
            super().__enter__()
            return self.path.parent / "no such folder" / "tally.parquet"

    monkeypatch.setattr(cache_module, "_written", Full)
    plan, engine = kept_documents(tmp_path)
    assert figures(engine.evaluate(plan, [dt.date(2012, 12, 31)])) == (2, 3)
    assert any("could not be kept" in r.getMessage() for r in caplog.records)
    assert list((tmp_path / "cache").rglob("*.parquet")) == []
    assert list((tmp_path / "cache").rglob("*.json")) == []
    monkeypatch.setattr(cache_module, "_written", Full.__base__)
    engine.evaluate(plan, [dt.date(2012, 12, 31)])
    assert reads == ["documents.csv", "documents.csv"]
    assert len(list((tmp_path / "cache").rglob("*.parquet"))) == 1
