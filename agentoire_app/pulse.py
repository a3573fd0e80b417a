"""Push, not poll: one signal per event that open pages should learn of, and one read per signal per worker.

Publishers (a news round that stored something, a moderator's approval, `agentoire refresh --once`) call
`announce` after their commit. With `REDIS_URL` set the signal is one message on the pub/sub channel of
its Redis database (`channel`), so every app worker hears it whichever process published (a cron job
included); without Redis it wakes the listener of its own process, and a listener also checks a cheap
revision itself (`state/push.py`), so a refresh run from cron without Redis still reaches the pages, one
query per worker per check.

A worker's listener turns a signal into one broadcast to the websockets it holds; each tab then asks for
its new numbers and lists. `shared_read` lets every tab of the worker reuse one read per signal (keyed by
the listener's generation), so the database sees O(1) queries per refresh however many tabs are open,
where each tab used to run its own every ten seconds. Without a listener (tests, the CLI) it reads afresh.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import redis

log = logging.getLogger("agentoire.pulse")

CHANNEL_PREFIX = "agentoire:pulse"
# A shared read is reused for this long at most, even when no signal came: data can change without one
# (a source removed by hand), and a tab should never see older numbers than the old ten-second poll showed.
SHARED_TTL_SECONDS = 10.0
PUBLISH_TIMEOUT_SECONDS = 2.0

T = TypeVar("T")


@dataclass
class _Pulse:
    """The process's listener bookkeeping (one per process: every tab of a worker shares it)."""

    generation: int = 0
    listening: bool = False
    # Set by an in-process `announce` that Redis did not carry; a thread-safe flag because publishers run
    # in worker threads and in the CLI.
    woken: threading.Event = field(default_factory=threading.Event)
    reads: dict[Hashable, tuple[int, float, asyncio.Task[Any]]] = field(default_factory=dict)


_PULSE = _Pulse()


def channel(redis_url: str) -> str:
    """The pub/sub channel of the site whose state lives in this Redis database. Pub/sub ignores database
    numbers, so two sites sharing one Redis server on different databases would otherwise wake each other's
    pages (and count each other's signals)."""
    return f"{CHANNEL_PREFIX}:{redis.connection.parse_url(redis_url).get('db', 0)}"


def announce(kind: str, *, redis_url: str | None) -> bool:
    """Tell every open page that `kind` ("news", "tools") changed; True when Redis carried the signal.

    Call it after the commit. It never raises: a lost signal costs a page its update until the listener's
    own revision check or the reader's next visit, never the publisher's work.
    """
    if redis_url:
        try:
            client = redis.Redis.from_url(redis_url, socket_timeout=PUBLISH_TIMEOUT_SECONDS,
                                          socket_connect_timeout=PUBLISH_TIMEOUT_SECONDS)
            with client:
                client.publish(channel(redis_url), kind)
            return True
        except (redis.RedisError, OSError) as exc:
            log.warning("pulse: could not publish %r to Redis (%s); this process's pages only", kind, exc)
    _PULSE.woken.set()
    return False


def take_local_wake() -> bool:
    """Whether an in-process `announce` happened since the last call (the listener's tick asks)."""
    if _PULSE.woken.is_set():
        _PULSE.woken.clear()
        return True
    return False


def set_listening(listening: bool) -> None:
    """The listener says it runs (tabs may stop polling and share reads) or stopped.

    A wake left from before the listener ran is dropped: every page it could concern loaded after it.
    """
    _PULSE.listening = listening
    _PULSE.reads.clear()
    _PULSE.woken.clear()


def listening() -> bool:
    return _PULSE.listening


def next_generation() -> int:
    """A signal arrived: reads made before it are stale for every tab."""
    _PULSE.generation += 1
    _PULSE.reads.clear()
    return _PULSE.generation


async def shared_read(key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
    """`await read()`, made once per signal for every tab of this worker that asks with the same `key`.

    Tabs woken by one broadcast ask at once: the first starts the read and the others await the same task,
    so a thousand tabs cost one query. Without a running listener every call reads afresh.
    """
    if not _PULSE.listening:
        return await read()
    now = time.monotonic()
    hit = _PULSE.reads.get(key)
    if hit is not None:
        generation, started, task = hit
        if generation == _PULSE.generation and now - started < SHARED_TTL_SECONDS and not (
                task.done() and (task.cancelled() or task.exception() is not None)):
            return await asyncio.shield(task)
    task = asyncio.ensure_future(read())
    _PULSE.reads[key] = (_PULSE.generation, now, task)
    return await asyncio.shield(task)
