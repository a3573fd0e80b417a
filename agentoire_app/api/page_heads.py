"""Pages that say what they are without JavaScript: `/news/{slug}` and `/tools/{slug}` with their own head.

Reflex's production server answers every dynamic page with one static SPA shell (the compiled `404.html`,
served with 200), so a chat app's link preview or a search engine that does not run JavaScript sees the
same generic head for every story and tool, and an unknown slug answers 200. This ASGI middleware sits in
front of that static mount and, for those two routes only, answers with the same shell plus the page's
title, description, canonical URL, OpenGraph and Twitter card tags and JSON-LD (`NewsArticle`,
`SoftwareApplication`) put before `</head>`; an unknown slug gets the same shell (the client renders the
not-found page from it) with status 404, and a story retention removed gets 410.

Cheap by design: one indexed query per slug, its answer cached for `CACHE_SECONDS`; the shell and its
routes' module hints are read once per build (`api.spa_shell`). No page is rendered on the server. Every
value is outside text (feed titles, submitted taglines), so each is escaped for an attribute or text node,
and the JSON-LD is serialised with `<`, `>` and `&` as JSON escapes, so no title can close the script
element.

A story's page also carries its first view (title, category, date, source, summary) twice. As HTML at the
end of the body (`first_view_html`), it is painted as soon as the styles are in, before any script: the
shell Reflex serves has an empty body, and the headline used to wait for the whole app to start. As data
(`window.agFirstView`), the article page shows it in its own layout while the state is still on the way
over the websocket (`components/first_view.py`); the HTML copy removes itself once the app shows a headline
of its own. The copy sits after everything React renders, where React's hydration passes over foreign
nodes, and is hidden from assistive technology, which reads the page the app renders.

When the compiled shell is missing (the development server, where Vite serves pages), requests pass
through untouched.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from ..concurrency import in_session
from ..models.text import long_date, shorten
from ..services.news import get_article
from ..services.removed import get_removed_article
from ..services.sources import public_source_name, url_is_publishable
from ..services.tools import get_tool
from ..settings import SITE_NAME, get_settings
from .spa_shell import SpaShell, inject_head

CACHE_SECONDS = 30.0
CACHE_ENTRIES = 2048
DESCRIPTION_CHARS = 200
PAGE_CACHE_CONTROL = "public, max-age=60"
# `/tools/feed.xml` is a route of the API app mounted above this one; a slug never holds a dot or a slash.
_PAGE_PATH = re.compile(r"^/(news|tools)/([^/.]+)/?$")


@dataclass(frozen=True)
class PageHead:
    """What one page says about itself; `status` is what the server answers for it."""

    status: int
    title: str
    description: str = ""
    path: str = ""
    og_type: str = "website"
    json_ld: dict[str, Any] | None = None
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (property, content) OpenGraph pairs
    first_view: dict[str, str] | None = None  # what the page shows before its state arrives


NOT_FOUND = PageHead(status=404, title="not found")


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _script_json(data: dict[str, Any]) -> str:
    """JSON that no value can break out of a script element with: `</script>` or `<!--` stays inert."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_ld_script(data: dict[str, Any]) -> str:
    return f'<script type="application/ld+json">{_script_json(data)}</script>'


def first_view_script(view: dict[str, str]) -> str:
    return f"<script>window.agFirstView={_script_json(view)};</script>"


FIRST_PAINT_ID = "ag-first-paint"
# Watches the page until the app shows a headline of its own in its main element (the article's first view,
# the complete article, or a not-found page), then removes the served copy. A script of the page's own, not
# the app's: whichever branch the app renders first, the copy never outlives it.
_FIRST_PAINT_GONE = (
    "<script>(() => { const copy = document.getElementById('" + FIRST_PAINT_ID + "');"
    " const watch = new MutationObserver(() => { if (document.querySelector('#main h1')) {"
    " copy.remove(); watch.disconnect(); } });"
    " watch.observe(document.body, {childList: true, subtree: true}); })();</script>")


def first_view_html(view: dict[str, str]) -> str:
    """The first view as plain HTML in the article's own classes, every value escaped as text, and the
    script that removes it once the app has its own headline on the page."""
    text = {k: html.escape(v, quote=False) for k, v in view.items()}
    summary = f'<p class="ag-summary">{text["summary"]}</p>' if view.get("summary") else ""
    return (f'<div id="{FIRST_PAINT_ID}" class="ag-main ag-width-article" aria-hidden="true">'
            f'<article class="ag-article"><div class="ag-article-meta"><span class="ag-tag">{text["category"]}</span>'
            f'<span class="ag-meta">{text["date"]} · {text["source"]}</span></div>'
            f'<h1 class="ag-article-title">{text["title"]}</h1>{summary}</article></div>{_FIRST_PAINT_GONE}')


