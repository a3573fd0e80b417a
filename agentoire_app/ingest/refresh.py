"""One refresh: due sources fetched concurrently, each one's results committed in its own transaction.

`refresh_sources` is what the CLI (`agentoire refresh --once`) and the app's loop call. The event loop only
waits on the network; parsing and preparing run in a worker thread (or, for a big refresh, in worker
processes, one per core), and database writes go through one dedicated writer thread per refresh (SQLite allows one writer at a time anyway), so the app stays
responsive while a refresh runs. Every stage failure becomes that source's error; no source can stop the
others. The clock is an argument (`now`), never patched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from multiprocessing import get_context
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import col, select

from ..db import session_scope
from ..models import Category, Source, Tool, to_stored, utcnow
from ..notes.queue import after_refresh
from ..settings import get_settings
from . import lease as leases
from . import schedule
from .fetch import Fetcher, FetchResult
from .mentions import ToolMatcher
from .parse import NotAFeed, ParsedFeed, parse_feed
from .prepare import PreparedEntry, ToolCatalog, ToolRef, prepare_entries
from .store import store_entries

log = logging.getLogger("agentoire.ingest")

LEASE_TTL_SECONDS = 300
PROCESS_POOL_MIN_SOURCES = 40  # below this, starting worker processes costs more than it saves
OutcomeStatus = Literal["ok", "not_modified", "error"]


@dataclass
class FeedOutcome:
    """One line of the contract's `refresh --json`: url, status, new, updated, error."""

    url: str
    status: OutcomeStatus
    new: int = 0
    updated: int = 0
    error: str = ""


@dataclass
class RefreshReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    skipped: str = ""  # why nothing was done (the lease is held elsewhere), else empty
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.feeds)

    def to_json(self) -> dict[str, Any]:
        return {"feeds": [asdict(f) for f in self.feeds]}


class UnknownSource(LookupError):
    """`refresh_sources(url=...)` for a URL that is not a source."""


@dataclass(frozen=True)
class _SourceJob:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    added_by: str
    error_count: int
    interval: int | None
    has_title: bool


# --- catalog for mentions, cached while the catalog does not change -------------------------------

_catalog_cache: dict[str, tuple[tuple[Any, ...], ToolCatalog]] = {}


def load_tool_catalog(db_url: str | None = None) -> ToolCatalog:
    """Tool names for mention-finding; rebuilt only when the tool table changed (count or last update)."""
    key = db_url or get_settings().db_url
    with session_scope(db_url) as session:
        stamp = tuple(session.exec(select(sa.func.count(col(Tool.id)), sa.func.max(col(Tool.updated_at)))).one())
        cached = _catalog_cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
        names = {c.slug: c.name for c in session.exec(select(Category)).all()}
        rows = session.exec(select(Tool.id, Tool.slug, Tool.name, Tool.category)).all()
    tools = {tid: ToolRef(slug, name, names.get(cat, "")) for tid, slug, name, cat in rows if tid is not None}
    catalog = ToolCatalog(ToolMatcher((tid, ref.name) for tid, ref in tools.items()), tools)
    _catalog_cache[key] = (stamp, catalog)
    return catalog


# --- the database side, run in the writer thread ---------------------------------------------------


def _select_jobs(db_url: str | None, *, url: str | None, all_sources: bool, now: datetime,
                 due_slack: int) -> list[_SourceJob]:
    with session_scope(db_url) as session:
        query = select(Source).where(col(Source.retired).is_(False))
        if url is not None:
            query = select(Source).where(Source.url == url)
        elif not all_sources:
            query = query.where(col(Source.next_fetch_at) <= now + timedelta(seconds=due_slack))
        sources = session.exec(query.order_by(col(Source.next_fetch_at), col(Source.id))).all()
        if url is not None and not sources:
            raise UnknownSource(f"no source with URL {url}")
        return [_SourceJob(s.id or 0, s.url, s.etag, s.last_modified, s.added_by, s.error_count,
                           s.interval_seconds, bool(s.title)) for s in sources]


