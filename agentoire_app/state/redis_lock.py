"""A tab's Redis state lock that a cancelled event always gives back.

With Redis, Reflex (0.10.1) serialises a tab's events with a lock per tab: `SET key id NX PX 10000` to take
it, `GETDEL` to give it back (`StateManagerRedis._lock`). Reflex cancels events on its own: a navigation
cancels the unfinished on-load chain of the page before it, a reconnect cancels the page load it replaces.
When the cancellation lands while the `SET` is on its way (the lock is taken in Redis, but the coroutine
that took it is gone before it learns so) or while the `GETDEL` is (a second cancellation during the
release), nobody releases the lock, and every later event of that tab waits until it expires: ten
seconds without an answer. Under load (a reader who navigates again before the last page finished loading)
this happened to about 1 event in 5,000, and to 1 in 300 cancellations in a plain loop.

The fix keeps Reflex's lock and only changes who finishes its two round trips: taking and releasing run
in tasks of their own, shielded from the caller's cancellation. A caller cancelled while waiting leaves
at once; if the lock is taken afterwards, it is released straight away. A release that is cancelled
completes anyway. Installed once per process by the app (`make_redis_locks_cancel_safe`);
`tests/test_redis_state_lock.py` shows the unpatched lock leaking and this one not, on a real Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from reflex.istate.manager.redis import StateManagerRedis

LockFactory = Callable[..., contextlib.AbstractAsyncContextManager[bytes]]
# Reflex's own lock, kept for the patched one to wrap (and for the test that shows its leak).
REFLEX_LOCK: LockFactory = StateManagerRedis._lock
# Finishing rounds whose caller was cancelled: held here so the loop does not drop them half way.
_finishing: set[asyncio.Task[Any]] = set()


def _finish_in_background(awaitable: asyncio.Future[Any], then: Callable[[], Any] | None = None) -> None:
    async def finish() -> None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await awaitable
            if then is not None:
                await then()

    task = asyncio.get_running_loop().create_task(finish(), name="agentoire_release_state_lock")
    _finishing.add(task)
    task.add_done_callback(_finishing.discard)


@contextlib.asynccontextmanager
async def cancel_safe_lock(manager: StateManagerRedis, token: Any, event_name: str | None = None,
                           *, lock: LockFactory = REFLEX_LOCK) -> AsyncIterator[bytes]:
    """`lock(manager, token, event_name)`, with its taking and its release run to the end whatever
    happens to the caller."""
    held = lock(manager, token, event_name=event_name)
    taking = asyncio.ensure_future(held.__aenter__())
    try:
        lock_id = await asyncio.shield(taking)
    except asyncio.CancelledError:
        # Stop waiting now; if the lock is ours after all (now or later), give it back at once.
        _finish_in_background(taking, lambda: held.__aexit__(None, None, None))
        raise
    outcome: tuple[Any, Any, Any] = (None, None, None)
    try:
        yield lock_id
    except BaseException as exc:
        outcome = (type(exc), exc, exc.__traceback__)
        raise
    finally:
        releasing = asyncio.ensure_future(held.__aexit__(*outcome))
        try:
            await asyncio.shield(releasing)
        except asyncio.CancelledError:
            _finish_in_background(releasing)
            raise


def make_redis_locks_cancel_safe() -> None:
    """Every Redis state manager of this process takes and releases tab locks with `cancel_safe_lock`."""
    if StateManagerRedis._lock is REFLEX_LOCK:
        def patched(self: StateManagerRedis, token: Any, event_name: str | None = None
                    ) -> contextlib.AbstractAsyncContextManager[bytes]:
            return cancel_safe_lock(self, token, event_name)

        StateManagerRedis._lock = patched  # type: ignore[method-assign,assignment]