def render_head(head: PageHead, base_url: str) -> str:
    """The tags for `head`, every value escaped; the canonical URL comes from the site's base, never the Host."""
    title = head.title if head.title == SITE_NAME else f"{head.title} · {SITE_NAME}"
    # Marked, so the page script can drop it once the app owns the title (else it would outlive navigation).
    tags = [f"<title data-ag-head>{html.escape(title, quote=False)}</title>"]
    if head.status != 200:
        tags.append('<meta name="robots" content="noindex">')
    if head.description:
        tags.append(f'<meta name="description" content="{_attr(head.description)}">')
    if head.path:
        tags.append(f'<link rel="canonical" href="{_attr(base_url + head.path)}">')
    og = [("og:site_name", SITE_NAME), ("og:type", head.og_type), ("og:title", head.title)]
    if head.description:
        og.append(("og:description", head.description))
    if head.path:
        og.append(("og:url", base_url + head.path))
    og += list(head.extra)
    tags += [f'<meta property="{_attr(k)}" content="{_attr(v)}">' for k, v in og]
    twitter = [("twitter:card", "summary"), ("twitter:title", head.title)]
    if head.description:
        twitter.append(("twitter:description", head.description))
    tags += [f'<meta name="{_attr(k)}" content="{_attr(v)}">' for k, v in twitter]
    if head.json_ld is not None:
        tags.append(json_ld_script(head.json_ld))
    if head.first_view is not None:
        tags.append(first_view_script(head.first_view))
    return "".join(tags)


def _iso(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z") if value is not None else ""


def read_article_head(slug: str, base_url: str, session: Session) -> PageHead:
    row = get_article(slug, session=session)
    if row is None:
        removed = get_removed_article(slug, session=session)
        if removed is None:
            return NOT_FOUND
        return PageHead(status=410, title=removed.title or "removed", path=f"/news/{slug}",
                        description=f"This story was removed from {SITE_NAME}: {removed.reason}.")
    article, source = row
    path = f"/news/{slug}"
    description = shorten(" ".join(article.summary.split()), DESCRIPTION_CHARS)
    publisher = public_source_name(source)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "url": base_url + path, "mainEntityOfPage": base_url + path, "datePublished": _iso(article.published_at),
        "publisher": {"@type": "Organization", "name": publisher}, "articleSection": article.category,
    }
    if description:
        data["description"] = description
    if article.url and url_is_publishable(article.url):
        data["isBasedOn"] = article.url
    extra = (("article:published_time", _iso(article.published_at)), ("article:section", article.category))
    first_view = {"path": path, "title": article.title, "category": article.category,
                  "date": long_date(article.published_at), "source": publisher, "summary": article.summary}
    return PageHead(status=200, title=article.title, description=description, path=path, og_type="article",
                    json_ld=data, extra=tuple((k, v) for k, v in extra if v), first_view=first_view)


def read_tool_head(slug: str, base_url: str, session: Session) -> PageHead:
    tool = get_tool(slug, session=session)
    if tool is None:
        return NOT_FOUND
    path = f"/tools/{slug}"
    description = shorten(" ".join((tool.tagline or tool.description).split()), DESCRIPTION_CHARS)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "SoftwareApplication", "name": tool.name,
        "url": base_url + path, "applicationCategory": tool.category,
    }
    if description:
        data["description"] = description
    same_as = [u for u in (tool.homepage, tool.repository) if u and url_is_publishable(u)]
    if same_as:
        data["sameAs"] = same_as
    if tool.open_source or tool.pricing in ("free", "open-source"):
        data["isAccessibleForFree"] = True
    return PageHead(status=200, title=tool.name, description=description, path=path, json_ld=data)


class _HeadCache:
    """Heads by (kind, slug) for a few seconds, least recently used dropped first; bounded, so a crawler
    walking random slugs cannot grow it."""

    def __init__(self, seconds: float = CACHE_SECONDS, entries: int = CACHE_ENTRIES) -> None:
        self.seconds, self.entries = seconds, entries
        self._items: OrderedDict[tuple[str, str], tuple[float, PageHead]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> PageHead | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: tuple[str, str], head: PageHead) -> None:
        self._items[key] = (time.monotonic() + self.seconds, head)
        self._items.move_to_end(key)
        while len(self._items) > self.entries:
            self._items.popitem(last=False)


class PageHeadMiddleware:
    """ASGI middleware: the page's own head for `/news/{slug}` and `/tools/{slug}`, everything else passed on."""

    def __init__(self, app: ASGIApp, shell_path: Path | None = None) -> None:
        self.app = app
        self.shell = SpaShell(shell_path)
        self.cache = _HeadCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _PAGE_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        shell = self.shell.text() if match and scope.get("method") in ("GET", "HEAD") else None
        if match is None or shell is None:
            await self.app(scope, receive, send)
            return
        kind, slug = match.group(1), match.group(2)
        head = self.cache.get((kind, slug))
        if head is None:
            base_url = get_settings().base_url
            reader = read_article_head if kind == "news" else read_tool_head
            head = await in_session(lambda session: reader(slug, base_url, session))
            self.cache.put((kind, slug), head)
        tags = self.shell.preloads.get(f"{kind}/:slug", "") + render_head(head, get_settings().base_url)
        first_paint = first_view_html(head.first_view) if head.first_view is not None else ""
        body = inject_head(shell, tags, first_paint).encode("utf-8")
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", PAGE_CACHE_CONTROL.encode())]
        await send({"type": "http.response.start", "status": head.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def page_heads(app: ASGIApp) -> ASGIApp:
    """The `api_transformer` form: wraps Reflex's backend (with its static frontend mount)."""
    return PageHeadMiddleware(app)
