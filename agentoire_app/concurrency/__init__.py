"""Blocking work off the event loop: the one way the app moves it to a worker thread.

The Reflex app serves every websocket of a worker from one asyncio loop, so a handler that runs a query
on the loop stalls every reader of that worker for as long as the database takes. Handlers and API
routes therefore `await in_thread(...)` (or `in_session(...)`, the same thing with a session) for any
database or file work, and keep the loop for what is quick: reading and setting state.

AnyIO's worker threads are used (not a private executor) so that Starlette's routes and Reflex's
handlers share one bounded pool (40 threads by default) rather than each growing its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread
from sqlmodel import Session

from ..db import session_scope

P = ParamSpec("P")
T = TypeVar("T")


async def in_thread(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in a worker thread; the loop serves other events until it returns."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))


def _with_session(work: Callable[[Session], T]) -> T:
    with session_scope() as session:
        return work(session)


async def in_session(work: Callable[[Session], T]) -> T:
    """`work(session)` in a worker thread, in a session that commits on success (see `session_scope`).

    The session opens and closes inside the thread: `work` should return plain data (or rows whose
    attributes are already loaded), never something that lazily queries after the session is gone.
    """
    return await in_thread(_with_session, work)
