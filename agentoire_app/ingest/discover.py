"""A site URL instead of a feed URL: find the feed the page announces (`<link rel="alternate">`).

`find_feed_links` reads the HTML; `resolve_feed` fetches the URL and, when it is a page rather than a
feed, tries the announced feeds in order (then a few usual paths) and returns the first that parses.
"""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import nh3

from .fetch import Fetcher, FetchResult
from .parse import HtmlPage, NotAFeed, parse_feed

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+xml", "application/feed+json", "application/json")
MAX_CANDIDATES = 10  # a page announcing thousands of feeds must not make us fetch thousands of URLs
USUAL_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")


class DiscoveryError(Exception):
    """No feed at or behind the URL; the message says what was found instead."""


# html5ever (through nh3) reads the page: linear on any input, unlike html.parser, which took minutes on
# 150 KB of unclosed attribute quotes. Only the elements that announce feeds survive, serialized in a
# regular form (`<name attr="value" ...>`, `"` escaped) that one unambiguous pattern reads.
_announcements = nh3.Cleaner(
    tags={"a", "link", "base"},
    attributes={"a": {"href", "rel", "type"}, "link": {"href", "rel", "type"}, "base": {"href"}},
    clean_content_tags={"script", "style", "template", "noscript", "textarea", "title", "xmp"},
    strip_comments=True,
    link_rel=None,
)
_ELEMENT = re.compile(r'<(a|link|base)((?: [^\s="]+="[^"]*")*)')
_ATTRIBUTE = re.compile(r' ([^\s="]+)="([^"]*)"')
MAX_PAGE_CHARS = 2_000_000


def find_feed_links(page: bytes | str, *, base_url: str) -> list[str]:
    """Feed URLs announced by an HTML page (`<link>` or `<a>` with rel="alternate"), absolute, in page order."""
    text = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
    base = base_url
    links: dict[str, None] = {}  # ordered and deduplicated in one pass, whatever the page repeats
    for element in _ELEMENT.finditer(_announcements.clean(text[:MAX_PAGE_CHARS])):
        values = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(element.group(2))}
        href = values.get("href", "").strip()
        try:
            if element.group(1) == "base":
                base = urljoin(base, href) if href else base
                continue
            rels = values.get("rel", "").lower().split()
            kind = values.get("type", "").lower().split(";")[0].strip()
            if href and "alternate" in rels and kind in FEED_TYPES:
                url = urljoin(base, href)
                if url.startswith(("http://", "https://")):
                    links.setdefault(url)
        except ValueError:  # an unparseable URL (a bad IPv6 literal, say) announces nothing
            continue
    return list(links)


@dataclass
class ResolvedFeed:
    url: str
    title: str
    site_url: str
    discovered: bool


async def _as_feed(fetched: FetchResult) -> tuple[str, str]:
    """Title and site of the fetched feed, parsed in a worker thread: parsing is CPU work, and the event loop
    that awaits it also serves every other request."""
    parsed = await asyncio.to_thread(parse_feed, fetched.content, url=fetched.final_url or fetched.url,
                                     headers=fetched.headers)
    return parsed.title, parsed.site_url


async def resolve_feed(url: str, *, fetcher: Fetcher, allow_private: bool = True) -> ResolvedFeed:
    """`url` itself when it is a feed, else the first feed its page announces (or at a usual path).

    A page at a public address cannot send us into private space: its announced feeds are fetched as a
    public source's would be, whoever added the page.
    """
    fetched = await fetcher.fetch(url, allow_private=allow_private)
    if fetched.status != "ok":
        raise DiscoveryError(f"cannot fetch {url}: {fetched.error or fetched.status}")
    target = fetched.permanent_url or url
    try:
        title, site = await _as_feed(fetched)
        return ResolvedFeed(target, title, site, discovered=False)
    except HtmlPage:
        announced = await asyncio.to_thread(find_feed_links, fetched.content, base_url=fetched.final_url or url)
        candidates = announced[:MAX_CANDIDATES]
        guessed = [urljoin(fetched.final_url or url, p) for p in USUAL_PATHS]
        page_url = fetched.final_url or url
    except NotAFeed as exc:
        raise DiscoveryError(f"{url} is not a feed: {exc}") from exc
    private_ok = await fetcher.may_reach_private(url, allow_private=allow_private)
    refused: list[str] = []
    for candidate in [*candidates, *(g for g in guessed if g not in candidates)]:
        found = await fetcher.fetch(candidate, allow_private=private_ok)
        if found.status != "ok":
            if found.error.startswith("refused") and candidate in candidates:
                refused.append(f"{candidate[:200]} ({found.error})")
            continue
        try:
            title, site = await _as_feed(found)
        except NotAFeed:
            continue
        return ResolvedFeed(found.permanent_url or candidate, title, site or page_url, discovered=True)
    if refused:
        raise DiscoveryError(f"{url} is an HTML page whose announced feeds we refused: {'; '.join(refused)}")
    raise DiscoveryError(f"{url} is an HTML page that announces no feed (no <link rel=\"alternate\">)")
