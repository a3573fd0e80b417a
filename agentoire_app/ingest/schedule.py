"""When to look at a source again: the regular interval, what the server asks for, and error backoff.

All functions take `now` (and a random generator for jitter) so tests decide the clock.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

DEFAULT_INTERVAL = 900
MAX_INTERVAL = 6 * 3600  # Cache-Control max-age or RSS ttl may lengthen the interval up to this, no further
BACKOFF_CAP = 24 * 3600
RETRY_AFTER_CAP = 7 * 24 * 3600
MIN_RETRY_AFTER = 60
JITTER = 0.2


def base_interval(refresh_seconds: int) -> int:
    """The loop's period is every source's regular interval (the CLI uses the default when the loop is off)."""
    return refresh_seconds if refresh_seconds > 0 else DEFAULT_INTERVAL


def server_interval(base: int, *, max_age: int | None, ttl_minutes: int | None) -> int | None:
    """The interval the server asked for (longest of max-age and ttl), kept within [base, MAX_INTERVAL]."""
    asked = max(max_age or 0, (ttl_minutes or 0) * 60)
    if asked <= base:
        return None
    return min(asked, max(MAX_INTERVAL, base))


def next_fetch_after_success(now: datetime, base: int, interval: int | None) -> datetime:
    return now + timedelta(seconds=max(base, interval or 0))


def backoff_seconds(base: int, error_count: int, rng: random.Random) -> int:
    """Exponential backoff with ±20 % jitter: base, 2×base, 4×base … capped at a day."""
    exponent = min(max(error_count, 1) - 1, 20)
    delay = min(BACKOFF_CAP, base * (2 ** exponent))
    return int(min(BACKOFF_CAP, delay * rng.uniform(1 - JITTER, 1 + JITTER)))


def next_fetch_after_error(now: datetime, base: int, error_count: int, *, retry_after: int | None,
                           rng: random.Random) -> datetime:
    """After a failure: the server's Retry-After when it gave one (429/503), else exponential backoff."""
    if retry_after is not None:
        return now + timedelta(seconds=min(RETRY_AFTER_CAP, max(MIN_RETRY_AFTER, retry_after)))
    return now + timedelta(seconds=backoff_seconds(base, error_count, rng))
