"""Parsing: feedparser on the bytes plus the response headers, so the encoding it picks is the server's.

feedparser's own sanitizer and relative-URL pass are turned off: `clean` does both (nh3, faster and with
an explicit allowlist). A feed that is ill-formed but yields entries is kept with the reason in
`ParsedFeed.warning`; an empty body, an HTML page or anything that is not RSS/Atom (or JSON Feed, mapped
here because feedparser 6.0 does not read it) raises `NotAFeed` with a message that says which.
"""

from __future__ import annotations

import calendar
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from .clean import html_to_text

HTML_SNIFF_BYTES = 2048  # an HTML page says so in its first lines; a feed never needs more to be told apart
_HTML_OPENINGS = (b"<html", b"<head", b"<body")
_ASCII_SPACE = b" \t\n\r\x0b\x0c"


class NotAFeed(Exception):
    """The body is not a feed we can read; the message says what it is instead."""


class HtmlPage(NotAFeed):
    """The body is an HTML page (maybe a site whose feed `discover` can find)."""


@dataclass
class ParsedEntry:
    """One entry as the feed states it; HTML still raw (unsafe) and URLs maybe relative to `base_url`."""

    guid: str
    link: str
    title: str
    content: str
    content_is_html: bool
    summary: str
    summary_is_html: bool
    base_url: str
    published: datetime | None
    updated: datetime | None


