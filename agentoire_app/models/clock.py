"""The one clock the project reads.

Timestamps are timezone-aware UTC everywhere: SQLModel's `UTCDateTime` refuses naive values and hands back
UTC on both SQLite and PostgreSQL. Code that needs "now" takes it as an argument where tests must control
it (see `ingest.refresh`), and defaults to this.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def to_stored(value: datetime) -> datetime:
    """Any datetime → aware UTC to the second (a naive value is taken to be UTC already)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)
