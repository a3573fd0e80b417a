"""One refresher at a time, and a refresher killed mid-run loses nothing (issue 3, item 6)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from feedserver import FeedServer, running_server

from agentoire_app.db import get_engine, session_scope, upgrade_schema
from agentoire_app.ingest import lease
from agentoire_app.ingest.fetch import Fetcher
from agentoire_app.ingest.refresh import RefreshReport, refresh_sources
from agentoire_app.services.sources import add_source

T0 = datetime(2026, 4, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


def test_the_lease_goes_to_one_holder_until_it_expires_or_is_released(db_url: str) -> None:
    upgrade_schema(db_url)
    assert lease.try_acquire("refresh", "a", ttl_seconds=60, db_url=db_url, now=T0)
    assert not lease.try_acquire("refresh", "b", ttl_seconds=60, db_url=db_url, now=T0 + timedelta(seconds=30))
    assert lease.try_acquire("refresh", "a", ttl_seconds=60, db_url=db_url, now=T0 + timedelta(seconds=30))
    assert lease.try_acquire("refresh", "b", ttl_seconds=60, db_url=db_url, now=T0 + timedelta(seconds=91))
    lease.release("refresh", "b", db_url=db_url)
    assert lease.try_acquire("refresh", "c", ttl_seconds=60, db_url=db_url, now=T0 + timedelta(seconds=92))


def test_two_concurrent_refreshers_one_works_the_other_skips(server: FeedServer, db_url: str) -> None:
    upgrade_schema(db_url)
    with session_scope(db_url) as session:
        for i in range(4):
            add_source(server.feed(f"/slow/{i}", "rd_full.rss", delay=0.3), session=session)

    async def one() -> RefreshReport:
        async with Fetcher() as fetcher:
            return await refresh_sources(db_url=db_url, all_sources=True, fetcher=fetcher)

    async def both() -> list[RefreshReport]:
        return list(await asyncio.gather(one(), one()))

    reports = asyncio.run(both())
    worked = [r for r in reports if not r.skipped]
    skipped = [r for r in reports if r.skipped]
    assert len(worked) == 1 and len(skipped) == 1
    assert "another process is refreshing" in skipped[0].skipped and skipped[0].feeds == []
    assert sum(f.new for f in worked[0].feeds) == 20
    assert all(len(server.hits(f"/slow/{i}")) == 1 for i in range(4))
    # the lease is given back at the end: the next refresh is not refused
    assert not asyncio.run(one()).skipped


CHILD = """
import asyncio, sys
from agentoire_app.ingest.refresh import refresh_sources
asyncio.run(refresh_sources(all_sources=True))
"""


def _states(db_url: str) -> list[tuple[str, int]]:
    with get_engine(db_url).connect() as conn:
        return [(status, n) for status, n in conn.execute(sa.text(
            "SELECT s.last_status, COUNT(a.id) FROM source s LEFT JOIN article a ON a.source_id = s.id "
            "GROUP BY s.id, s.last_status ORDER BY s.id")).all()]


@pytest.mark.slow
def test_a_refresher_killed_mid_run_loses_nothing(server: FeedServer, db_url: str) -> None:
    upgrade_schema(db_url)
    total = 24
    with session_scope(db_url) as session:
        for i in range(total):
            add_source(server.feed(f"/k/{i}", "mf_dustri_large.atom", delay=0.15), session=session)
    env = {**os.environ, "AGENTOIRE_DB_URL": db_url, "AGENTOIRE_FETCH_CONCURRENCY": "2"}
    child = subprocess.Popen([sys.executable, "-c", CHILD], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(1 for status, _ in _states(db_url) if status == "ok") >= 3:
                break
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    states = _states(db_url)
    done = [n for status, n in states if status == "ok"]
    untouched = [n for status, n in states if status == "never"]
    assert len(done) + len(untouched) == total, states  # no source half-written
    assert set(done) == {25} and set(untouched) <= {0}
    assert done and untouched, "the kill should land mid-run"

    async def finish() -> RefreshReport:
        async with Fetcher() as fetcher:  # the dead process's lease would block for minutes: skip it here
            return await refresh_sources(db_url=db_url, fetcher=fetcher, use_lease=False)

    report = asyncio.run(finish())
    assert sum(f.new for f in report.feeds) == 25 * len(untouched)
    assert _states(db_url) == [("ok", 25)] * total
