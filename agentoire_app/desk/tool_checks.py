"""The tool checks as the desk runs them: one round under the refresh lease, for the loop and the CLI.

The lease keeps refresh and checks in one process at a time, so database writers never contend; the hourly
GitHub budget lives as long as the process, so successive rounds share it. What a round reads and stores is
`checks.run`; this module only decides when and under what lease it runs, like `rounds` for the news.
The refresh's stop request reaches the checks too: a round stops between tools and releases the lease.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ..checks.client import HourlyBudget
from ..checks.run import RoundReport, check_round, github_budget
from ..ingest import lease as leases
from ..ingest.stop import StopRequest
from ..models import utcnow
from ..settings import CheckApis, get_settings

log = logging.getLogger("agentoire.checks")

LEASE_TTL_SECONDS = 900  # a round is bounded by its limit; the lease outlives it

_process_budget: HourlyBudget | None = None


async def check_tools_under_lease(*, db_url: str | None = None, apis: CheckApis | None = None,
                                  progress: Any = None, stop: StopRequest | None = None) -> RoundReport:
    """The loop's (and `agentoire tools check`'s) one call: a round under the refresh lease.

    The lease keeps refresh and checks in one process at a time, so database writers never contend; the
    hourly budget lives as long as the process, so successive rounds share it. `stop` ends the round
    between tools (see `checks.run.check_round`).
    """
    global _process_budget
    apis = apis or get_settings().check_apis
    if _process_budget is None:
        _process_budget = github_budget(apis, clock=utcnow)
    holder = leases.new_holder_id()
    if not await asyncio.to_thread(leases.try_acquire, leases.REFRESH_LEASE, holder,
                                   ttl_seconds=LEASE_TTL_SECONDS, db_url=db_url):
        return RoundReport(skipped="another process holds the refresh lease")
    try:
        return await check_round(apis=apis, db_url=db_url, clock=utcnow, budget=_process_budget,
                                 progress=progress, stop=stop)
    finally:
        await asyncio.to_thread(leases.release, leases.REFRESH_LEASE, holder, db_url=db_url)


async def check_tools_in_loop(stop: StopRequest, *, within: float) -> None:
    """The refresh loop's one call after each refresh: a round of whatever checks are due, never raising.

    Each tool falls due once a day, so most rounds read little; but a first round over a large catalog (or
    hosts that answer slowly) could hold the refresh lease for many periods and starve the news. So a round
    stops between tools once it has had `within` seconds (the loop gives it half its period), and the rest
    stay due for the next round. The loop's `stop` ends it at once too, so shutdown never waits on checks.
    Errors are logged and the loop goes on.
    """
    this_round = StopRequest()

    async def end_this_round() -> None:
        await stop.sleep(within)  # the share is spent, or the loop is stopping
        this_round.request()

    timer = asyncio.create_task(end_this_round())
    try:
        report = await check_tools_under_lease(stop=this_round)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("tool checks: this round failed")
        return
    finally:
        timer.cancel()
    if report.stopped:
        log.info("tool checks: stopped between tools (%s), %d left for the next round",
                 "the app is stopping" if stop.requested else f"this round's {within:.0f} s are spent", report.left)
    elif report.checked or report.failed:
        log.info("tool checks: %s", report.to_json())