def _record(db_url: str | None, job: _SourceJob, fetched: FetchResult, parsed: ParsedFeed | None,
            entries: list[PreparedEntry], error: str, *, now: datetime, base: int,
            rng: random.Random) -> FeedOutcome:
    """Store entries and the source's new state in one transaction; on failure record only the error."""
    try:
        with session_scope(db_url) as session:
            source = session.get(Source, job.id)
            if source is None:
                return FeedOutcome(job.url, "error", error="source was deleted during the refresh")
            counts = store_entries(job.id, entries, session=session, now=now) if parsed else None
            _apply_outcome(source, fetched, parsed, error, now=now, base=base, rng=rng, session=session)
            session.add(source)
    except Exception as exc:  # a storage failure is this source's error, not the refresh's
        log.exception("storing %s failed", job.url)
        message = f"could not store: {type(exc).__name__}: {exc}".splitlines()[0][:500]
        with session_scope(db_url) as session:
            source = session.get(Source, job.id)
            if source is not None:
                _apply_outcome(source, fetched, None, message, now=now, base=base, rng=rng, session=session)
                session.add(source)
        return FeedOutcome(job.url, "error", error=message)
    if error or fetched.status != "ok":
        return _status_outcome(job, fetched, error)
    return FeedOutcome(job.url, "ok", new=counts.new if counts else 0, updated=counts.updated if counts else 0)


def _status_outcome(job: _SourceJob, fetched: FetchResult, error: str) -> FeedOutcome:
    if error or fetched.status in ("error", "gone"):
        return FeedOutcome(job.url, "error", error=error or fetched.error)
    return FeedOutcome(job.url, "not_modified")


StatusUpdate = tuple[_SourceJob, FetchResult, str]


def _record_statuses(db_url: str | None, updates: list[StatusUpdate], *, now: datetime, base: int,
                     rng: random.Random) -> None:
    """Outcomes that store no article (304, errors, 410) for many sources, in one transaction."""
    with session_scope(db_url) as session:
        ids = [job.id for job, _, _ in updates]
        sources = {s.id: s for s in session.exec(select(Source).where(col(Source.id).in_(ids))).all()}
        for job, fetched, error in updates:
            source = sources.get(job.id)
            if source is not None:
                _apply_outcome(source, fetched, None, error, now=now, base=base, rng=rng, session=session)
                session.add(source)


class _Writer:
    """All database writes of one refresh, on one thread.

    A source with entries is written in its own transaction (all of its results or none). Outcomes that
    store no article only touch the source row; they are grouped (up to `BATCH` per transaction) because
    an all-304 refresh of a thousand sources would otherwise spend its time committing.
    """

    BATCH = 200

    def __init__(self, db_url: str | None, *, now: datetime, base: int, rng: random.Random) -> None:
        self.db_url, self.now, self.base, self.rng = db_url, now, base, rng
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agentoire-db-writer")
        self.pending: list[StatusUpdate] = []

    async def record(self, job: _SourceJob, fetched: FetchResult, parsed: ParsedFeed | None,
                     entries: list[PreparedEntry], error: str) -> FeedOutcome:
        loop = asyncio.get_running_loop()
        if parsed is None:
            self.pending.append((job, fetched, error))
            if len(self.pending) >= self.BATCH:
                await self.flush()
            return _status_outcome(job, fetched, error)
        return await loop.run_in_executor(self.executor, lambda: _record(
            self.db_url, job, fetched, parsed, entries, error, now=self.now, base=self.base, rng=self.rng))

    async def flush(self) -> None:
        batch, self.pending = self.pending, []
        if batch:
            await asyncio.get_running_loop().run_in_executor(self.executor, self._write_statuses, batch)

    def _write_statuses(self, batch: list[StatusUpdate]) -> None:
        try:
            _record_statuses(self.db_url, batch, now=self.now, base=self.base, rng=self.rng)
        except Exception:  # e.g. two sources redirected to one URL: write them one by one instead
            log.warning("batched status write failed; writing one by one", exc_info=True)
            for job, fetched, error in batch:
                _record(self.db_url, job, fetched, None, [], error, now=self.now, base=self.base, rng=self.rng)

    async def close(self) -> None:
        await asyncio.to_thread(self.executor.shutdown, True)