@dataclass
class ParsedFeed:
    title: str
    site_url: str
    ttl_minutes: int | None
    entries: list[ParsedEntry] = field(default_factory=list)
    warning: str = ""
    version: str = ""


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _http_url(value: str, base: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        absolute = urljoin(base, value) if base else value
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    return absolute if parts.scheme in ("http", "https") and parts.hostname else ""


def _is_html(detail: Any) -> bool:
    kind = (detail or {}).get("type", "text/html") or "text/html"
    return "html" in kind


def _after_space(data: bytes, position: int) -> int:
    while position < len(data) and data[position] in _ASCII_SPACE:
        position += 1
    return position


def _starts_like_html(head: bytes) -> bool:
    """Whether `head`, after blank space and comments, opens with a doctype, `<html>`, `<head>` or `<body>`.

    A plain scan, one pass: a regular expression for "comments, then a tag" (`(<!--.*?-->\\s*)*`) backtracks
    exponentially on a run of comment-like fragments that never reaches the tag, and a few hundred bytes
    of them froze the refresh.
    """
    lowered = head.lower()
    position = 0
    while True:
        position = _after_space(lowered, position)
        if not lowered.startswith(b"<!--", position):
            break
        end = lowered.find(b"-->", position + 4)
        if end < 0:
            return False
        position = end + 3
    if lowered.startswith(b"<!doctype", position):
        after = _after_space(lowered, position + 9)
        return after > position + 9 and lowered.startswith(b"html", after)
    return lowered.startswith(_HTML_OPENINGS, position)


def looks_like_html(content: bytes, content_type: str = "") -> bool:
    """An HTML page rather than a feed: it opens like one, or is served as HTML without a feed's root element."""
    head = content[:HTML_SNIFF_BYTES]
    if _starts_like_html(head):
        return True
    return "html" in content_type.lower() and b"<rss" not in head and b"<feed" not in head and b"<rdf" not in head


def _entry(raw: Any, feed_base: str) -> ParsedEntry:
    get = raw.get
    content, content_is_html, base = "", True, ""
    for item in get("content") or ():
        value = item.get("value") or ""
        if value:
            content, content_is_html, base = value, _is_html(item), item.get("base") or ""
            if content_is_html:
                break
    summary_detail = get("summary_detail") or {}
    summary = get("summary") or ""
    summary_is_html = _is_html(summary_detail)
    if not content and summary:
        content, content_is_html, base = summary, summary_is_html, summary_detail.get("base") or ""
    title_detail = get("title_detail") or {}
    base = base or title_detail.get("base") or feed_base
    link = _http_url(get("link") or "", base)
    title = get("title") or ""
    if title and not _is_html(title_detail):
        # A text title may legitimately hold "<" or "&": keep it as text, escaped later by whoever renders.
        title = title.replace("&", "&amp;").replace("<", "&lt;")
    return ParsedEntry(
        guid=(get("id") or "").strip(),
        link=link,
        title=title,
        content=content,
        content_is_html=content_is_html,
        summary=summary,
        summary_is_html=summary_is_html,
        base_url=link if base == feed_base and link else base,
        published=_when(get("published_parsed")) or _when(get("created_parsed")),
        updated=_when(get("updated_parsed")),
    )


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _without_charset(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip() or "application/xml"


def _feedparser(content: bytes, headers: dict[str, str]) -> Any:
    return feedparser.parse(io.BytesIO(content), response_headers=headers, sanitize_html=False,
                            resolve_relative_uris=False)


def _json_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _json_str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_json_feed(content: bytes, *, url: str) -> ParsedFeed | None:
    """A JSON Feed (jsonfeed.org, versions 1 and 1.1), or None when the body is not one.

    feedparser 6.0 reads only XML feeds; JSON Feed is simple enough to map here.
    """
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not _json_str(data.get("version")).startswith("https://jsonfeed.org/version/"):
        return None
    entries = []
    for item in data.get("items") or ():
        if not isinstance(item, dict):
            continue
        link = _http_url(_json_str(item.get("url")) or _json_str(item.get("external_url")), url)
        html_content = _json_str(item.get("content_html"))
        text_content = _json_str(item.get("content_text"))
        summary = _json_str(item.get("summary"))
        entries.append(ParsedEntry(
            guid=_json_str(item.get("id")) if not isinstance(item.get("id"), int) else str(item["id"]),
            link=link,
            title=_json_str(item.get("title")).replace("&", "&amp;").replace("<", "&lt;"),
            content=html_content or text_content,
            content_is_html=bool(html_content),
            summary=summary,
            summary_is_html=False,
            base_url=link or url,
            published=_json_date(item.get("date_published")),
            updated=_json_date(item.get("date_modified")),
        ))
    return ParsedFeed(title=" ".join(_json_str(data.get("title")).split()),
                      site_url=_http_url(_json_str(data.get("home_page_url")), url), ttl_minutes=None,
                      entries=entries, version="json")


def parse_feed(content: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Entries of the feed in `content` (as fetched from `url` with `headers`), or `NotAFeed`."""
    headers = dict(headers or {})
    if not content.strip():
        raise NotAFeed("empty body: the server sent nothing")
    if content.lstrip()[:1] == b"{":
        json_feed = parse_json_feed(content, url=url)
        if json_feed is not None:
            return json_feed
    response_headers = {k.lower(): v for k, v in headers.items()}
    response_headers["content-location"] = url
    response_headers.pop("content-encoding", None)  # httpx already decoded the body (as lemon24/reader does)
    declared = response_headers.get("content-type", "")
    if content.startswith(_BOMS) and "charset" in declared.lower():
        response_headers["content-type"] = _without_charset(declared)  # a byte order mark outranks the header
    result = _feedparser(content, response_headers)
    if not (result.get("entries") or result.get("version")) and "charset" in response_headers.get("content-type", ""):
        # The server's charset may be wrong: let the document's own declaration and sniffing decide.
        retry = _feedparser(content, {**response_headers, "content-type": _without_charset(declared)})
        if retry.get("entries") or retry.get("version"):
            result = retry
    entries = result.get("entries") or []
    problem = result.get("bozo_exception") if result.get("bozo") else None
    if isinstance(problem, feedparser.NonXMLContentType) and result.get("version"):
        problem = None  # a feed served as text/plain or with no type at all is common and harmless
    if not result.get("version") and not entries:
        if looks_like_html(content, response_headers.get("content-type", "")):
            raise HtmlPage("an HTML page, not a feed")
        reason = f" ({type(problem).__name__}: {problem})" if problem else ""
        raise NotAFeed(f"not an RSS or Atom feed{reason}")
    if problem is not None and not entries:
        raise NotAFeed(f"ill-formed feed with no entries ({type(problem).__name__}: {problem})")
    feed = result.get("feed") or {}
    feed_base = (feed.get("title_detail") or {}).get("base") or url
    ttl: int | None = None
    try:
        ttl = int(str(feed.get("ttl", "")).strip()) if feed.get("ttl") else None
    except ValueError:
        ttl = None
    feed_title = feed.get("title") or ""
    parsed = ParsedFeed(
        title=html_to_text(feed_title) if _is_html(feed.get("title_detail")) else " ".join(feed_title.split()),
        site_url=_http_url(feed.get("link") or "", url),
        ttl_minutes=ttl,
        version=result.get("version") or "",
        entries=[_entry(raw, feed_base) for raw in entries],
    )
    if problem is not None:
        parsed.warning = f"ill-formed feed, {len(entries)} entries kept ({type(problem).__name__}: {problem})"
    return parsed
