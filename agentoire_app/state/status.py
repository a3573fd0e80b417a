"""The status bar's numbers: tool count and tools added since the reader's local midnight.

`refresh` runs when a page mounts, when the worker's listener pushes a signal (`state/push.py`) and, only
when push is impossible, on the page script's ten-second poll. The reads behind it are shared by every tab
of the worker that asks after one signal (`pulse.shared_read`), so a push costs the database O(1) queries.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

import reflex as rx
from reflex.event import EventType
from sqlmodel import Session

from .. import pulse
from ..concurrency import in_session
from ..services.news import news_revision
from ..services.stats import parse_day_start, status_counts
from .home import HomeState
from .news import NewsState


def _read_status(day_start: datetime | None, session: Session) -> tuple[dict[str, int], str]:
    return status_counts(session=session, day_start=day_start), news_revision(session=session)


# The reader's local midnight, so "added today" counts from the reader's day, not the server's.
LOCAL_MIDNIGHT_JS = "(() => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.toISOString(); })()"


class StatusState(rx.State):
    tools: rx.Field[int] = rx.field(0)
    added_today: rx.Field[int] = rx.field(0)
    loaded: rx.Field[bool] = rx.field(False)
    news_revision: rx.Field[str] = rx.field("")
    # The worker holding this tab's websocket pushes signals: the page script then stops its poll.
    push_live: rx.Field[bool] = rx.field(False)

    @rx.event
    async def refresh(self, day_start: str = "") -> list[EventType[()]] | None:
        """Called by the page script on load and every few seconds while the page is visible.

        It also watches the news: when the refresher (in whichever process) stored stories since the last
        look, the open news list or home page reloads, so readers see them without reloading the page.
        """
        day = parse_day_start(day_start)
        counts, revision = await pulse.shared_read(("status", day), partial(in_session, partial(_read_status, day)))
        if pulse.listening() != self.push_live:
            self.push_live = pulse.listening()
        if counts["tools"] != self.tools:
            self.tools = counts["tools"]
        if counts["added_today"] != self.added_today:
            self.added_today = counts["added_today"]
        if not self.loaded:
            self.loaded = True
        if revision != self.news_revision:
            seen_before = bool(self.news_revision)
            self.news_revision = revision
            if seen_before:
                return [NewsState.refresh_live, HomeState.refresh_live]
        return None


# What the page runs to refresh the status bar (on mount, on a push, on the fallback poll): the reader's
# midnight is only known in the browser, so the event goes through it.
refresh_status = rx.call_script(LOCAL_MIDNIGHT_JS, callback=StatusState.refresh)
