"""All database writes of one refresh, on one dedicated thread (SQLite allows one writer at a time anyway).

A source with entries is written in its own transaction: its articles, the retention prune and its new
state, all or none. Outcomes that store no article (304, errors, 410) only touch the source row and are
grouped, because an all-304 refresh of a thousand sources would otherwise spend its time committing. What
the row becomes is decided by `source_rules`; this module only applies it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlmodel import Session, col, select

from ..db import session_scope
from ..models import Source
from .due import SourceJob
from .fetch import FetchResult
from .parse import ParsedFeed
from .prepare import PreparedFeed
from .report import FeedOutcome
from .source_rules import SourceState, decide, error_line
from .store import DEFAULT_RETENTION, RetentionRule, prune_source, removed_note, store_entries

log = logging.getLogger("agentoire.ingest")

StatusUpdate = tuple[SourceJob, FetchResult, str]


def apply_outcome(source: Source, fetched: FetchResult, parsed: ParsedFeed | None, error: str, *,
                  now: datetime, base: int, rng: random.Random, session: Session, note: str = "") -> None:
    """Write `source_rules.decide`'s verdict onto `source`; the caller adds and commits.

    A permanent redirect moves the source only when no other source has the target URL yet.
    """
    update = decide(SourceState.of(source), fetched, parsed, error, now=now, base=base, rng=rng, note=note)
    if update.move_to and session.exec(select(Source.id).where(Source.url == update.move_to)).first() is None:
        source.url = update.move_to
    for name, value in update.fields.items():
        setattr(source, name, value)


def status_outcome(job: SourceJob, fetched: FetchResult, error: str) -> FeedOutcome:
    """The report line of an outcome that stored no article."""
    if error or fetched.status in ("error", "gone"):
        return FeedOutcome(job.url, "error", error=error or fetched.error)
    return FeedOutcome(job.url, "not_modified")


def record(db_url: str | None, job: SourceJob, fetched: FetchResult, parsed: ParsedFeed | None,
           batch: PreparedFeed, error: str, *, now: datetime, base: int,
           rng: random.Random, retention: RetentionRule = DEFAULT_RETENTION) -> FeedOutcome:
    """Store entries, apply retention and the source's new state in one transaction; on failure record
    only the error."""
    try:
        with session_scope(db_url) as session:
            source = session.get(Source, job.id)
            if source is None:
                return FeedOutcome(job.url, "error", error="source was deleted during the refresh")
            counts = store_entries(job.id, batch.entries, session=session, now=now) if parsed else None
            removed = prune_source(job.id, session=session, now=now, rule=retention) if counts else 0
            note = "; ".join(part for part in (batch.note, removed_note(removed, retention)) if part)
            apply_outcome(source, fetched, parsed, error, now=now, base=base, rng=rng, session=session, note=note)
            session.add(source)
    except Exception as exc:  # a storage failure is this source's error, not the refresh's
        log.exception("storing %s failed", job.url)
        message = error_line("could not store", exc)
        with session_scope(db_url) as session:
            source = session.get(Source, job.id)
            if source is not None:
                apply_outcome(source, fetched, None, message, now=now, base=base, rng=rng, session=session)
                session.add(source)
        return FeedOutcome(job.url, "error", error=message)
    if error or fetched.status != "ok":
        return status_outcome(job, fetched, error)
    # What the limits cut (and retention removed) rides in `error` of an "ok" line: the contract's shape,
    # and the same words as the source's status in `agentoire feeds list`.
    return FeedOutcome(job.url, "ok", new=counts.new if counts else 0, updated=counts.updated if counts else 0,
                       error=note)


def record_statuses(db_url: str | None, updates: list[StatusUpdate], *, now: datetime, base: int,
                    rng: random.Random) -> None:
    """Outcomes that store no article (304, errors, 410) for many sources, in one transaction."""
    with session_scope(db_url) as session:
        ids = [job.id for job, _, _ in updates]
        sources = {s.id: s for s in session.exec(select(Source).where(col(Source.id).in_(ids))).all()}
        for job, fetched, error in updates:
            source = sources.get(job.id)
            if source is not None:
                apply_outcome(source, fetched, None, error, now=now, base=base, rng=rng, session=session)
                session.add(source)


class Writer:
    """The writer thread of one refresh; source-only outcomes wait in `pending`, up to `BATCH` at a time."""

    BATCH = 200

    def __init__(self, db_url: str | None, *, now: datetime, base: int, rng: random.Random,
                 retention: RetentionRule) -> None:
        self.db_url, self.now, self.base, self.rng, self.retention = db_url, now, base, rng, retention
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agentoire-db-writer")
        self.pending: list[StatusUpdate] = []

    async def record(self, job: SourceJob, fetched: FetchResult, parsed: ParsedFeed | None,
                     batch: PreparedFeed, error: str) -> FeedOutcome:
        loop = asyncio.get_running_loop()
        if parsed is None:
            self.pending.append((job, fetched, error))
            if len(self.pending) >= self.BATCH:
                await self.flush()
            return status_outcome(job, fetched, error)
        return await loop.run_in_executor(self.executor, lambda: record(
            self.db_url, job, fetched, parsed, batch, error, now=self.now, base=self.base, rng=self.rng,
            retention=self.retention))

    async def flush(self) -> None:
        batch, self.pending = self.pending, []
        if batch:
            await asyncio.get_running_loop().run_in_executor(self.executor, self._write_statuses, batch)

    def _write_statuses(self, batch: list[StatusUpdate]) -> None:
        try:
            record_statuses(self.db_url, batch, now=self.now, base=self.base, rng=self.rng)
        except Exception:  # e.g. two sources redirected to one URL: write them one by one instead
            log.warning("batched status write failed; writing one by one", exc_info=True)
            for job, fetched, error in batch:
                record(self.db_url, job, fetched, None, PreparedFeed([]), error, now=self.now, base=self.base,
                       rng=self.rng)

    async def close(self) -> None:
        await asyncio.to_thread(self.executor.shutdown, True)
