"""Rules for outside text that every layer shares: what a column may hold, and how text is cut short.

`storable`: no NUL character, no more than the column holds.
PostgreSQL refuses NUL in text while SQLite keeps it, so a feed, an OPML file or a catalog entry carrying
one would fail the whole transaction on one database and not the other; and a value longer than its
`max_length` fails on PostgreSQL too. Every writer of outside text goes through `storable`.

`shorten`: a summary or a title cut at a word boundary, the way ingest and the notes both cut them.

`long_date`: a date as the article page shows it, for the page's state and for the first view the server
puts in the page before the state arrives.
"""

from __future__ import annotations

from datetime import datetime


def storable(text: str, limit: int | None = None) -> str:
    """`text` without NUL characters, cut to `limit` characters (no cut when `limit` is None)."""
    if "\x00" in text:  # the common case costs one scan, not a copy
        text = text.replace("\x00", "")
    return text if limit is None else text[:limit]


SUMMARY_MAX_CHARS = 400


def shorten(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def long_date(value: datetime | None) -> str:
    """`April 21, 2026` (the article page's date)."""
    return f"{value:%B} {value.day}, {value.year}" if value else ""
