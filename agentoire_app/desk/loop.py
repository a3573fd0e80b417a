"""The background refresh inside the app: a Reflex lifespan task.

Every `AGENTOIRE_REFRESH_SECONDS` (±10 % jitter, so several app workers do not wake together) it runs a
news round (`rounds.news_round`: the refresh, then stories and candidates), which first takes the lease in
the database: with up to five Granian workers, each running this task, only one refreshes at a time and
the others skip that round. The first round starts a few seconds after start-up (or after one period, if
that is shorter). Blocking work runs in threads (see `ingest.refresh`); any error is logged and the loop
goes on.

Stopping (the worker shuts down on SIGTERM): the loop is registered as an async context manager
(`refresh_in_background`), because Reflex waits for a context manager's exit but gives a plain lifespan
task only 5 s after cancelling it. The exit requests a stop: a round under way stops between sources
(`ingest.stop`), stores what it had started, releases the lease and returns; the loop then ends. Only if
that takes more than `STOP_WAIT_SECONDS` (a source stalled mid-fetch) is the round cancelled: even then
each source's store is one transaction, so nothing is half-written, and the lease is released on the way
out. The tool checks after each refresh obey the same stop, between tools (`checks.run`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator

from ..ingest.stop import StopRequest
from ..settings import get_settings
from .rounds import news_round
from .tool_checks import check_tools_in_loop

log = logging.getLogger("agentoire.desk")

FIRST_DELAY_SECONDS = (5.0, 20.0)
JITTER = 0.1
CHECKS_SHARE = 0.5  # of the period: what a round of tool checks may take before it stops between tools
STOP_WAIT_SECONDS = 10.0  # for a round under way to reach a source boundary once the app stops


def _period_with_jitter(period: int, rng: random.Random) -> float:
    return period * rng.uniform(1 - JITTER, 1 + JITTER)


async def refresh_loop(stop: StopRequest) -> None:
    """Refresh due sources until `stop` is requested, one process at a time; returns at once when the
    period is 0."""
    try:
        period = get_settings().refresh_seconds
    except Exception:
        log.exception("refresh loop: bad settings, background refresh off")
        return
    if period <= 0:
        log.info("refresh loop: AGENTOIRE_REFRESH_SECONDS=0, background refresh off")
        return
    rng = random.Random()
    # A short period (a test, a busy desk) starts within one period rather than after the usual settling.
    delay = min(rng.uniform(*FIRST_DELAY_SECONDS), _period_with_jitter(period, rng))
    try:
        while not await stop.sleep(delay):
            delay = _period_with_jitter(period, rng)
            try:
                # Sources fall due on the loop's own rhythm; the slack takes in those due before the next wake.
                report = await news_round(due_slack_seconds=int(period * JITTER * 2), stop=stop)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("refresh loop: this round failed; trying again in %.0f s", delay)
                continue
            if report.stopped:
                log.info("refresh loop: stopped between sources, %d stored, %d left", len(report.feeds),
                         report.left)
                break
            # The tool checks ride the same rhythm (each tool falls due daily) with half of it at most,
            # and stop between tools.
            await check_tools_in_loop(stop, within=period * CHECKS_SHARE)
            if report.skipped:
                log.debug("refresh loop: %s", report.skipped)
            else:
                errors = sum(1 for f in report.feeds if f.status == "error")
                log.info("refresh loop: %d feeds, %d new, %d updated, %d errors in %.1f s",
                         len(report.feeds), report.new, report.updated, errors, report.seconds)
    except asyncio.CancelledError:
        log.info("refresh loop: cancelled")
        return
    log.info("refresh loop: stopped")


async def stop_loop(task: asyncio.Task[None], stop: StopRequest, *, within: float = STOP_WAIT_SECONDS) -> float:
    """Request the stop, wait up to `within` seconds for the loop to end, then cancel it; seconds taken."""
    started = time.monotonic()
    stop.request()
    await asyncio.wait({task}, timeout=within)
    if not task.done():
        log.warning("refresh loop: no source boundary within %.0f s; cancelling the round", within)
        task.cancel()
        # The cancelled round releases its lease on the way out (a thread or two): bounded as well.
        await asyncio.wait({task}, timeout=within)
    return time.monotonic() - started


@contextlib.asynccontextmanager
async def refresh_in_background() -> AsyncIterator[None]:
    """The lifespan of the refresh loop: started with the worker, stopped between sources with it."""
    stop = StopRequest()
    task = asyncio.create_task(refresh_loop(stop), name="agentoire-refresh-loop")
    try:
        yield
    finally:
        seconds = await stop_loop(task, stop)
        log.info("refresh loop: shut down in %.1f s", seconds)
