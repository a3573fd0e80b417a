"""The Starlette app Reflex mounts through `api_transformer`; each route delegates to services.

Reflex wraps its own backend (and, with `--single-port`, the compiled frontend) *inside* this app, so these
routes are matched first: `/feed.xml` and `/tools/feed.xml` are never shadowed by the frontend's static files.

| route | what |
| --- | --- |
| `/api/health` | liveness and counts, never cached |
| `/api/status` | the status bar's numbers for `since` (the reader's midnight): what a page shows before its socket is up |
| `/api/tools` | tools, paginated: `q, category, tag, pricing, open_source, new, sort, page, per_page` |
| `/api/tools/{slug}` | one tool with alternatives and its news timeline |
| `/api/news` | articles, paginated: `q, category, source, tool, page, per_page` |
| `/api/stories` | stories ranked as the front page ranks them, paginated: `page, per_page`; `papers` the lane |
| `/feed.xml`, `/tools/feed.xml` | Atom of the news and of new tools |
| `/sources.opml` | the feeds we read, as OPML |
| `/sitemap.xml` | every page, tool and article |

Absolute links (Atom, sitemap) use `AGENTOIRE_BASE_URL`, never the request's Host header: responses are
cached, so a forged Host would reach every later reader. Nothing here publishes a private source address or
a raw error text: sources go through `services.sources`' public views.

Database work runs in a worker thread so the event loop (Reflex's websocket) never blocks. Responses carry
`Cache-Control` and a strong `ETag`; a matching `If-None-Match` gets 304.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..concurrency import in_session
from ..services import feeds_out
from ..services.directory import query_tools, tool_query_from_params
from ..services.news import article_open_web, article_slugs_by_date, count_articles, list_articles
from ..services.paging import BadQuery, page_params
from ..services.search import count_articles_matching, search_articles
from ..services.sources import list_sources
from ..services.stats import parse_day_start, status_counts
from ..services.stories import ranked_stories, story_public
from ..services.tools import get_tool, list_tools, tool_detail_public, tool_public, tool_slugs_by_id
from ..settings import get_settings

log = logging.getLogger(__name__)
JSON_CACHE = "public, max-age=60"
# Every page load asks once: a few seconds of sharing (per reader's midnight) keeps a burst to one query,
# and the socket brings the exact numbers right after.
STATUS_CACHE = "public, max-age=10"
FEED_CACHE = "public, max-age=300"
FEED_ENTRIES = 50
STATIC_PAGES = ("/", "/news", "/tools", "/submit")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _cached(request: Request, body: bytes, media_type: str, cache_control: str) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"Cache-Control": cache_control, "ETag": etag, "Vary": "Accept-Encoding"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _json(request: Request, data: Any, *, cache_control: str = JSON_CACHE) -> Response:
    body = json.dumps(_jsonable(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _cached(request, body, "application/json", cache_control)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers={"Cache-Control": "no-store"})


def _page_links(request: Request, page: int, per_page: int, total: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per_page))
    params = dict(request.query_params)

    def link(n: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'page': n, 'per_page': per_page})}"

    return {"page": page, "per_page": per_page, "total": total, "pages": pages,
            "next": link(page + 1) if page < pages else None, "prev": link(page - 1) if page > 1 else None}


def _base_url() -> str:
    return get_settings().base_url


async def health(_request: Request) -> JSONResponse:
    """Liveness plus the two numbers a monitor cares about; 503 when the database does not answer."""
    try:
        counts = await in_session(lambda session: status_counts(session=session))
    except Exception as exc:
        log.warning("health check: the database did not answer", exc_info=exc)
        return JSONResponse({"status": "error", "error": "database unavailable"}, status_code=503,
                            headers={"Cache-Control": "no-store"})
    return JSONResponse({"status": "ok", **counts}, headers={"Cache-Control": "no-store"})


async def api_status(request: Request) -> Response:
    """The status bar's counts, fetched by the page once before its websocket connects, so the bar shows
    numbers instead of "…" while the socket is still connecting. `since` is the reader's local midnight
    (the bar's "today"); without a valid one, the last 24 hours."""
    raw = request.query_params.get("since", "")
    day_start = parse_day_start(raw)
    if raw and day_start is None:
        return _error(400, "since must be an ISO 8601 instant with its offset, e.g. 2026-04-23T00:00:00Z")
    counts = await in_session(lambda session: status_counts(session=session, day_start=day_start))
    return _json(request, counts, cache_control=STATUS_CACHE)


async def api_tools(request: Request) -> Response:
    try:
        query = tool_query_from_params(request.query_params)
        page, per_page = page_params(request.query_params)
    except BadQuery as exc:
        return _error(400, str(exc))

    def read(session: Session) -> dict[str, Any]:
        result = query_tools(query, session=session, limit=per_page, offset=(page - 1) * per_page)
        items = [{**tool_public(t), "mentions": result.mentions.get(t.id or 0, 0)}
                 for t in result.items]
        return {"items": items, "sort": query.effective_sort(), **_page_links(request, page, per_page, result.total or 0)}

    return _json(request, await in_session(read))


async def api_tool(request: Request) -> Response:
    slug = request.path_params["slug"]

    def read(session: Session) -> dict[str, Any] | None:
        tool = get_tool(slug, session=session)
        return tool_detail_public(tool, session=session) if tool else None

    data = await in_session(read)
    if data is None:
        return _error(404, f"no tool {slug!r}")
    return _json(request, data)


async def api_news(request: Request) -> Response:
    params = request.query_params
    try:
        page, per_page = page_params(params)
    except BadQuery as exc:
        return _error(400, str(exc))
    q = (params.get("q") or "").strip()[:200]
    category = (params.get("category") or "").strip() or None
    source_url = (params.get("source") or "").strip() or None
    tool_slug = (params.get("tool") or "").strip() or None
    offset = (page - 1) * per_page

    def read(session: Session) -> dict[str, Any] | None:
        if q:
            rows = search_articles(q, session=session, category=category, source_url=source_url,
                                   limit=per_page, offset=offset)
            total = count_articles_matching(q, session=session, category=category) if not source_url else None
        else:
            tool_id = None
            if tool_slug:
                tool = get_tool(tool_slug, session=session)
                if tool is None:
                    return None
                tool_id = tool.id
            rows = list(list_articles(session=session, limit=per_page, offset=offset, category=category,
                                      source_url=source_url, tool_id=tool_id))
            total = count_articles(session=session, category=category, source_url=source_url, tool_id=tool_id)
        if total is None:
            total = offset + len(rows) + (1 if len(rows) == per_page else 0)
        items = [article_open_web(a, s) for a, s in rows]
        return {"items": items, **_page_links(request, page, per_page, total)}

    data = await in_session(read)
    if data is None:
        return _error(404, f"no tool {tool_slug!r}")
    return _json(request, data)


async def news_feed(request: Request) -> Response:
    base = _base_url()
    xml = await in_session(lambda session: feeds_out.news_atom(
        list_articles(session=session, limit=FEED_ENTRIES), base_url=base))
    return _cached(request, xml.encode("utf-8"), "application/atom+xml; charset=utf-8", FEED_CACHE)


async def tools_feed(request: Request) -> Response:
    base = _base_url()
    xml = await in_session(lambda session: feeds_out.tools_atom(
        list_tools(session=session, limit=FEED_ENTRIES), base_url=base))
    return _cached(request, xml.encode("utf-8"), "application/atom+xml; charset=utf-8", FEED_CACHE)


async def sources_opml(request: Request) -> Response:
    def read(session: Session) -> str:
        return feeds_out.sources_opml(list_sources(session=session, include_retired=False), public=True)

    xml = await in_session(read)
    response = _cached(request, xml.encode("utf-8"), "text/x-opml; charset=utf-8", FEED_CACHE)
    response.headers["Content-Disposition"] = 'inline; filename="agentoire-sources.opml"'
    return response


async def sitemap(request: Request) -> Response:
    base = _base_url()

    def read(session: Session) -> str:
        urls: list[tuple[str, Any]] = [(base + path, None) for path in STATIC_PAGES]
        urls += [(f"{base}/tools/{slug}", updated) for slug, updated in tool_slugs_by_id(session=session)]
        urls += [(f"{base}/news/{slug}", published)
                 for slug, published in article_slugs_by_date(session=session, limit=40_000)]
        return feeds_out.sitemap_xml(urls)

    xml = await in_session(read)
    return _cached(request, xml.encode("utf-8"), "application/xml; charset=utf-8", "public, max-age=3600")


async def api_stories(request: Request) -> Response:
    try:
        page, per_page = page_params(request.query_params)
    except BadQuery as exc:
        return _error(400, str(exc))

    def read(session: Session) -> dict[str, Any]:
        top, papers, total = ranked_stories(session=session, limit=per_page,
                                            offset=(page - 1) * per_page)
        return {"items": [story_public(v, public=True) for v in top],
                "papers": [story_public(v, public=True) for v in papers] if page == 1 else [],
                **_page_links(request, page, per_page, total)}

    return _json(request, await in_session(read))


def build_api() -> Starlette:
    return Starlette(routes=[
        Route("/api/health", health),
        Route("/api/status", api_status),
        Route("/api/tools", api_tools),
        Route("/api/tools/{slug}", api_tool),
        Route("/api/news", api_news),
        Route("/api/stories", api_stories),
        Route("/feed.xml", news_feed),
        Route("/tools/feed.xml", tools_feed),
        Route("/sources.opml", sources_opml),
        Route("/sitemap.xml", sitemap),
    ])
