"""Which sources a refresh takes: the due ones, every live one, or one by URL, as plain jobs.

A job is a snapshot of what the fetch needs (URL and validators), read in one query before any network
work, so no database session stays open while a refresh waits on the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from ..db import session_scope
from ..models import Source


class UnknownSource(LookupError):
    """`refresh_sources(url=...)` for a URL that is not a source."""


@dataclass(frozen=True)
class SourceJob:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    added_by: str
    error_count: int
    interval: int | None
    has_title: bool


def select_jobs(db_url: str | None, *, url: str | None, all_sources: bool, now: datetime,
                due_slack: int) -> list[SourceJob]:
    """Live sources due by `now + due_slack` (`all_sources`: every live one; `url`: that one, even retired),
    longest overdue first."""
    with session_scope(db_url) as session:
        query = select(Source).where(col(Source.retired).is_(False))
        if url is not None:
            query = select(Source).where(Source.url == url)
        elif not all_sources:
            query = query.where(col(Source.next_fetch_at) <= now + timedelta(seconds=due_slack))
        sources = session.exec(query.order_by(col(Source.next_fetch_at), col(Source.id))).all()
        if url is not None and not sources:
            raise UnknownSource(f"no source with URL {url}")
        return [SourceJob(s.id or 0, s.url, s.etag, s.last_modified, s.added_by, s.error_count,
                          s.interval_seconds, bool(s.title)) for s in sources]
