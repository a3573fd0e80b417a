"""Slugs that read like the title: "China's open-source bet" → `chinas-open-source-bet`."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_CHARS = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str, *, fallback: str = "story") -> str:
    """ASCII, lower case, words joined by hyphens, at most 80 characters cut at a word boundary."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("'", "")
    slug = _NOT_SLUG.sub("-", text).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        cut = slug[:MAX_SLUG_CHARS + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[MAX_SLUG_CHARS // 2:] else slug[:MAX_SLUG_CHARS]
        slug = slug.strip("-")
    return slug or fallback


def unique_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` … whichever `taken` does not hold yet (and then holds)."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug
