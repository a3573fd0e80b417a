"""One refresh: due sources fetched concurrently, each one's results committed in its own transaction.

`refresh_sources` is what the CLI (`agentoire refresh --once`) and the app's loop call; it reads top to
bottom as the refresh does: take the lease, pick the due sources (`due`), load the tool catalog
(`catalog_cache`), then for each source fetch (`fetch`), parse and prepare (`parse_pool`: a thread, or
worker processes for a big refresh) and hand the result to the one writer thread (`writer`), which applies
the source's rules (`source_rules`). The event loop only waits on the network, so the app stays responsive
while a refresh runs. Every stage failure becomes that source's error; no source can stop the others. The
clock is an argument (`now`), never patched. A `stop` request (`stop.StopRequest`) ends the refresh between
sources: those under way are stored, the rest are left untouched, and the lease is released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from ..models import to_stored, utcnow
from ..settings import get_settings
from . import lease as leases
from . import schedule
from .catalog_cache import CatalogCache, process_catalogs
from .due import SourceJob, UnknownSource, select_jobs
from .fetch import Fetcher, NotStarted
from .parse import ParsedFeed
from .parse_pool import Parsers
from .prepare import PreparedFeed, ToolCatalog
from .report import FeedOutcome, RefreshReport
from .source_rules import ERROR_CHARS
from .stop import StopRequest
from .store import DEFAULT_RETENTION, RetentionRule
from .writer import Writer

__all__ = ["FeedOutcome", "RefreshReport", "StopRequest", "UnknownSource", "refresh_sources"]

log = logging.getLogger("agentoire.ingest")

PROCESS_POOL_MIN_SOURCES = 40  # below this, starting worker processes costs more than it saves

# A step that works on what a refresh stored (stories, candidates): called in a worker thread, still under
# the refresh's lease, with the database URL, the refresh's clock and its report. Ingest knows nothing of
# what the steps do; the caller that wants them (`desk.rounds`) passes them in.
AfterStore = Callable[[str | None, datetime, RefreshReport], object]


async def _refresh_one(job: SourceJob, *, fetcher: Fetcher, writer: Writer, now: datetime,
                       parsers: Parsers, stop: StopRequest) -> FeedOutcome | None:
    """This source's outcome, stored; None when a stop came before it started (it is left untouched)."""
    try:
        fetched = await fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified,
                                      allow_private=job.added_by != "public", may_start=stop.may_start)
        parsed: ParsedFeed | None = None
        batch = PreparedFeed([])
        error = ""
        if fetched.status == "ok":
            parsed, batch, error = await parsers.run(fetched, now)
            fetched.content = b""  # the bytes are done with; don't hold 10 MB per source until the write
        return await writer.record(job, fetched, parsed, batch, error)
    except NotStarted:
        return None
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.exception("refreshing %s failed", job.url)
        return FeedOutcome(job.url, "error", error=f"internal error: {type(exc).__name__}: {exc}"[:ERROR_CHARS])


async def refresh_sources(*, url: str | None = None, all_sources: bool = False, now: datetime | None = None,
                          db_url: str | None = None, fetcher: Fetcher | None = None, use_lease: bool = True,
                          lease_wait_seconds: float = 0.0, due_slack_seconds: int = 0,
                          rng: random.Random | None = None, retention: RetentionRule = DEFAULT_RETENTION,
                          catalogs: CatalogCache = process_catalogs,
                          after_store: Sequence[AfterStore] = (), stop: StopRequest | None = None) -> RefreshReport:
    """Refresh the due sources (`all_sources`: every live one; `url`: just that one) and report per feed.

    With `use_lease` (the default) the refresh first takes the database lease, waiting up to
    `lease_wait_seconds`; when another process holds it nothing is done and `report.skipped` says why.
    `now` is the clock for scheduling and dates (default: the real time). `retention` bounds each source's
    stored articles after its store (see `store.RetentionRule`); `catalogs` keeps the tool catalog between
    refreshes (default: the process's). `after_store` steps run in order once every store is done, while the
    lease is still held, so two processes never run them on the same articles at once.

    `stop`, once requested, lets no further source start: the sources under way finish and are stored,
    the others are counted in `report.left`, `report.stopped` is set, the `after_store` steps still run
    (each decides what a stopped round needs, see `desk.rounds`) and the lease is released. A wait for
    the lease gives up as soon as the stop is requested.
    """
    started = time.monotonic()
    settings = get_settings()
    now = to_stored(now or utcnow())
    rng = rng or random.Random()
    base = schedule.base_interval(settings.refresh_seconds)
    stop = stop or StopRequest()
    holder = leases.new_holder_id()
    if use_lease and not await leases.acquire_refresh_lease(holder, db_url=db_url, wait_seconds=lease_wait_seconds,
                                                            stop=stop):
        held = await asyncio.to_thread(leases.current_holder, leases.REFRESH_LEASE, db_url=db_url)
        return RefreshReport(skipped=leases.lease_refusal(held, utcnow()), stopped=stop.requested)
    keeper = asyncio.create_task(leases.keep_refresh_lease(holder, db_url)) if use_lease else None
    own_fetcher = fetcher is None
    if fetcher is None:
        fetcher = Fetcher(concurrency=settings.fetch_concurrency, per_host=settings.fetch_per_host,
                          max_body_bytes=settings.max_body_bytes)
    writer = Writer(db_url, now=now, base=base, rng=rng, retention=retention)
    try:
        jobs = await asyncio.to_thread(select_jobs, db_url, url=url, all_sources=all_sources, now=now,
                                       due_slack=due_slack_seconds)
        catalog = await asyncio.to_thread(catalogs.load, db_url) if jobs else ToolCatalog.empty()
        cpus = os.cpu_count() or 1
        parsers = Parsers(catalog, processes=min(cpus, 4) if len(jobs) >= PROCESS_POOL_MIN_SOURCES else 1)
        try:
            outcomes = await asyncio.gather(*(
                _refresh_one(job, fetcher=fetcher, writer=writer, now=now, parsers=parsers, stop=stop)
                for job in jobs))
            await writer.flush()
        finally:
            parsers.close()
        done = [outcome for outcome in outcomes if outcome is not None]
        report = RefreshReport(feeds=done, stopped=stop.requested, left=len(outcomes) - len(done))
        for step in after_store:
            await asyncio.to_thread(step, db_url, now, report)
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
    if report.stopped:
        log.info("refresh: stopped between sources; %d stored, %d left for the next refresh", len(report.feeds),
                 report.left)
    elif report.new or report.updated:
        log.info("refresh: %d feeds, %d new, %d updated in %.1f s", len(report.feeds), report.new,
                 report.updated, report.seconds)
    return report
