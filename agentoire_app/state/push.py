"""The worker's listener: a lifespan task that turns one signal into one push to every page it holds.

Each app worker runs one. With `REDIS_URL` it subscribes to the pulse channel of its Redis database
(`pulse.channel`), so a news round in any worker, an approval, or `agentoire refresh --once` from cron
reaches every worker's pages at once; without Redis it checks the news revision itself, one query per
worker every `LOCAL_CHECK_SECONDS` (and an in-process `announce` wakes it at the next tick). With Redis
the same check runs every `REDIS_CHECK_SECONDS` as a safety net for a publisher that was not given
`REDIS_URL`.

A signal becomes one Socket.IO broadcast to this worker's websockets only (Reflex's Socket.IO server keeps
no cross-worker manager) carrying the status bar's refresh event; each tab runs it and reads through
`pulse.shared_read`, so the database sees one read per worker per signal, not one per tab. While the
listener runs, the status bar says so and the page script stops its ten-second poll.
"""

from __future__ import annotations

import asyncio
import logging
import time

import redis
import redis.asyncio as aioredis
import reflex as rx
from reflex import constants
from reflex.event import Event
from reflex.state import StateUpdate

from .. import pulse
from ..concurrency import in_session
from ..meaning.indexes import refresh_held
from ..services.news import news_revision
from ..services.related import warm
from ..services.tools import tools_revision
from ..settings import get_settings
from .status import refresh_status

log = logging.getLogger("agentoire.push")

TICK_SECONDS = 0.25
LOCAL_CHECK_SECONDS = 1.0
REDIS_CHECK_SECONDS = 10.0
REDIS_RETRY_SECONDS = 30.0


async def broadcast_refresh(app: rx.App) -> None:
    """Every tab this worker holds runs the status bar's refresh (which reloads an open news list)."""
    namespace = app.event_namespace
    if namespace is None:
        return
    update = StateUpdate(events=Event.from_event_type(refresh_status))
    await namespace.emit(str(constants.SocketEvent.EVENT), update)


class _Revision:
    """The news and tools revisions last seen by this worker; the first look only records them. They catch
    what no signal announces: a writer without Redis in another process, or a catalog import from the CLI."""

    def __init__(self) -> None:
        self.seen: str | None = None
        self.checked_at = 0.0

    async def changed(self, every: float) -> bool:
        now = time.monotonic()
        if now - self.checked_at < every:
            return False
        self.checked_at = now
        revision = await in_session(
            lambda session: f"{news_revision(session=session)}|{tools_revision(session=session)}")
        before, self.seen = self.seen, revision
        return before is not None and before != revision


async def _subscribe(url: str) -> aioredis.client.PubSub | None:
    try:
        client = aioredis.Redis.from_url(url)
        channel = client.pubsub(ignore_subscribe_messages=True)
        await channel.subscribe(pulse.channel(url))
        return channel
    except (redis.RedisError, OSError) as exc:
        log.warning("push: cannot subscribe on Redis (%s); checking the revision every %.0f s instead",
                    exc, LOCAL_CHECK_SECONDS)
        return None


async def _heard(channel: aioredis.client.PubSub | None) -> tuple[bool, bool]:
    """(a signal arrived, the subscription still works) after at most one tick."""
    if channel is None:
        await asyncio.sleep(TICK_SECONDS)
        return False, False
    try:
        message = await channel.get_message(ignore_subscribe_messages=True, timeout=TICK_SECONDS)
    except (redis.RedisError, OSError) as exc:
        log.warning("push: Redis subscription lost (%s)", exc)
        return False, False
    heard = message is not None
    # Several signals in one burst (a round, then approvals) make one push.
    while heard and await channel.get_message(ignore_subscribe_messages=True, timeout=0) is not None:
        pass
    return heard, True


async def push_to_open_pages(app: rx.App) -> None:
    """Listen for signals and push them to this worker's pages until the app shuts down."""
    try:
        redis_url = get_settings().redis_url
    except Exception:
        log.exception("push: bad settings; pages fall back to polling")
        return
    revision = _Revision()
    channel = await _subscribe(redis_url) if redis_url else None
    retry_at = time.monotonic() + REDIS_RETRY_SECONDS
    pulse.set_listening(True)
    try:
        while True:
            heard, alive = await _heard(channel)
            if redis_url and not alive and time.monotonic() >= retry_at:
                channel, retry_at = await _subscribe(redis_url), time.monotonic() + REDIS_RETRY_SECONDS
            every = REDIS_CHECK_SECONDS if channel is not None else LOCAL_CHECK_SECONDS
            try:
                changed = await revision.changed(every)
            except Exception:
                log.exception("push: revision check failed")
                changed = False
            if heard or pulse.take_local_wake() or changed:
                pulse.next_generation()
                revision.seen = None  # the change is pushed: the next check only records the new revision
                refresh_held()  # new or edited articles and tools: the search by meaning rebuilds (in a thread)
                await broadcast_refresh(app)
    except asyncio.CancelledError:
        log.info("push: stopped")
    finally:
        pulse.set_listening(False)
        if channel is not None:
            await channel.aclose()


async def warm_search_by_meaning() -> None:
    """At start, load the embedding model and build this worker's vector indexes, off the event loop, so
    the first searches can already widen by meaning (until then they are lexical)."""
    try:
        await in_session(lambda session: warm(session=session))
    except asyncio.CancelledError:
        log.info("search by meaning: warm-up stopped")
    except Exception:
        log.exception("search by meaning: warm-up failed; search stays lexical until a search retries")
