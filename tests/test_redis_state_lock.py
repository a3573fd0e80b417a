"""A tab's Redis state lock is given back whenever the event holding or taking it is cancelled.

Reflex cancels events itself (a navigation cancels the last page's unfinished on-load chain). Its lock
(`StateManagerRedis._lock`: `SET NX PX` to take, `GETDEL` to give back) leaks when the cancellation lands
during one of those round trips, and the tab's next event then waits for the lock to expire (10 s). These
tests open that window on purpose, on the real Redis: a client whose replies come late. Reflex's own lock
leaks in it (the control: should a Reflex upgrade fix it, that test fails and the patch can go), and the
lock the app installs (`state/redis_lock.py`) does not.
"""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

from agentoire_app.state.redis_lock import (
    REFLEX_LOCK,
    LockFactory,
    cancel_safe_lock,
    make_redis_locks_cancel_safe,
)

WINDOW = 0.2  # how late the slow replies come: the time a cancellation has to land in


class LateReplies:
    """The test Redis, with SET answered `WINDOW` after Redis has done it (the reply on its way back) and
    GETDEL sent `WINDOW` late (queued behind other commands on a busy connection)."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def set(self, *args: Any, **kwargs: Any) -> Any:
        done = await self._redis.set(*args, **kwargs)
        await asyncio.sleep(WINDOW)
        return done

    async def getdel(self, key: bytes) -> Any:
        await asyncio.sleep(WINDOW)
        return await self._redis.getdel(key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._redis, name)


def with_manager(redis_url: str, scenario: Callable[[StateManagerRedis], Awaitable[Any]]) -> Any:
    """`scenario(manager)` in a fresh event loop, on a state manager over the late-replying test Redis."""
    async def run() -> Any:
        redis = Redis.from_url(redis_url)
        manager = StateManagerRedis(redis=LateReplies(redis), lock_expiration=10_000,  # type: ignore[arg-type]
                                    lock_warning_threshold=1_000, token_expiration=60)
        try:
            return await scenario(manager)
        finally:
            await redis.aclose()
    return asyncio.run(run())


def reflex_lock(manager: StateManagerRedis, token: Any) -> Any:
    return REFLEX_LOCK(manager, token, event_name="test")


def safe_lock(manager: StateManagerRedis, token: Any) -> Any:
    return cancel_safe_lock(manager, token, "test")


async def cancelled_while_taking(manager: StateManagerRedis, lock: Callable[..., Any]) -> bytes:
    token = BaseStateToken(ident=str(uuid.uuid4()), cls=State)

    async def event() -> None:
        async with lock(manager, token):
            pass

    task = asyncio.create_task(event())
    await asyncio.sleep(WINDOW / 2)  # the SET has landed; its answer has not
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    return manager._lock_key(token)


async def cancelled_while_releasing(manager: StateManagerRedis, lock: Callable[..., Any]) -> bytes:
    token = BaseStateToken(ident=str(uuid.uuid4()), cls=State)
    entered = asyncio.Event()

    async def event() -> None:
        async with lock(manager, token):
            entered.set()
            await asyncio.sleep(3600)

    task = asyncio.create_task(event())
    await entered.wait()
    task.cancel()  # the event is cancelled (as a superseded on-load is) and starts giving the lock back...
    await asyncio.sleep(WINDOW / 2)
    task.cancel()  # ...and is cancelled again before the GETDEL went out
    with pytest.raises(asyncio.CancelledError):
        await task
    return manager._lock_key(token)


async def held_after(manager: StateManagerRedis, key: bytes, seconds: float) -> bool:
    await asyncio.sleep(seconds)
    return bool(await manager.redis.exists(key))


@pytest.mark.parametrize("cancelled", [cancelled_while_taking, cancelled_while_releasing])
def test_reflex_own_lock_stays_held_after_such_a_cancellation(
        redis_url: str, cancelled: Callable[..., Awaitable[bytes]]) -> None:
    async def scenario(manager: StateManagerRedis) -> tuple[bool, int]:
        key = await cancelled(manager, reflex_lock)
        return await held_after(manager, key, 2 * WINDOW), await manager.redis.pttl(key)

    held, ttl = with_manager(redis_url, scenario)
    assert held, "Reflex gives its lock back now: drop state/redis_lock.py"
    assert ttl > 5_000  # and it would stay taken for the rest of its 10 s


@pytest.mark.parametrize("cancelled", [cancelled_while_taking, cancelled_while_releasing])
def test_the_apps_lock_is_given_back_after_such_a_cancellation(
        redis_url: str, cancelled: Callable[..., Awaitable[bytes]]) -> None:
    async def scenario(manager: StateManagerRedis) -> bool:
        return await held_after(manager, await cancelled(manager, safe_lock), 2 * WINDOW)

    assert not with_manager(redis_url, scenario)


def test_the_apps_lock_still_lets_one_event_of_a_tab_in_at_a_time(redis_url: str) -> None:
    with_manager(redis_url, one_at_a_time)


async def one_at_a_time(manager: StateManagerRedis) -> None:
    token = BaseStateToken(ident=str(uuid.uuid4()), cls=State)
    inside: list[str] = []
    overlaps: list[bool] = []

    async def event(name: str) -> None:
        async with safe_lock(manager, token):
            overlaps.append(bool(inside))
            inside.append(name)
            await asyncio.sleep(0.05)
            inside.remove(name)

    await asyncio.gather(*(event(f"e{i}") for i in range(4)))
    assert overlaps == [False] * 4
    assert not await manager.redis.exists(manager._lock_key(token))


def test_a_waiter_cancelled_before_its_turn_leaves_at_once_and_takes_nothing(redis_url: str) -> None:
    with_manager(redis_url, waiter_cancelled_before_its_turn)


async def waiter_cancelled_before_its_turn(manager: StateManagerRedis) -> None:
    token = BaseStateToken(ident=str(uuid.uuid4()), cls=State)
    release = asyncio.Event()

    async def holder() -> None:
        async with safe_lock(manager, token):
            await release.wait()

    async def waiter() -> None:
        async with safe_lock(manager, token):
            pytest.fail("a cancelled waiter ran its event")

    first = asyncio.create_task(holder())
    await asyncio.sleep(2 * WINDOW)
    second = asyncio.create_task(waiter())
    await asyncio.sleep(WINDOW)
    second.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(second, 1.0)  # at once, not when the holder is done
    release.set()
    await first
    assert not await held_after(manager, manager._lock_key(token), 3 * WINDOW)


def test_the_app_installs_it_once_for_every_redis_state_manager() -> None:
    importlib.import_module("agentoire_app.agentoire_app")  # what every worker imports
    installed: LockFactory = StateManagerRedis._lock
    make_redis_locks_cancel_safe()
    assert StateManagerRedis._lock is installed is not REFLEX_LOCK
