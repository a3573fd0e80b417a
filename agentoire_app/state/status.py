"""The status bar's numbers: tool count and tools added since the reader's local midnight."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import reflex as rx
from reflex.event import EventType
from sqlmodel import Session

from ..concurrency import in_session
from ..services.news import news_revision
from ..services.stats import status_counts
from .home import HomeState
from .news import NewsState


def _parse_day_start(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return parsed if parsed.tzinfo else None


def _read_status(day_start: datetime | None, session: Session) -> tuple[dict[str, int], str]:
    return status_counts(session=session, day_start=day_start), news_revision(session=session)


class StatusState(rx.State):
    tools: rx.Field[int] = rx.field(0)
    added_today: rx.Field[int] = rx.field(0)
    loaded: rx.Field[bool] = rx.field(False)
    news_revision: rx.Field[str] = rx.field("")

    @rx.event
    async def refresh(self, day_start: str = "") -> list[EventType[()]] | None:
        """Called by the page script on load and every few seconds while the page is visible.

        It also watches the news: when the refresher (in whichever process) stored stories since the last
        look, the open news list or home page reloads, so readers see them without reloading the page.
        """
        counts, revision = await in_session(partial(_read_status, _parse_day_start(day_start)))
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