def _apply_outcome(source: Source, fetched: FetchResult, parsed: ParsedFeed | None, error: str, *,
                   now: datetime, base: int, rng: random.Random, session: Any) -> None:
    source.last_fetched_at = now
    if fetched.permanent_url and fetched.permanent_url != source.url:
        clash = session.exec(select(Source.id).where(Source.url == fetched.permanent_url)).first()
        if clash is None:
            source.url = fetched.permanent_url[:1000]
    if fetched.status == "gone":
        source.retired = True
        source.last_status = "gone"
        source.last_error = fetched.error
        source.error_count += 1
        return
    failed = error or (fetched.status == "error" and fetched.error)
    if failed:
        source.last_status = "error"
        source.last_error = str(failed).replace("\x00", "")
        source.error_count += 1
        source.next_fetch_at = schedule.next_fetch_after_error(now, base, source.error_count,
                                                               retry_after=fetched.retry_after, rng=rng)
        return
    source.error_count = 0
    source.etag = (fetched.etag or None) and fetched.etag[:500]
    source.last_modified = (fetched.last_modified or None) and fetched.last_modified[:100]
    ttl = parsed.ttl_minutes if parsed else None
    interval = schedule.server_interval(base, max_age=fetched.max_age, ttl_minutes=ttl)
    if parsed is None:  # 304: keep what the last full fetch learned from the feed's ttl
        interval = max(interval or 0, source.interval_seconds or 0) or None
    source.interval_seconds = interval
    source.next_fetch_at = schedule.next_fetch_after_success(now, base, interval)
    if parsed is None:
        source.last_status = "not_modified"
        source.last_error = ""
        return
    source.last_status = "ok"
    source.last_error = parsed.warning.replace("\x00", "")
    if parsed.title and not source.title:
        source.title = parsed.title.replace("\x00", "")[:300]
    if parsed.site_url and not source.site_url:
        source.site_url = parsed.site_url.replace("\x00", "")[:1000]


# --- the pipeline ----------------------------------------------------------------------------------


ParseOutcome = tuple[ParsedFeed | None, list[PreparedEntry], str]
_worker_catalog = ToolCatalog.empty()


def _parse_and_prepare(content: bytes, url: str, headers: dict[str, str], now: datetime,
                       catalog: ToolCatalog | None = None) -> ParseOutcome:
    try:
        parsed = parse_feed(content, url=url, headers=headers)
    except NotAFeed as exc:
        return None, [], str(exc)
    prepared = prepare_entries(parsed.entries, now=now, catalog=catalog or _worker_catalog)
    parsed.entries = []  # raw entries are done with (and need not travel back from a worker process)
    return parsed, prepared, ""


def _init_parse_worker(catalog: ToolCatalog) -> None:
    global _worker_catalog
    _worker_catalog = catalog


class _Parsers:
    """Where parsing runs: a thread for a few sources; for big refreshes, worker processes.

    feedparser is pure Python, so threads share one core; a first refresh of hundreds of sources is
    CPU-bound and gains from every core. The pool starts lazily (an all-304 refresh never starts it) and
    any failure to start it falls back to threads.
    """

    def __init__(self, catalog: ToolCatalog, *, processes: int) -> None:
        self.catalog = catalog
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._broken = processes < 2

    def _get_pool(self) -> ProcessPoolExecutor | None:
        if self._pool is None and not self._broken:
            try:
                self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=get_context("spawn"),
                                                 initializer=_init_parse_worker, initargs=(self.catalog,))
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
                    pool, _parse_and_prepare, fetched.content, url, fetched.headers, now)
            except BrokenProcessPool:
                log.warning("parse workers died; parsing in threads from now on")
                self._broken = True
        return await asyncio.to_thread(_parse_and_prepare, fetched.content, url, fetched.headers, now, self.catalog)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


