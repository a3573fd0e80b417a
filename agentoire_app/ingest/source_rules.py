"""A source row's rules in one place: what a new source looks like and what each fetch outcome does to it.

Pure functions, like `reader`'s update logic: the current state of the source, what the fetch (and the
parse) said and the clock go in; the new field values come out. Nothing here reads or writes the database,
so every transition (success, 304, error with backoff, retirement on 410, a permanent redirect, the next
fetch time) is tested without one; `writer` applies the result to the row.

Text from the server (titles, URLs, validators, warnings) is hostile until cut to its column and rid of
NUL (`models.text.storable`); the column sizes are the model's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from ..models import Source
from ..models.news import (
    SOURCE_ETAG_CHARS,
    SOURCE_LAST_MODIFIED_CHARS,
    SOURCE_SITE_URL_CHARS,
    SOURCE_TITLE_CHARS,
    SOURCE_URL_CHARS,
    SourceStatus,
)
from ..models.text import storable
from . import schedule
from .fetch import FetchResult
from .parse import ParsedFeed

ERROR_CHARS = 500  # an error we word ourselves (a storage failure, an internal error) stays one short line


class SourceFields(TypedDict, total=False):
    """Columns of `source` that a rule sets; a key that is absent keeps its stored value."""

    url: str
    title: str
    site_url: str
    etag: str | None
    last_modified: str | None
    last_status: SourceStatus
    last_error: str
    error_count: int
    last_fetched_at: datetime
    next_fetch_at: datetime
    interval_seconds: int | None
    retired: bool
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class SourceState:
    """What the rules read of a source row."""

    url: str
    title: str = ""
    site_url: str = ""
    error_count: int = 0
    interval_seconds: int | None = None

    @classmethod
    def of(cls, source: Source) -> SourceState:
        return cls(source.url, source.title, source.site_url, source.error_count, source.interval_seconds)


@dataclass(frozen=True)
class SourceUpdate:
    """The new field values, and a permanent redirect's target.

    The move is separate because it depends on the other rows: it applies only when no other source has
    that URL yet (two feeds redirected to one would otherwise break the unique index), which the writer
    checks in its transaction.
    """

    fields: SourceFields
    move_to: str | None = None


def new_source_fields(url: str, *, title: str, site_url: str, added_by: str, now: datetime) -> SourceFields:
    """A source as first stored: never fetched, due at once. `url` is already normalized."""
    return SourceFields(url=url, title=storable(title, SOURCE_TITLE_CHARS),
                        site_url=storable(site_url, SOURCE_SITE_URL_CHARS), added_by=added_by, added_at=now,
                        next_fetch_at=now, last_status="never", last_error="", error_count=0, retired=False)


def error_line(prefix: str, exc: BaseException) -> str:
    """Our own one-line wording of an unexpected exception, as stored in `last_error`."""
    return storable(f"{prefix}: {type(exc).__name__}: {exc}".splitlines()[0], ERROR_CHARS)


def decide(state: SourceState, fetched: FetchResult, parsed: ParsedFeed | None, error: str, *, now: datetime,
           base: int, rng: random.Random, note: str = "") -> SourceUpdate:
    """The source's new fields after one fetch.

    `parsed` is None for a 304 or when nothing was parsed; `error` is a failure after the fetch (not a feed,
    could not store); `note` is what the limits cut or retention removed, shown beside a success. `base` is
    the regular interval in seconds and `rng` draws the backoff's jitter.
    """
    fields = SourceFields(last_fetched_at=now)
    move_to = None
    if fetched.permanent_url and fetched.permanent_url != state.url:
        move_to = storable(fetched.permanent_url, SOURCE_URL_CHARS)
    if fetched.status == "gone":  # 410: never fetched again; the row stays to say so
        fields.update({"retired": True, "last_status": "gone", "last_error": storable(fetched.error),
                       "error_count": state.error_count + 1})
        return SourceUpdate(fields, move_to)
    failed = error or (fetched.status == "error" and fetched.error)
    if failed:
        error_count = state.error_count + 1
        fields.update({"last_status": "error", "last_error": storable(str(failed)), "error_count": error_count,
                       "next_fetch_at": schedule.next_fetch_after_error(now, base, error_count,
                                                                       retry_after=fetched.retry_after, rng=rng)})
        return SourceUpdate(fields, move_to)
    interval = schedule.server_interval(base, max_age=fetched.max_age,
                                        ttl_minutes=parsed.ttl_minutes if parsed else None)
    if parsed is None:  # 304: keep what the last full fetch learned from the feed's ttl
        interval = max(interval or 0, state.interval_seconds or 0) or None
    fields.update({"error_count": 0, "etag": _validator(fetched.etag, SOURCE_ETAG_CHARS),
                   "last_modified": _validator(fetched.last_modified, SOURCE_LAST_MODIFIED_CHARS),
                   "interval_seconds": interval,
                   "next_fetch_at": schedule.next_fetch_after_success(now, base, interval)})
    if parsed is None:
        fields.update({"last_status": "not_modified", "last_error": ""})
        return SourceUpdate(fields, move_to)
    fields.update({"last_status": "ok",
                   "last_error": "; ".join(part for part in (storable(parsed.warning), note) if part)})
    if parsed.title and not state.title:
        fields["title"] = storable(parsed.title, SOURCE_TITLE_CHARS)
    if parsed.site_url and not state.site_url:
        fields["site_url"] = storable(parsed.site_url, SOURCE_SITE_URL_CHARS)
    return SourceUpdate(fields, move_to)


def _validator(value: str | None, limit: int) -> str | None:
    """An ETag or Last-Modified to send back next time; an empty one is no validator."""
    return storable(value, limit) if value else None
