"""A request to stop a refresh between sources: what SIGTERM (the CLI) or the app's shutdown (the loop) sets.

A refresh never stops in the middle of a source: a source that has started (its request has its slot in
the fetcher) is fetched, parsed and stored in its one transaction, with its status; a source that has not
started is left untouched for the next refresh. So after a stop every source is either fully stored or as
it was, and the refresh then releases its lease at once (see `refresh.refresh_sources`).

The flag lives on the event loop that runs the refresh: it is set from that loop (a signal handler added
with `loop.add_signal_handler`, or the lifespan's exit), never from another thread.
"""

from __future__ import annotations

import asyncio
import contextlib


class StopRequest:
    """Set once, read between sources; `sleep` lets a loop wait for its next round and still stop at once."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def request(self) -> None:
        self._event.set()

    def may_start(self) -> bool:
        """Whether a source that has not started yet may start (the fetcher asks once it has a slot)."""
        return not self._event.is_set()

    async def sleep(self, seconds: float) -> bool:
        """Wait `seconds`, or less if a stop is requested meanwhile; True when it was."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()
        return self.requested
