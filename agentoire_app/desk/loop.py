"""The background refresh inside the app: a Reflex lifespan task.

Every `AGENTOIRE_REFRESH_SECONDS` (±10 % jitter, so several app workers do not wake together) it runs a
news round (`rounds.news_round`: the refresh, then stories and candidates), which first takes the lease in
the database: with up to five Granian workers, each
running this task, only one refreshes at a time and the others skip that round. The first round starts a
few seconds after start-up. Blocking work runs in threads (see `ingest.refresh`); any error is logged and the
loop goes on; cancellation (app shutdown) ends it quietly.
"""

from __future__ import annotations

import asyncio
import logging
import random

from ..settings import get_settings
from .rounds import news_round
from .tool_checks import check_tools_in_loop

log = logging.getLogger("agentoire.desk")

FIRST_DELAY_SECONDS = (5.0, 20.0)
JITTER = 0.1


def _period_with_jitter(period: int, rng: random.Random) -> float:
    return period * rng.uniform(1 - JITTER, 1 + JITTER)


async def refresh_loop() -> None:
    """Refresh due sources forever, one process at a time; returns at once when the period is 0."""
    try:
        period = get_settings().refresh_seconds
    except Exception:
        log.exception("refresh loop: bad settings, background refresh off")
        return
    if period <= 0:
        log.info("refresh loop: AGENTOIRE_REFRESH_SECONDS=0, background refresh off")
        return
    rng = random.Random()
    delay = rng.uniform(*FIRST_DELAY_SECONDS)
    try:
        while True:
            await asyncio.sleep(delay)
            delay = _period_with_jitter(period, rng)
            try:
                # Sources fall due on the loop's own rhythm; the slack takes in those due before the next wake.
                report = await news_round(due_slack_seconds=int(period * JITTER * 2))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("refresh loop: this round failed; trying again in %.0f s", delay)
                continue
            await check_tools_in_loop()  # the tool checks ride the same rhythm; each tool falls due daily
            if report.skipped:
                log.debug("refresh loop: %s", report.skipped)
            else:
                errors = sum(1 for f in report.feeds if f.status == "error")
                log.info("refresh loop: %d feeds, %d new, %d updated, %d errors in %.1f s",
                         len(report.feeds), report.new, report.updated, errors, report.seconds)
    except asyncio.CancelledError:
        log.info("refresh loop: stopped")
