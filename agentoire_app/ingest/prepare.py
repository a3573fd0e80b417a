"""From a parsed entry to the row we store: identity, safe HTML, summary, dates, category, tools, notes.

Pure functions of their inputs (the clock is an argument), so the same feed bytes always give the same
rows; that is what makes three refreshes of one feed leave one set of articles.

Limits, per fetch and per entry, because a feed is hostile input like any other: one 0.8 MB feed once made
15,000 articles and one entry carried 9 MB of HTML that we then served to every browser and `/api/news`.
Miniflux and `reader` both store what a feed says and bound only the download (Miniflux's
HTTP_CLIENT_MAX_BODY_SIZE); our pages and API show stored HTML whole, so we also bound what one fetch may
add, and say so on the source's status line instead of cutting silently (`PreparedFeed.note`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..models.slugs import slugify
from ..models.text import shorten, storable
from ..notes.compose import story_facts_html
from ..notes.summary import make_summary
from .categorize import categorize
from .clean import clean_html, html_to_text, text_to_html
from .mentions import ToolMatcher
from .parse import ParsedEntry

MAX_GUID_CHARS = 1000
MAX_TITLE_CHARS = 300  # a headline; longer is a body pasted into <title>
MAX_ENTRIES_PER_FETCH = 200  # far above any real news feed (most carry 10–50), far below a runaway one
MAX_CONTENT_CHARS = 256 * 1024  # cleaned HTML per entry: a long-read fits, a 9 MB dump does not
_RAW_CONTENT_FACTOR = 4  # raw HTML beyond 4× the limit is cut before cleaning: nh3's cost grows with input
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
    content_shortened: bool = False
    title_shortened: bool = False


@dataclass
class PreparedFeed:
    """A fetch's prepared entries, and what the limits cut from it (empty `note` when nothing was)."""

    entries: list[PreparedEntry]
    total: int = 0  # entries the feed carried
    bodies_shortened: int = 0
    titles_shortened: int = 0

    @property
    def note(self) -> str:
        """One line for the source's status, e.g. "kept 200 of 15000 entries; 3 bodies shortened"."""
        parts = []
        if self.total > MAX_ENTRIES_PER_FETCH:
            parts.append(f"kept the newest {MAX_ENTRIES_PER_FETCH} of {self.total} entries")
        if self.bodies_shortened:
            parts.append(f"{self.bodies_shortened} bod{'y' if self.bodies_shortened == 1 else 'ies'} shortened "
                         f"to {MAX_CONTENT_CHARS // 1024} KB")
        if self.titles_shortened:
            parts.append(f"{self.titles_shortened} title{'' if self.titles_shortened == 1 else 's'} shortened "
                         f"to {MAX_TITLE_CHARS} characters")
        return "; ".join(parts)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _safe_cut(markup: str, limit: int) -> str:
    """`markup` cut to at most `limit` characters before a tag, never inside a tag or an entity."""
    if len(markup) <= limit:
        return markup
    cut = markup.rfind("<", 0, limit + 1)
    if cut < limit // 2:  # a long run of text: cut in it, but not through an entity ("&amp;")
        cut = limit
        amp = markup.rfind("&", max(0, limit - 12), limit)
        if amp != -1 and ";" not in markup[amp:limit]:
            cut = amp
    return markup[:cut]


def limit_html(cleaned: str, *, base_url: str, limit: int = MAX_CONTENT_CHARS,
               already_cut: bool = False) -> tuple[str, bool]:
    """Cleaned HTML within `limit` characters, and whether it was cut.

    The cut lands before a tag and the result goes through the sanitizer again, whose HTML5 serializer
    closes whatever the cut left open, so the stored HTML stays well-formed; a closing note says the
    story was shortened and that the original has the rest.
    """
    note = ('<p class="ag-shortened"><em>Shortened here: this story is longer than we keep; '
            "the original source has the rest.</em></p>")
    if len(cleaned) <= limit and not already_cut:
        return cleaned, False
    budget = limit - len(note)
    slack = 256  # room for the end tags the serializer adds to close what the cut left open
    while True:
        shortened = clean_html(_safe_cut(cleaned, max(0, budget - slack)), base_url=base_url)
        if len(shortened) <= budget:
            return shortened + note, True
        slack *= 2


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
    raw_limit = MAX_CONTENT_CHARS * _RAW_CONTENT_FACTOR
    if raw_content:
        bounded = _safe_cut(raw_content, raw_limit) if entry.content_is_html else raw_content[:raw_limit]
        content_html = (clean_html(bounded, base_url=entry.base_url) if entry.content_is_html
                        else text_to_html(bounded))
        content_html, content_shortened = limit_html(content_html, base_url=entry.base_url,
                                                     already_cut=len(bounded) < len(raw_content))
    else:
        content_html, content_shortened = "", False
    full_title = html_to_text(entry.title)
    title = shorten(full_title, MAX_TITLE_CHARS)
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
        guid=storable(guid),
        url=storable(url[:MAX_URL_CHARS]),
        title=storable(title),
        slug_base=slugify(title, fallback="story-" + _digest(guid)[:8]),
        summary=storable(summary),
        content_html=storable(content_html),
        notes_html=storable(story_facts_html(title, summary, content_text)),  # the catalog's part comes after storage
        category=result.category,
        content_hash=_digest(title, content_html, summary, updated.isoformat() if updated else ""),
        published_at=published,
        updated_at=updated,
        tool_ids=tool_ids,
        content_shortened=content_shortened,
        title_shortened=len(full_title) > MAX_TITLE_CHARS,
    )


def _newest_first_key(now: datetime) -> Callable[[ParsedEntry], datetime]:
    def key(entry: ParsedEntry) -> datetime:
        stamp = entry.published or entry.updated or now  # undated: first seen now, as prepare_entry dates it
        return min(stamp, now)
    return key


def prepare_feed(entries: list[ParsedEntry], *, now: datetime, catalog: ToolCatalog,
                 max_entries: int = MAX_ENTRIES_PER_FETCH) -> PreparedFeed:
    """At most `max_entries` distinct entries, the newest by published date, and what was cut.

    Newest first because that is what a reader of a news feed wants and what a runaway feed's tail
    is not; among equal dates (and undated entries, which count as "now") the feed's order decides, the
    sort being stable. When a feed repeats an identity within one fetch, the first occurrence in that
    order wins. Only the kept entries are prepared, so a 15,000-entry feed costs 200 cleanings.
    """
    ordered = sorted(entries, key=_newest_first_key(now), reverse=True)
    seen: set[str] = set()
    result = PreparedFeed(entries=[], total=len(entries))
    for entry in ordered:
        if len(result.entries) >= max_entries:
            break
        item = prepare_entry(entry, now=now, catalog=catalog)
        if item.guid in seen:
            continue
        seen.add(item.guid)
        result.entries.append(item)
        result.bodies_shortened += item.content_shortened
        result.titles_shortened += item.title_shortened
    return result


def prepare_entries(entries: list[ParsedEntry], *, now: datetime, catalog: ToolCatalog) -> list[PreparedEntry]:
    """Prepared entries within the per-fetch limits (see `prepare_feed`)."""
    return prepare_feed(entries, now=now, catalog=catalog).entries
