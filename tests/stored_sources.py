"""What a stopped refresh may leave behind, read straight from the database: each source whole or untouched,
and the lease released (not merely expired or taken over)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import feedparser
import sqlalchemy as sa
from feedserver import FEEDS, FeedServer

from agentoire_app.db import get_engine
from agentoire_app.ingest import lease

RELEASED_AT = datetime(1970, 1, 1, tzinfo=UTC)  # `lease.release` sets the expiry to the epoch


def entries_in(feed_file: str) -> int:
    return len(feedparser.parse((FEEDS / feed_file).read_bytes()).entries)


def source_rows(db_url: str) -> dict[str, tuple[str, int]]:
    """Each source's URL → (last status, stored articles)."""
    with get_engine(db_url).connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT s.url, s.last_status, count(a.id) FROM source s LEFT JOIN article a ON a.source_id = s.id "
            "GROUP BY s.url, s.last_status")).all()
    return {url: (status, int(count)) for url, status, count in rows}


def whole_or_untouched(db_url: str, feed_file: str) -> tuple[int, int]:
    """(stored, untouched), asserting that a stored source has every entry and its status and an untouched
    one has neither."""
    full = entries_in(feed_file)
    stored = untouched = 0
    for url, (status, articles) in source_rows(db_url).items():
        if status == "never":
            assert articles == 0, f"{url}: articles stored without the source's status"
            untouched += 1
        else:
            assert (status, articles) == ("ok", full), f"{url}: half-written ({status}, {articles} of {full})"
            stored += 1
    return stored, untouched


def lease_holder(db_url: str) -> tuple[str, datetime] | None:
    held = lease.current_holder(lease.REFRESH_LEASE, db_url=db_url)
    return None if held is None else (held[0], held[1].replace(tzinfo=UTC))


def lease_released(db_url: str) -> bool:
    held = lease_holder(db_url)
    return held is not None and held[1] == RELEASED_AT


def wait_for_requests(server: FeedServer, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while len(server.requests) < count:
        assert time.monotonic() < deadline, f"{len(server.requests)} feed requests in {timeout:.0f} s"
        time.sleep(0.02)
