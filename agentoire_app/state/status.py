"""The status bar's numbers: tool count and tools added since the reader's local midnight."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from ..db import session_scope
from ..services.stats import status_counts


def _parse_day_start(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return parsed if parsed.tzinfo else None


class StatusState(rx.State):
    tools: int = 0
    added_today: int = 0
    loaded: bool = False

    @rx.event
    def refresh(self, day_start: str = "") -> None:
        """Called by the page script on load and every few seconds while the page is visible."""
        with session_scope() as session:
            counts = status_counts(session=session, day_start=_parse_day_start(day_start))
        if counts["tools"] != self.tools:
            self.tools = counts["tools"]
        if counts["added_today"] != self.added_today:
            self.added_today = counts["added_today"]
        if not self.loaded:
            self.loaded = True
