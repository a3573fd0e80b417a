"""The one rule for text on its way into a column: no NUL character, no more than the column holds.

PostgreSQL refuses NUL in text while SQLite keeps it, so a feed, an OPML file or a catalog entry carrying
one would fail the whole transaction on one database and not the other; and a value longer than its
`max_length` fails on PostgreSQL too. Every writer of outside text goes through `storable`.
"""

from __future__ import annotations


def storable(text: str, limit: int | None = None) -> str:
    """`text` without NUL characters, cut to `limit` characters (no cut when `limit` is None)."""
    if "\x00" in text:  # the common case costs one scan, not a copy
        text = text.replace("\x00", "")
    return text if limit is None else text[:limit]
