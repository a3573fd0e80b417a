"""From a parsed entry to the row we store: identity, safe HTML, summary, dates, category, tools, notes.

Pure functions of their inputs (the clock is an argument), so the same feed bytes always give the same
rows; that is what makes three refreshes of one feed leave one set of articles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from ..notes.compose import story_facts_html
from ..notes.summary import make_summary
from .categorize import categorize
from .clean import clean_html, html_to_text, shorten, text_to_html
from .mentions import ToolMatcher
from .parse import ParsedEntry
from .slugs import slugify

MAX_GUID_CHARS = 1000
MAX_TITLE_CHARS = 500
MAX_URL_CHARS = 2000
MENTION_TEXT_CHARS = 4000


@dataclass(frozen=True)
class ToolRef:
    slug: str
    name: str
    category_name: str


@dataclass
class ToolCatalog:
    """What mention-finding and notes need from the catalog, loaded once per refresh."""

    matcher: ToolMatcher
    tools: dict[int, ToolRef] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> ToolCatalog:
        return cls(ToolMatcher(()), {})


@dataclass
class PreparedEntry:
    guid: str
    url: str
    title: str
    slug_base: str
    summary: str
    content_html: str
    notes_html: str
    category: str
    content_hash: str
    published_at: datetime
    updated_at: datetime | None
    tool_ids: list[int]


def _text(value: str) -> str:
    """PostgreSQL refuses NUL in text, and a feed may carry one: drop it (SQLite would keep it)."""
    return value.replace("\x00", "") if "\x00" in value else value


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def entry_identity(entry: ParsedEntry, title: str, content: str) -> str:
    """The feed's guid, else the entry link, else a hash of title and content (same entry, same key)."""
    guid = entry.guid or entry.link
    if not guid:
        return "sha256:" + _digest(title, content)
    if len(guid) > MAX_GUID_CHARS:
        return "sha256:" + _digest(guid)
    return guid


def prepare_entry(entry: ParsedEntry, *, now: datetime, catalog: ToolCatalog) -> PreparedEntry:
    raw_content = entry.content
    if raw_content:
        content_html = (clean_html(raw_content, base_url=entry.base_url) if entry.content_is_html
                        else text_to_html(raw_content))
    else:
        content_html = ""
    title = html_to_text(entry.title)[:MAX_TITLE_CHARS]
    content_text = html_to_text(content_html)
    if entry.summary and entry.summary != raw_content:
        summary_text = html_to_text(entry.summary) if entry.summary_is_html else " ".join(entry.summary.split())
        summary = make_summary(dek_text=summary_text, body_text=content_text)
    else:
        summary_text = content_text
        summary = make_summary(dek_text="", body_text=content_text)
    if not title:
        title = shorten(summary_text or content_text, 80) or "Untitled"
    guid = entry_identity(entry, title, content_html)
    url = entry.link or (guid if guid.startswith(("http://", "https://")) else "")
    published = entry.published or entry.updated or now
    published = min(published, now)
    updated = min(entry.updated, now) if entry.updated else None
    result = categorize(title, summary_text)
    mention_text = title + "\n" + (content_text[:MENTION_TEXT_CHARS] or summary_text)
    tool_ids = catalog.matcher.find(mention_text) if catalog.tools else []
    return PreparedEntry(
        guid=_text(guid),
        url=_text(url[:MAX_URL_CHARS]),
        title=_text(title),
        slug_base=slugify(title, fallback="story-" + _digest(guid)[:8]),
        summary=_text(summary),
        content_html=_text(content_html),
        notes_html=_text(story_facts_html(title, summary, content_text)),  # the catalog's part comes after storage
        category=result.category,
        content_hash=_digest(title, content_html, summary, updated.isoformat() if updated else ""),
        published_at=published,
        updated_at=updated,
        tool_ids=tool_ids,
    )


def prepare_entries(entries: list[ParsedEntry], *, now: datetime, catalog: ToolCatalog) -> list[PreparedEntry]:
    """Prepared entries, first occurrence winning when a feed repeats an identity."""
    seen: set[str] = set()
    prepared = []
    for entry in entries:
        item = prepare_entry(entry, now=now, catalog=catalog)
        if item.guid not in seen:
            seen.add(item.guid)
            prepared.append(item)
    return prepared
