"""Where parsing runs: a thread for a few sources; for big refreshes, worker processes.

feedparser is pure Python, so threads share one core; a first refresh of hundreds of sources is CPU-bound
and gains from every core. The pool starts lazily (an all-304 refresh never starts it) and any failure to
start it, or a worker dying, falls back to threads.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from multiprocessing import get_context

from .fetch import FetchResult
from .mentions import collector_paused
from .parse import NotAFeed, ParsedFeed, parse_feed
from .prepare import PreparedFeed, ToolCatalog, prepare_feed

log = logging.getLogger("agentoire.ingest")

ParseOutcome = tuple[ParsedFeed | None, PreparedFeed, str]


def parse_and_prepare(content: bytes, url: str, headers: dict[str, str], now: datetime,
                      catalog: ToolCatalog) -> ParseOutcome:
    """Bytes → (parsed feed, prepared entries, error); a body that is not a feed is this source's error."""
    try:
        parsed = parse_feed(content, url=url, headers=headers)
    except NotAFeed as exc:
        return None, PreparedFeed([]), str(exc)
    prepared = prepare_feed(parsed.entries, now=now, catalog=catalog)
    parsed.entries = []  # raw entries are done with (and need not travel back from a worker process)
    return parsed, prepared, ""


class _WorkerCatalog:
    """The catalog inside a worker process, set once by the pool's initializer.

    A process-wide value is unavoidable here: a task's arguments are pickled with every call, and the
    catalog (every tool name and its matcher) would then travel once per feed instead of once per worker.
    It lives only in the worker processes; the parent never reads it.
    """

    catalog = ToolCatalog.empty()

    @classmethod
    def initialize(cls, catalog_pickle: bytes) -> None:
        """Load the catalog with the collector paused (see `collector_paused`), then freeze it out of every
        later collection: the collections that parsing triggers no longer walk it."""
        with collector_paused():
            cls.catalog = pickle.loads(catalog_pickle)  # our own pickle, made by the parent just now
        gc.freeze()

    @classmethod
    def parse_and_prepare(cls, content: bytes, url: str, headers: dict[str, str], now: datetime) -> ParseOutcome:
        return parse_and_prepare(content, url, headers, now, cls.catalog)


class Parsers:
    """Parse-and-prepare for one refresh, in up to `processes` worker processes (fewer than 2: threads)."""

    def __init__(self, catalog: ToolCatalog, *, processes: int) -> None:
        self.catalog = catalog
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._broken = processes < 2

    def _get_pool(self) -> ProcessPoolExecutor | None:
        if self._pool is None and not self._broken:
            try:
                self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=get_context("spawn"),
                                                 initializer=_WorkerCatalog.initialize,
                                                 initargs=(pickle.dumps(self.catalog),))
            except (OSError, ValueError, RuntimeError):
                log.warning("parse workers unavailable; parsing in threads", exc_info=True)
                self._broken = True
        return self._pool

    async def run(self, fetched: FetchResult, now: datetime) -> ParseOutcome:
        url = fetched.final_url or fetched.url
        pool = self._get_pool()
        if pool is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(
                    pool, _WorkerCatalog.parse_and_prepare, fetched.content, url, fetched.headers, now)
            except BrokenProcessPool:
                log.warning("parse workers died; parsing in threads from now on")
                self._broken = True
        return await asyncio.to_thread(parse_and_prepare, fetched.content, url, fetched.headers, now, self.catalog)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
