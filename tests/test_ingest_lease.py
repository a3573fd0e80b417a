"""One refresher at a time, a refresher killed mid-run loses nothing, and its lease does not block the next."""

from __future__ import annotations

import asyncio
import json
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


def test_release_by_a_process_that_does_not_hold_the_lease_changes_nothing(db_url: str) -> None:
    upgrade_schema(db_url)
    now = lease.utcnow()
    assert lease.try_acquire("refresh", "host-a:1:aaaa", ttl_seconds=60, db_url=db_url, now=now)
    lease.release("refresh", "host-b:2:bbbb", db_url=db_url)
    assert lease.current_holder("refresh", db_url=db_url) == ("host-a:1:aaaa", now + timedelta(seconds=60))
    assert not lease.try_acquire("refresh", "host-c:3:cccc", ttl_seconds=60, db_url=db_url, now=now)


def test_a_holder_on_another_host_or_alive_here_is_never_presumed_dead(db_url: str) -> None:
    upgrade_schema(db_url)
    now = lease.utcnow()
    # no such pid here, but the holder is on another host, whose processes we cannot see
    assert lease.try_acquire("refresh", "elsewhere.example:99999999:aaaa", ttl_seconds=60, db_url=db_url, now=now)
    assert not lease.try_acquire("refresh", lease.new_holder_id(), ttl_seconds=60, db_url=db_url, now=now)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lease.release("refresh", "elsewhere.example:99999999:aaaa", db_url=db_url)
        here_and_alive = f"{lease.host_id()}:{alive.pid}:bbbb"
        assert lease.try_acquire("refresh", here_and_alive, ttl_seconds=60, db_url=db_url, now=now)
        assert not lease.try_acquire("refresh", lease.new_holder_id(), ttl_seconds=60, db_url=db_url, now=now)
    finally:
        alive.kill()
        alive.wait()
    assert lease.try_acquire("refresh", lease.new_holder_id(), ttl_seconds=60, db_url=db_url, now=now)


HOLDER = """
import sys, time
from agentoire_app.ingest import lease
holder = lease.new_holder_id()
assert lease.try_acquire(lease.REFRESH_LEASE, holder, ttl_seconds=300)
print(holder, flush=True)
time.sleep(120)
"""
AGENTOIRE_CLI = [sys.executable, "-m", "agentoire_app.cli"]


def test_after_kill_9_of_the_lease_holder_the_next_refresh_proceeds_at_once(db_url: str) -> None:
    upgrade_schema(db_url)
    env = {**os.environ, "AGENTOIRE_DB_URL": db_url}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        held_by = holder.stdout.readline().strip()
        assert f":{holder.pid}:" in held_by
        refused = subprocess.run([*AGENTOIRE_CLI, "refresh", "--once", "--json"], env=env, capture_output=True,
                                 text=True, timeout=120)
        assert refused.returncode == 1, refused
        [line] = refused.stderr.strip().splitlines()
        assert held_by in line and "expires in" in line and "--wait" in line, line
        killed_at = time.monotonic()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        done = subprocess.run([*AGENTOIRE_CLI, "refresh", "--once", "--json"], env=env, capture_output=True,
                              text=True, timeout=120)
        seconds = time.monotonic() - killed_at
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert done.returncode == 0, done
    assert json.loads(done.stdout) == {"feeds": []}
    print(f"\nkill -9 of the lease holder → a refresh that proceeded: {seconds:.2f} s (CLI start-up included)")
