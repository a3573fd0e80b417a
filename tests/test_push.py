"""Push, not poll: one signal per event reaches a worker's listener, which pushes once to every page it holds;
the tabs' reads after one signal are shared, so the database sees O(1) queries per refresh.

The listener runs for real (its lifespan coroutine, real Redis pub/sub, a real database); only the Reflex
app around it is a recorder of what it would broadcast to its websockets.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import directory_seed as seed
import pytest
import redis
from feedserver import FeedServer
from sqlmodel import Session

from agentoire_app import pulse
from agentoire_app.db import session_scope
from agentoire_app.services.sources import add_source
from agentoire_app.state.push import push_to_open_pages

AGENTOIRE = [str(Path(sys.executable).parent / "agentoire")]
WITHIN_SECONDS = 2.0  # the requirement: every open page learns of it within 2 s


class _Namespace:
    """What the listener would send to this worker's websockets."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []
        self.arrived = asyncio.Event()

    async def emit(self, event: str, data: Any) -> None:
        self.sent.append((event, data))
        self.arrived.set()


class _App:
    def __init__(self) -> None:
        self.event_namespace = _Namespace()


@asynccontextmanager
async def listening(app: _App) -> AsyncIterator[None]:
    task = asyncio.create_task(push_to_open_pages(app))  # type: ignore[arg-type]
    try:
        while not pulse.listening():
            await asyncio.sleep(0.01)
        await asyncio.sleep(1.5)  # the first revision check records the revision the pages already show
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _pushes_within(app: _App, seconds: float = WITHIN_SECONDS) -> list[tuple[str, Any]]:
    with suppress(TimeoutError):
        await asyncio.wait_for(app.event_namespace.arrived.wait(), seconds)
    return app.event_namespace.sent


def test_a_thousand_tabs_asking_after_one_signal_cost_one_read() -> None:
    reads: list[int] = []

    async def read() -> int:
        reads.append(1)
        await asyncio.sleep(0.01)
        return len(reads)

    async def tabs() -> tuple[list[int], list[int]]:
        pulse.set_listening(True)
        try:
            first = await asyncio.gather(*(pulse.shared_read("home", read) for _ in range(1000)))
            pulse.next_generation()
            second = await asyncio.gather(*(pulse.shared_read("home", read) for _ in range(1000)))
            return first, second
        finally:
            pulse.set_listening(False)

    first, second = asyncio.run(tabs())
    assert set(first) == {1} and set(second) == {2}
    assert len(reads) == 2


def test_without_a_listener_every_read_is_fresh() -> None:
    reads: list[int] = []

    async def read() -> int:
        reads.append(1)
        return len(reads)

    async def tabs() -> list[int]:
        return [await pulse.shared_read("home", read) for _ in range(3)]

    assert asyncio.run(tabs()) == [1, 2, 3]


def test_a_signal_on_redis_reaches_the_listener_within_two_seconds(redis_url: str, db_url: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    app = _App()
    pulse.announce("tools", redis_url=None)  # heard by no listener (none ran): must not be pushed later

    async def scenario() -> list[tuple[str, Any]]:
        async with listening(app):
            assert await asyncio.to_thread(pulse.announce, "news", redis_url=redis_url)
            return await _pushes_within(app)

    sent = asyncio.run(scenario())
    assert len(sent) == 1, "one signal, one broadcast"
    event, update = sent[0]
    assert event == "event"
    names = [e.name for e in update.events]
    assert names == ["_call_script"]
    assert "status_state.refresh" in update.events[0].payload["callback"]


def test_without_redis_a_refresh_by_another_process_is_pushed_by_the_revision_check(
        db_url: str, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = _App()
    src = seed.source(session)

    async def scenario() -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
        async with listening(app):
            quiet = list(await _pushes_within(app, 1.5))
            await asyncio.to_thread(seed.article, session, src, "Agents land on the desk")
            return quiet, await _pushes_within(app)

    quiet, sent = asyncio.run(scenario())
    assert quiet == [], "nothing changed: nothing is pushed"
    assert len(sent) == 1


def test_a_cli_refresh_with_redis_publishes_one_signal(redis_url: str, db_url: str, feeds: FeedServer) -> None:
    with session_scope(db_url) as s:
        add_source(feeds.feed("/ai.rss", "rd_full.rss"), session=s, title="Loopback AI", added_by="operator")
    channel = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    channel.subscribe(pulse.channel(redis_url))
    result = subprocess.run([*AGENTOIRE, "refresh", "--once", "--json"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "AGENTOIRE_DB_URL": db_url, "REDIS_URL": redis_url})
    assert result.returncode == 0, result.stderr
    assert '"new": 0' not in result.stdout, result.stdout
    messages = []
    deadline = time.monotonic() + WITHIN_SECONDS
    while time.monotonic() < deadline:  # an ignored subscribe confirmation also reads as None
        if (message := channel.get_message(timeout=0.1)) is not None:
            messages.append(message["data"])
    channel.close()
    assert messages == [b"news"]


def test_two_sites_on_two_databases_of_one_redis_never_hear_each_other(redis_url: str) -> None:
    """Pub/sub ignores database numbers: the channel carries the number, so a site's signal wakes its own
    pages only."""
    base = redis_url.rsplit("/", 1)[0]
    mine, theirs = f"{base}/14", f"{base}/15"  # no test worker uses these (see conftest.REDIS_URL)
    listener = redis.Redis.from_url(mine).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(pulse.channel(mine))
    assert pulse.channel(mine) != pulse.channel(theirs)
    assert pulse.announce("tools", redis_url=theirs) and pulse.announce("news", redis_url=mine)
    heard = []
    deadline = time.monotonic() + WITHIN_SECONDS
    while time.monotonic() < deadline:
        if (message := listener.get_message(timeout=0.1)) is not None:
            heard.append(message["data"])
    listener.close()
    assert heard == [b"news"]
