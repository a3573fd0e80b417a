"""The numbers in the status bar."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from ..models import utcnow
from .tools import count_tools, count_tools_added_since


def parse_day_start(value: str) -> datetime | None:
    """The start of the reader's day as the browser sends it (an ISO instant with its offset); None when it
    is missing, malformed or without a zone, so the caller falls back to the last 24 hours."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return parsed if parsed.tzinfo else None


def status_counts(*, session: Session, day_start: datetime | None = None) -> dict[str, int]:
    """Tool count and tools added since `day_start` (default: the last 24 hours, UTC).

    The status bar shows the reader's local "today"; the page passes the start of that day in UTC.
    """
    since = day_start or (utcnow() - timedelta(days=1))
    return {"tools": count_tools(session=session), "added_today": count_tools_added_since(since, session=session)}
