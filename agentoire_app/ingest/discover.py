"""A site URL instead of a feed URL: find the feed the page announces (`<link rel="alternate">`).

`find_feed_links` reads the HTML; `resolve_feed` fetches the URL and, when it is a page rather than a
feed, tries the announced feeds in order (then a few usual paths) and returns the first that parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from .fetch import Fetcher, FetchResult
from .parse import HtmlPage, NotAFeed, parse_feed

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+xml", "application/feed+json", "application/json")
USUAL_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")


class DiscoveryError(Exception):
    """No feed at or behind the URL; the message says what was found instead."""


class _LinkFinder(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            href = dict(attrs).get("href")
            if href:
                self.base = urljoin(self.base, href)
        if tag not in ("link", "a"):
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        href = values.get("href", "").strip()
        if href and "alternate" in rels and kind in FEED_TYPES:
            url = urljoin(self.base, href)
            if url.startswith(("http://", "https://")) and url not in self.links:
                self.links.append(url)


def find_feed_links(page: bytes | str, *, base_url: str) -> list[str]:
    """Feed URLs announced by an HTML page, absolute, in page order."""
    text = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
    finder = _LinkFinder(base_url)
    try:
        finder.feed(text[:2_000_000])
        finder.close()
    except Exception:  # a page broken enough to upset html.parser: keep what was found
        pass
    return finder.links


@dataclass
class ResolvedFeed:
    url: str
    title: str
    site_url: str
    discovered: bool


def _as_feed(fetched: FetchResult) -> tuple[str, str]:
    parsed = parse_feed(fetched.content, url=fetched.final_url or fetched.url, headers=fetched.headers)
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
        title, site = _as_feed(fetched)
        return ResolvedFeed(target, title, site, discovered=False)
    except HtmlPage:
        candidates = find_feed_links(fetched.content, base_url=fetched.final_url or url)
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
            title, site = _as_feed(found)
        except NotAFeed:
            continue
        return ResolvedFeed(found.permanent_url or candidate, title, site or page_url, discovered=True)
    if refused:
        raise DiscoveryError(f"{url} is an HTML page whose announced feeds we refused: {'; '.join(refused)}")
    raise DiscoveryError(f"{url} is an HTML page that announces no feed (no <link rel=\"alternate\">)")
