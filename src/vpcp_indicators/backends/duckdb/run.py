"""One evaluation's DuckDB connection: its scans, how each file reaches DuckDB, its queries.

A CSV file that passes the byte-level checks is read by DuckDB's own reader; if DuckDB then
fails on it or reports a broken row, the file is fed instead (read by the reference reader),
so that DuckDB never decides how a broken file reads. The checks run in a thread while
DuckDB reads the file (both read it once, from the same pages); a file that fails them is
then fed, and what DuckDB made of it is thrown away. Parquet is read by DuckDB (the
reference reader reads it with DuckDB too); anything else is fed. A file whose tally the
cache keeps is not read at all.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ...cache import Cache
from ...errors import ResourceError, SourceError, message
from ...kinds.counting import HasRelated
from ...kinds.kind import Source
from ...plan.sourceref import SourceRef
from ...provenance import Hasher
from ...sources import read_rows
from ...sources.csv import CsvReader
from ...sources.parquet import ParquetReader, duckdb_path
from ...sql.conditions import Params
from .. import Progress, ReaderLookup, watched
from .faults import Faults
from .files import COMPLETE_SQL, csv_obstacle, feed, has_blank_line
from .kept import Kept
from .scan import Scan, TallyPlan

__all__ = ["Run"]

log = logging.getLogger("vpcp_indicators")


def _out_of_memory(limit: str | None, path: Path | str | None, error: Exception) -> ResourceError:
    """DuckDB ran out of memory: the limit is too small, whatever the file holds."""
    reason = str(error).splitlines()[0]
    read = str(path) if path is not None else message("the records' tallies")
    if limit is None:
        return ResourceError(
            "DuckDB ran out of memory reading {file}: give a --memory-limit below the free "
            "memory, so that it spills to disk ({reason})",
            file=read,
            reason=reason,
        )
    return ResourceError(
        "the memory limit of {limit} is too small for DuckDB to read {file}: give a larger "
        "--memory-limit ({reason})",
        limit=limit,
        file=read,
        reason=reason,
    )


class Run:
    """One evaluation's DuckDB connection and scans."""

    def __init__(
        self,
        readers: ReaderLookup,
        memory_limit: str | None,
        spill: Path,
        cache: Cache | None = None,
        verify: bool = False,
        hasher: Hasher | None = None,
    ):
        import duckdb

        self.duckdb = duckdb
        self.memory_limit = memory_limit
        self.con = duckdb.connect()
        # Tallies do not care for row order; numbered reads ask for it back.
        self.con.execute("SET preserve_insertion_order = false")
        self.spill = spill
        if memory_limit:
            # Past the limit DuckDB spills to disk, in a directory of our own, not the cwd.
            self.con.execute("SET temp_directory = $d", {"d": str(spill)})
            self.con.execute("SET memory_limit = $m", {"m": memory_limit})
        self.readers = readers
        #: Told the SHA-256 of each file a pass reads whole (None: nobody asks).
        self.hasher = hasher
        self.faults = Faults(self.execute, self.numbered)
        #: The tallies kept between evaluations (None: no cache).
        self.kept = (
            Kept(self.con, cache, verify, self.faults, readers, hasher)
            if cache is not None and cache.usable()
            else None
        )
        self.scans: list[Scan] = []
        #: The byte-level checks of each CSV file, under way or done (see ``csv_obstacle``).
        self._obstacles: dict[Path, Future[str | None]] = {}
        self._checker: ThreadPoolExecutor | None = None
        self._complete_columns: dict[Path, frozenset[str]] = {}
        self._fed: dict[tuple[SourceRef, tuple[str, ...]], tuple[Path, int]] = {}
        self._progress: Progress | None = None

    def scan(
        self,
        ref: SourceRef,
        name: str,
        source: Source,
        plan: TallyPlan,
        origin: Any = (),
        related_to: tuple[Scan, HasRelated, str] | None = None,
    ) -> Scan:
        """A scan of a source for a count's use of it, read by :meth:`read_all`. DuckDB
        reads a plain CSV or Parquet file itself; everything else is fed to it, unless its
        tally is in the cache. ``origin`` is what the cache knows the count's kind by;
        ``related_to`` the source whose keys this one's rows must hold.

        Counts that read one file as one source share its scan, whose tally then keeps what
        each of them needs: the file is read once, whatever the number of indicators. A
        related source, and one reduced to each key's earliest date, is a scan of its own.
        """
        if related_to is None and plan.first_of is None:
            for scan in self.scans:
                if scan.shares(ref, name, source):
                    scan.plan = scan.plan.merged(plan)
                    scan.origin = tuple(sorted({*scan.origin, *origin}))
                    return scan
        scan = Scan(f"t{len(self.scans)}", ref, name, "fed", [], source, plan)
        scan.related_to = related_to
        scan.origin = tuple(origin)
        self.scans.append(scan)
        return scan

    def _prepare(self, scan: Scan) -> None:
        """Choose how DuckDB reads the scan's file (once it is known not to be cached)."""
        scan.way, scan.header = self._way(scan.ref, self.readers(scan.ref), scan.name)
        if scan.way == "parquet" and isinstance(scan.path, Path):
            scan.complete = self._complete(scan.path)

    def _complete(self, path: Path) -> frozenset[str]:
        """The columns a Parquet file's statistics show hold a value in every row."""
        if path not in self._complete_columns:
            params = Params()
            params.values["path"] = duckdb_path(path)
            found = self.execute(COMPLETE_SQL, params, path)
            self._complete_columns[path] = frozenset(name for (name,) in found.fetchall())
        return self._complete_columns[path]

    def _way(self, ref: SourceRef, reader: Any, name: str) -> tuple[str, list[str]]:
        """How DuckDB reads a source, and the file's header if DuckDB reads it itself."""
        way = "fed"
        path = ref.path if ref.is_plain_file else None
        if path is None:
            pass
        elif isinstance(reader, ParquetReader):
            way = "parquet"
        elif isinstance(reader, CsvReader):
            checked = self._checked(path)
            if checked.done() and checked.result() is not None:
                log.debug("%s: read by the reference reader, as %s", name, checked.result())
            else:
                way = "csv"  # unless the checks, still under way, say otherwise
        return way, (reader.columns(path) if path is not None and way != "fed" else [])

    def _checked(self, path: Path) -> Future[str | None]:
        """The byte-level checks of a CSV file, started once: DuckDB releases the GIL as it
        reads, and the checks, mostly the reading of the file, run beside it. The same pass
        hashes the file for the report's provenance."""
        if path not in self._obstacles:
            if self._checker is None:
                self._checker = ThreadPoolExecutor(1, thread_name_prefix="vpcp-csv-checks")
            self._obstacles[path] = self._checker.submit(self._check, path)
        return self._obstacles[path]

    def _check(self, path: Path) -> str | None:
        if self.hasher is None or self.hasher.known(path) is not None:
            return csv_obstacle(path)
        digest = hashlib.sha256()
        found = csv_obstacle(path, digest)
        self.hasher.record(path, digest.hexdigest())
        return found

    def execute(self, sql: str, params: Params, path: Path | str | None = None) -> Any:
        """Run SQL; an error on a file's behalf becomes a SourceError naming the file."""
        try:
            return self.con.execute(sql, params.values)
        except self.duckdb.OutOfMemoryException as error:
            raise _out_of_memory(self.memory_limit, path, error) from error
        except self.duckdb.Error as error:
            if path is None:
                raise
            reason = str(error).splitlines()[0]
            raise SourceError.at(
                path, "DuckDB cannot read the file: {reason}", reason=reason
            ) from error

    # -- reading -----------------------------------------------------------------------------

    def read_all(self, progress: Progress | None = None) -> None:
        """Read every file into its tally table, or take the tally from the cache."""
        self._progress = progress
        for scan in self.scans:
            if self.kept is not None and self.kept.look_up(scan):
                continue
            self._prepare(scan)
            read_at = time.time_ns()
            self._read(scan, progress)
            if self.kept is not None:
                self.kept.keep(scan, read_at)

    def _read(self, scan: Scan, progress: Progress | None) -> None:
        if scan.way == "fed":
            self._feed(scan)
        if progress is not None:
            progress(scan.name, 0.0, None)
        try:
            self._tally(scan)
        except self.duckdb.OutOfMemoryException as error:
            raise _out_of_memory(self.memory_limit, scan.path, error) from error
        except self.duckdb.Error as error:
            if scan.way != "csv":
                raise SourceError.at(
                    scan.path,
                    "DuckDB cannot read the file: {reason}",
                    reason=str(error).splitlines()[0],
                ) from error
            if not self._refed(scan):
                self._refeed(scan, f"DuckDB's reader failed ({str(error).splitlines()[0]})")
            return
        if scan.way == "csv" and not self._refed(scan):
            broken = self.con.execute(scan.rejects()).fetchall()[0][0]
            if broken:
                self._refeed(scan, f"DuckDB's reader found {broken} broken rows")
        if progress is not None:
            progress(scan.name, 1.0, None)

    def _tally(self, scan: Scan) -> None:
        params = Params()
        # Not a temporary table: the cache's writer reads it on a cursor of its own.
        sql = f"CREATE OR REPLACE TABLE {scan.table} AS {scan.tally_sql(params)}"
        if self._progress is None or scan.way == "fed":
            self.con.execute(sql, params.values)
            return
        done = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(scan.name, done, self._progress))
        watcher.start()
        try:
            self.con.execute(sql, params.values)
        finally:
            done.set()
            watcher.join()

    def _refed(self, scan: Scan) -> bool:
        """Whether a CSV file DuckDB read fails the byte-level checks: then it is fed."""
        assert isinstance(scan.path, Path)
        obstacle = self._checked(scan.path).result()
        if obstacle is not None:
            log.debug("%s: read by the reference reader, as %s", scan.name, obstacle)
            self._refeed(scan)
        return obstacle is not None

    def _refeed(self, scan: Scan, why: str | None = None) -> None:
        if why is not None:
            log.debug("%s: read again by the reference reader: %s", scan.name, why)
        scan.way = "fed"
        self._feed(scan)
        try:
            self._tally(scan)
        except self.duckdb.OutOfMemoryException as error:
            raise _out_of_memory(self.memory_limit, scan.path, error) from error
        except self.duckdb.Error as error:
            raise SourceError.at(
                scan.path,
                "DuckDB cannot read the file: {reason}",
                reason=str(error).splitlines()[0],
            ) from error

    def _feed(self, scan: Scan) -> None:
        """Read the scan's file with the reference reader into JSON Lines DuckDB reads."""
        columns = tuple(c.name for c in scan.source.columns)
        key = (scan.ref, columns)
        if key not in self._fed:
            target = self.spill / f"fed{len(self._fed)}.jsonl"
            rows = read_rows(self.readers(scan.ref), scan.ref, columns)
            if self._progress is not None:
                rows = watched(rows, scan.name, scan.ref.target, self._progress)
            self._fed[key] = target, feed(rows, target)
        scan.fed, scan.fed_width = self._fed[key]

    def _watch(self, name: str, done: threading.Event, progress: Progress) -> None:
        # DuckDB runs the query outside the GIL; its progress can be asked meanwhile.
        while not done.wait(0.25):
            share = self.con.query_progress()
            if share >= 0:
                progress(name, min(share / 100, 0.99), None)

    def numbered(self, scan: Scan, params: Params) -> str:
        """SQL of the scan's rows numbered as the contract numbers them.

        DuckDB skips the blank lines of a CSV without counting them; such a file is numbered
        by the reference reader.
        """
        if scan.way == "csv" and isinstance(scan.path, Path) and has_blank_line(scan.path):
            twin = Scan(scan.table, scan.ref, scan.name, "fed", [], scan.source, scan.plan)
            self._feed(twin)
            return twin.relation(params, numbered=True)
        return scan.relation(params, numbered=True)

    def close(self) -> None:
        """Close the connection, once the cache has what it keeps (and stop the checks still
        under way)."""
        if self._checker is not None:
            self._checker.shutdown(cancel_futures=True)
        try:
            if self.kept is not None:
                self.kept.close()
        finally:
            self.con.close()
