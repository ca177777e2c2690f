"""The tallies of a DuckDB run that the cache keeps (see :mod:`vpcp_indicators.cache`).

Each scan is looked up under a key of everything its tally depends on; one found becomes a
view of its Parquet file, and the file is not read. A tally just read is kept with its
warnings, if the file did not change while it was read and its times can be trusted.

A tally is written to the cache in a thread of its own, on a cursor of the run's database,
while the run goes on to its counts: a first evaluation does not wait for the cache but at
its close (:meth:`Kept.close`).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs

from ... import __version__, sources
from ...cache import Cache, FileState, file_state, key_of
from ...provenance import Hasher
from ...sources.parquet import duckdb_path
from .. import ReaderLookup
from .faults import Faults, kept
from .scan import Scan

__all__ = ["Kept"]

log = logging.getLogger("vpcp_indicators")


class Kept:
    """What a run takes from the cache and gives to it."""

    def __init__(
        self,
        con: Any,
        cache: Cache,
        verify: bool,
        faults: Faults,
        readers: ReaderLookup,
        hasher: Hasher | None = None,
    ):
        import duckdb

        self.error = duckdb.Error
        self.con = con
        self.cache = cache
        self.verify = verify
        self.faults = faults
        self.readers = readers
        self.hasher = hasher
        self._states: dict[Path, FileState | None] = {}
        self._writer: ThreadPoolExecutor | None = None
        self._writes: list[tuple[Any, Future[None]]] = []

    def key(self, scan: Scan) -> str | None:
        """The scan's key (None: not kept: not a file, or related to a file not kept)."""
        ref = scan.ref
        if ref.path is None or ref.url is not None:
            return None
        related: Any = None
        if scan.related_to is not None:
            main, link, detail = scan.related_to
            if main.key is None:
                return None  # its warnings depend on the other file, which is not kept
            related = [main.key, link, detail]
        # Once per file and run: with verify, a file two scans read is hashed once.
        if ref.path not in self._states:
            self._states[ref.path] = file_state(ref.path, self.verify)
        scan.state = self._states[ref.path]
        if scan.state is None:
            return None
        if scan.state.sha256 is not None and self.hasher is not None:
            self.hasher.record(ref.path, scan.state.sha256)
        reader = self.readers(ref)
        return key_of(
            {
                "contract": sources.READING_CONTRACT,
                "version": __version__,
                "reader": f"{type(reader).__module__}.{type(reader).__qualname__}",
                "sheet": ref.sheet,
                "columns": ref.columns,
                "file": scan.state.identity(),
                "source": scan.source,
                "plan": scan.plan,
                "origin": scan.origin,
                "related": related,
            }
        )

    def look_up(self, scan: Scan) -> bool:
        """Whether the scan's tally was found and made its table (then the file is not
        read). A kept tally that cannot be read is dropped."""
        scan.key = self.key(scan)
        if scan.key is None:
            return False
        scan.entry = self.cache.lookup(scan.key)
        if scan.entry is None:
            return False
        # A view holds no parameter: the path is a literal (a file of the cache's naming).
        path = "'" + duckdb_path(scan.entry.table).replace("'", "''") + "'"
        try:
            # Reading the file's footer finds a broken file before the view is made.
            self.con.execute(f"SELECT count(*) FROM read_parquet({path})")
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {scan.table} AS SELECT * FROM read_parquet({path})"
            )
            if not {"warnings", "unknown"} <= scan.entry.meta.keys():
                raise KeyError("an entry without its warnings")
        except (self.error, KeyError, TypeError) as error:
            log.debug("%s: the cache's tally cannot be read (%s)", scan.name, error)
            self.cache.drop(scan.key)
            scan.entry = None
            return False
        scan.way = "cached"
        log.debug("%s: its tally is taken from the cache", scan.name)
        # The file is not read: its hash is the one kept with its tally.
        digest = scan.entry.meta.get("sha256")
        if self.hasher is not None and isinstance(digest, str) and scan.ref.path is not None:
            self.hasher.record(scan.ref.path, digest)
        return True

    def keep(self, scan: Scan, read_at: int) -> None:
        """Keep a tally just read, with its warnings, if the file did not change meanwhile
        and its times can be trusted (``read_at``: when its reading began)."""
        if scan.key is None or scan.state is None:
            return
        assert scan.ref.path is not None
        now = file_state(scan.ref.path)
        if now is None or attrs.evolve(now, sha256=scan.state.sha256) != scan.state:
            log.debug("%s: changed while it was read; its tally is not kept", scan.name)
            return
        if scan.state.racy(read_at):
            log.debug("%s: modified too recently for its tally to be kept", scan.name)
            return
        unknown = []
        if scan.related_to is not None:
            main, link, detail = scan.related_to
            unknown = self.faults.unknown(main, scan, link, detail)
        meta = {
            "warnings": [kept(w) for w in self.faults.warnings(scan)],
            "unknown": [kept(w) for w in unknown],
        }
        sql = f"COPY {scan.table} TO $p (FORMAT parquet)"
        # A cursor is a connection of its own to the run's database, which may be used from
        # another thread; it sees the tally because the tally is not a temporary table.
        cursor = self.con.cursor()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="vpcp-cache")
        future = self._writer.submit(self._store, scan, cursor, sql, meta)
        self._writes.append((cursor, future))

    def _store(self, scan: Scan, cursor: Any, sql: str, meta: dict[str, Any]) -> None:
        """Write a tally to the cache, with its file's hash (found in a pass of its own,
        here, beside the counts, when no pass read the whole file), so that an evaluation
        the cache serves knows the file's hash without reading it."""
        assert scan.key is not None and scan.ref.path is not None
        if self.hasher is not None:
            meta["sha256"] = self.hasher.digest(scan.ref.path)
        self.cache.store(scan.key, lambda path: cursor.execute(sql, {"p": str(path)}), meta)

    def close(self) -> None:
        """Wait for the tallies still being written to the cache (before the run's database
        is closed)."""
        for cursor, future in self._writes:
            try:
                future.result()
            finally:
                cursor.close()
        self._writes.clear()
        if self._writer is not None:
            self._writer.shutdown()
