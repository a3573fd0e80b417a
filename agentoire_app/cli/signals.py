"""SIGTERM and SIGINT as a stop request for a round (`ingest.stop.StopRequest`), the one rule for every command
that runs one: `agentoire refresh --once` (stops between sources) and `agentoire tools check` (between tools).

The first signal asks the round to stop; the handlers are then removed, so a second signal acts as it would
without them (SIGTERM ends the process, SIGINT raises KeyboardInterrupt). A stopped command exits
`EXIT_STOPPED` (75, sysexits' EX_TEMPFAIL: cron may simply run it again).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..ingest.stop import StopRequest

EXIT_STOPPED = 75  # EX_TEMPFAIL: stopped early by a signal, the rest is for the next run
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

Report = TypeVar("Report")


async def until_signalled(round_: Callable[..., Awaitable[Report]], stop: StopRequest, **arguments: Any) -> Report:
    """`round_(stop=stop, **arguments)` with SIGTERM and SIGINT requesting the stop, once."""
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        stop.request()
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)

    for number in STOP_SIGNALS:
        loop.add_signal_handler(number, on_signal)
    try:
        return await round_(stop=stop, **arguments)
    finally:
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)
