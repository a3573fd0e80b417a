"""Slugs, the one rule for articles, tools and tags: "China's open-source bet" → `chinas-open-source-bet`,
"crewAI+" → `crewai-plus`.

ASCII, lower case, words joined by hyphens, apostrophes dropped (so "China's" is one word), `+` spelled
"plus" (so "Notepad++" and "Notepad" differ), at most `MAX_SLUG_CHARS` cut at a word boundary. It sits
beside the models, below ingest and catalog, because both make slugs for rows the other may read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

MAX_SLUG_CHARS = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, fallback: str = "") -> str:
    """The slug of `text`, or `fallback` when nothing of it is ASCII letters or digits."""
    text = text.replace("+", " plus ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", text.replace("'", "")).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        cut = slug[:MAX_SLUG_CHARS + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[MAX_SLUG_CHARS // 2:] else slug[:MAX_SLUG_CHARS]
        slug = slug.strip("-")
    return slug or fallback


def unique_slug(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3` … whichever `taken` does not hold (read all taken slugs in one query
    first, never one query per try)."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