async def _refresh_one(job: _SourceJob, *, fetcher: Fetcher, writer: _Writer, now: datetime,
                       parsers: _Parsers) -> FeedOutcome:
    try:
        fetched = await fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified,
                                      allow_private=job.added_by != "public")
        parsed: ParsedFeed | None = None
        entries: list[PreparedEntry] = []
        error = ""
        if fetched.status == "ok":
            parsed, entries, error = await parsers.run(fetched, now)
            fetched.content = b""  # the bytes are done with; don't hold 10 MB per source until the write
        return await writer.record(job, fetched, parsed, entries, error)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.exception("refreshing %s failed", job.url)
        return FeedOutcome(job.url, "error", error=f"internal error: {type(exc).__name__}: {exc}"[:500])


async def _keep_lease(holder: str, db_url: str | None) -> None:
    while True:
        await asyncio.sleep(LEASE_TTL_SECONDS / 3)
        await asyncio.to_thread(leases.try_acquire, leases.REFRESH_LEASE, holder,
                                ttl_seconds=LEASE_TTL_SECONDS, db_url=db_url)


async def acquire_refresh_lease(holder: str, *, db_url: str | None = None, wait_seconds: float = 0.0) -> bool:
    deadline = time.monotonic() + wait_seconds
    while True:
        if await asyncio.to_thread(leases.try_acquire, leases.REFRESH_LEASE, holder,
                                   ttl_seconds=LEASE_TTL_SECONDS, db_url=db_url):
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(min(1.0, max(0.05, deadline - time.monotonic())))


async def refresh_sources(*, url: str | None = None, all_sources: bool = False, now: datetime | None = None,
                          db_url: str | None = None, fetcher: Fetcher | None = None, use_lease: bool = True,
                          lease_wait_seconds: float = 0.0, due_slack_seconds: int = 0,
                          rng: random.Random | None = None) -> RefreshReport:
    """Refresh the due sources (`all_sources`: every live one; `url`: just that one) and report per feed.

    With `use_lease` (the default) the refresh first takes the database lease, waiting up to
    `lease_wait_seconds`; when another process holds it nothing is done and `report.skipped` says why.
    `now` is the clock for scheduling and dates (default: the real time).
    """
    started = time.monotonic()
    settings = get_settings()
    now = to_stored(now or utcnow())
    rng = rng or random.Random()
    base = schedule.base_interval(settings.refresh_seconds)
    holder = leases.new_holder_id()
    if use_lease and not await acquire_refresh_lease(holder, db_url=db_url, wait_seconds=lease_wait_seconds):
        held = await asyncio.to_thread(leases.current_holder, leases.REFRESH_LEASE, db_url=db_url)
        who = f" ({held[0]} until {held[1]:%H:%M:%S} UTC)" if held else ""
        return RefreshReport(skipped=f"another process is refreshing{who}")
    keeper = asyncio.create_task(_keep_lease(holder, db_url)) if use_lease else None
    own_fetcher = fetcher is None
    if fetcher is None:
        fetcher = Fetcher(concurrency=settings.fetch_concurrency, per_host=settings.fetch_per_host,
                          max_body_bytes=settings.max_body_bytes)
    writer = _Writer(db_url, now=now, base=base, rng=rng)
    try:
        jobs = await asyncio.to_thread(_select_jobs, db_url, url=url, all_sources=all_sources, now=now,
                                       due_slack=due_slack_seconds)
        catalog = await asyncio.to_thread(load_tool_catalog, db_url) if jobs else ToolCatalog.empty()
        cpus = os.cpu_count() or 1
        parsers = _Parsers(catalog, processes=min(cpus, 4) if len(jobs) >= PROCESS_POOL_MIN_SOURCES else 1)
        try:
            outcomes = await asyncio.gather(*(
                _refresh_one(job, fetcher=fetcher, writer=writer, now=now, parsers=parsers) for job in jobs))
            await writer.flush()
        finally:
            parsers.close()
        await after_refresh(db_url, since=now)
        report = RefreshReport(feeds=list(outcomes))
    finally:
        await writer.close()
        if own_fetcher:
            await fetcher.aclose()
        if keeper is not None:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            await asyncio.to_thread(leases.release, leases.REFRESH_LEASE, holder, db_url=db_url)
    report.seconds = time.monotonic() - started
    if report.new or report.updated:
        log.info("refresh: %d feeds, %d new, %d updated in %.1f s", len(report.feeds), report.new,
                 report.updated, report.seconds)
    return report
