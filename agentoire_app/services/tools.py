"""Reading the directory: one tool, lists of tools, counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Article, ArticleTool, Category, Source, Tool, utcnow
from .sources import public_source_name, url_is_publishable
from .tool_facts import FactSummary, facts_public

SORTS = ("relevance", "newest", "name", "mentions")
PRICINGS = ("free", "freemium", "paid", "open-source", "unknown")
MAX_PAGE_SIZE = 100

# Side tables kept by triggers (migration 0002); not models, since nothing writes them but the database.
tool_mentions = sa.table("tool_mentions", sa.column("tool_id", sa.Integer), sa.column("mentions", sa.Integer))
tool_tag = sa.table("tool_tag", sa.column("tool_id", sa.Integer), sa.column("tag", sa.Text))


def get_tool(slug: str, *, session: Session) -> Tool | None:
    return session.exec(select(Tool).where(Tool.slug == slug)).first()


def list_tools(*, session: Session, limit: int | None = None, offset: int = 0,
               category: str | None = None) -> Sequence[Tool]:
    """Tools, newest first (ties by name), optionally in one category."""
    query = select(Tool).order_by(col(Tool.added_at).desc(), col(Tool.name))
    if category:
        query = query.where(Tool.category == category)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return session.exec(query).all()


def count_tools(*, session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Tool)).one()


def count_tools_added_since(since: datetime, *, session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Tool).where(Tool.added_at >= since)).one()


def list_categories(*, session: Session) -> Sequence[Category]:
    return session.exec(select(Category).order_by(col(Category.position), col(Category.name))).all()


def tool_public(tool: Tool, facts: FactSummary | None = None) -> dict[str, object]:
    """The contract's public shape of a tool (`agentoire tools list --json`, `/api/tools`), with what the
    tool checks last read (`facts`; all null until read)."""
    return {
        "slug": tool.slug,
        "name": tool.name,
        "tagline": tool.tagline,
        "homepage": tool.homepage,
        "repository": tool.repository,
        "category": tool.category,
        "tags": list(tool.tags or []),
        "pricing": tool.pricing,
        "open_source": tool.open_source,
        "added_at": tool.added_at,
        "source": tool.source,
        **facts_public(facts),
    }


@dataclass(frozen=True)
class ToolQuery:
    """The directory's whole filter state: what `/tools` keeps in its URL and `/api/tools` takes as params."""

    q: str = ""
    category: str | None = None
    tag: str | None = None
    pricing: str | None = None
    open_source: bool | None = None
    added_since: datetime | None = None
    sort: str = ""  # "" = relevance when searching, else newest

    def effective_sort(self) -> str:
        if self.sort in SORTS and not (self.sort == "relevance" and not self.q.strip()):
            return self.sort
        return "relevance" if self.q.strip() else "newest"


@dataclass(frozen=True)
class ToolPage:
    """One page of tools with the total that matched (None when not counted) and mention counts."""

    items: list[Tool]
    total: int | None
    mentions: dict[int, int] = field(default_factory=dict)


def _filtered(stmt, query: ToolQuery):  # type: ignore[no-untyped-def]
    if query.category:
        stmt = stmt.where(Tool.category == query.category)
    if query.pricing:
        stmt = stmt.where(Tool.pricing == query.pricing)
    if query.open_source is not None:
        stmt = stmt.where(Tool.open_source == query.open_source)
    if query.added_since is not None:
        stmt = stmt.where(Tool.added_at >= query.added_since)
    if query.tag:
        stmt = stmt.where(col(Tool.id).in_(sa.select(tool_tag.c.tool_id).where(tool_tag.c.tag == query.tag)))
    return stmt


def query_tools(query: ToolQuery, *, session: Session, limit: int = 50, offset: int = 0,
                with_total: bool = True) -> ToolPage:
    """One page of the directory: filters, optional full-text search, one of `SORTS`.

    Two steps, so paging stays fast at 10,000 tools: first the page's ids from a narrow query the sort
    indexes can walk (`(added_at, id)`, `(lower(name), id)`, `tool_mentions(mentions, tool_id)`), then the
    full rows for those ids only. A query with no searchable word (only punctuation, say) matches nothing.
    """
    from .search import ranked_tool_ids, tool_match

    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    match = tool_match(query.q, session=session) if query.q.strip() else None
    if query.q.strip() and match is None:
        return ToolPage(items=[], total=0 if with_total else None)
    sort = query.effective_sort()
    unfiltered = match is None and query == ToolQuery(sort=query.sort)
    if sort == "mentions" and unfiltered:
        keys = sa.select(tool_mentions.c.tool_id).order_by(tool_mentions.c.mentions.desc(),
                                                           tool_mentions.c.tool_id.desc())
    else:
        keys = _filtered(sa.select(Tool.id), query)
        if match is not None:
            keys = match.apply(keys)
        if sort == "name":
            keys = keys.order_by(sa.func.lower(Tool.name), col(Tool.id))
        elif sort == "mentions":
            keys = keys.join(tool_mentions, tool_mentions.c.tool_id == Tool.id).order_by(
                tool_mentions.c.mentions.desc(), tool_mentions.c.tool_id.desc())
        else:
            keys = keys.order_by(col(Tool.added_at).desc(), col(Tool.id).desc())
    if sort == "relevance" and match is not None:
        ids = ranked_tool_ids(query.q, session=session, restrict=lambda stmt: _filtered(stmt, query),
                              limit=limit, offset=offset)
    else:
        ids = [row[0] for row in session.execute(keys.limit(limit).offset(offset)).all()]
    items: list[Tool] = []
    mentions: dict[int, int] = {}
    if ids:
        rows = session.exec(
            select(Tool, sa.func.coalesce(tool_mentions.c.mentions, 0))
            .outerjoin(tool_mentions, tool_mentions.c.tool_id == Tool.id)
            .where(col(Tool.id).in_(ids))
        ).all()
        by_id = {t.id: (t, int(m)) for t, m in rows}
        items = [by_id[i][0] for i in ids if i in by_id]
        mentions = {i: by_id[i][1] for i in ids if i in by_id}
    total: int | None = None
    if with_total:
        if unfiltered:
            total = count_tools(session=session)
        else:
            count_stmt = select(sa.func.count()).select_from(Tool)
            if match is not None:
                count_stmt = match.apply(count_stmt)
            total = session.exec(_filtered(count_stmt, query)).one()
    return ToolPage(items=items, total=total, mentions=mentions)


def count_tools_matching(query: ToolQuery, *, session: Session) -> int:
    return query_tools(replace(query, sort="newest"), session=session, limit=1).total or 0


def mention_count(tool_id: int, *, session: Session) -> int:
    value = session.exec(sa.select(tool_mentions.c.mentions).where(tool_mentions.c.tool_id == tool_id)).first()
    return int(value[0]) if value else 0


def alternatives(tool: Tool, *, session: Session, limit: int = 6, pool: int = 200) -> list[tuple[Tool, int]]:
    """Other tools ranked by what they share with `tool`: 2 points for the category, 1 per shared tag.

    One statement: the `pool` best tag-sharers (grouping the (tag, tool_id) index alone, several times
    cheaper than grouping a join with tool) and the `pool` newest tools of the category are the candidates;
    each is scored and the best `limit` returned, ties to the newer tool. It was five queries scored in
    Python: on PostgreSQL each round trip waits for the server's turn on a busy machine, and those waits,
    not the queries, made most of the tool page's time.
    """
    tags = list(dict.fromkeys(t for t in (tool.tags or []) if isinstance(t, str)))[:20]
    same = (sa.select(col(Tool.id).label("id")).where(col(Tool.category) == tool.category, col(Tool.id) != tool.id)
            .order_by(col(Tool.added_at).desc(), col(Tool.id).desc()).limit(pool).subquery())
    candidates = sa.select(same.c.id)
    score: sa.ColumnElement[int] = sa.case((col(Tool.category) == tool.category, 2), else_=0)
    shared = None
    if tags:
        sharers = (sa.select(tool_tag.c.tool_id.label("id"))
                   .where(tool_tag.c.tag.in_(tags), tool_tag.c.tool_id != tool.id).group_by(tool_tag.c.tool_id)
                   .order_by(sa.func.count().desc(), tool_tag.c.tool_id.desc()).limit(pool).subquery())
        candidates = sa.union(sa.select(sharers.c.id), candidates)  # type: ignore[assignment]
    peers = candidates.cte("peers")
    if tags:
        shared = (sa.select(tool_tag.c.tool_id, sa.func.count().label("n"))
                  .where(tool_tag.c.tool_id.in_(sa.select(peers.c.id)), tool_tag.c.tag.in_(tags))
                  .group_by(tool_tag.c.tool_id).subquery())
        score = score + sa.func.coalesce(shared.c.n, 0)
    stmt = select(Tool, score).join(peers, peers.c.id == Tool.id)
    if shared is not None:
        stmt = stmt.outerjoin(shared, shared.c.tool_id == Tool.id)
    stmt = stmt.where(score > 0).order_by(score.desc(), col(Tool.added_at).desc(), col(Tool.id).desc()).limit(limit)
    return [(t, int(n)) for t, n in session.exec(stmt).all()]


def tool_news(tool_id: int, *, session: Session, limit: int = 20) -> list[tuple[Article, Source]]:
    """The articles that mention a tool, newest first, with their source: the tool page's timeline."""
    stmt = (
        select(Article, Source)
        .join(ArticleTool, col(ArticleTool.article_id) == Article.id)
        .join(Source, col(Source.id) == Article.source_id)
        .where(ArticleTool.tool_id == tool_id)
        .order_by(col(Article.published_at).desc(), col(Article.id).desc())
        .limit(limit)
    )
    return [(a, s) for a, s in session.exec(stmt).all()]


def get_tools(slugs: Sequence[str], *, session: Session) -> list[Tool]:
    """Tools by slug in the order asked (unknown slugs dropped, duplicates once): the compare view."""
    wanted = list(dict.fromkeys(s for s in slugs if s))[:10]
    if not wanted:
        return []
    found = {t.slug: t for t in session.exec(select(Tool).where(col(Tool.slug).in_(wanted))).all()}
    return [found[s] for s in wanted if s in found]


def popular_tags(*, session: Session, limit: int = 40, category: str | None = None) -> list[tuple[str, int]]:
    """The most used tags (with counts), for the tag filter."""
    stmt = sa.select(tool_tag.c.tag, sa.func.count().label("n"))
    if category:
        stmt = stmt.join(Tool, col(Tool.id) == tool_tag.c.tool_id).where(Tool.category == category)
    stmt = stmt.group_by(tool_tag.c.tag).order_by(sa.desc("n"), tool_tag.c.tag).limit(limit)
    return [(tag, int(n)) for tag, n in session.exec(stmt).all()]


def get_category(slug: str, *, session: Session) -> Category | None:
    return session.get(Category, slug)


NEW_WINDOWS = {"today": timedelta(days=1), "week": timedelta(days=7)}


class BadQuery(ValueError):
    """A filter parameter that does not parse; the message names it."""


def tool_query_from_params(params: Mapping[str, str], *, now: datetime | None = None) -> ToolQuery:
    """The URL's filter state → a ToolQuery. Unknown values raise BadQuery naming the parameter.

    Parameters: `q`, `category`, `tag`, `pricing`, `open_source` (1/0/true/false), `new` (today|week),
    `sort` (relevance|newest|name|mentions). The same names serve `/tools?…` and `/api/tools?…`.
    """
    def get(name: str) -> str:
        return (params.get(name) or "").strip()

    pricing = get("pricing")
    if pricing and pricing not in PRICINGS:
        raise BadQuery(f"pricing must be one of {', '.join(PRICINGS)}")
    sort = get("sort")
    if sort and sort not in SORTS:
        raise BadQuery(f"sort must be one of {', '.join(SORTS)}")
    flag = get("open_source").lower()
    if flag and flag not in ("1", "0", "true", "false", "yes", "no"):
        raise BadQuery("open_source must be 1 or 0")
    new = get("new")
    if new and new not in NEW_WINDOWS:
        raise BadQuery("new must be today or week")
    since = (now or utcnow()) - NEW_WINDOWS[new] if new else None
    return ToolQuery(q=get("q")[:200], category=get("category")[:64] or None, tag=get("tag")[:80] or None,
                     pricing=pricing or None,
                     open_source=None if not flag else flag in ("1", "true", "yes"),
                     added_since=since, sort=sort)


def page_params(params: Mapping[str, str], *, default_per_page: int = 50) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1…MAX_PAGE_SIZE) from the URL; BadQuery when they do not parse."""
    try:
        page = int(params.get("page") or 1)
        per_page = int(params.get("per_page") or default_per_page)
    except ValueError as exc:
        raise BadQuery("page and per_page must be whole numbers") from exc
    if page < 1 or page > 100_000:
        raise BadQuery("page must be between 1 and 100000")
    if not 1 <= per_page <= MAX_PAGE_SIZE:
        raise BadQuery(f"per_page must be between 1 and {MAX_PAGE_SIZE}")
    return page, per_page


def tool_detail_public(tool: Tool, *, session: Session) -> dict[str, object]:
    """Everything the tool page shows, as JSON-ready data: the listing with provenance, alternatives, news."""
    return {
        **tool_public(tool),
        "description": tool.description,
        "license": tool.license,
        "updated_at": tool.updated_at,
        "checked_at": tool.checked_at,
        "mentions": mention_count(tool.id or 0, session=session),
        "alternatives": [{"slug": t.slug, "name": t.name, "tagline": t.tagline, "shared": score}
                         for t, score in alternatives(tool, session=session)],
        "news": [{"slug": a.slug, "title": a.title, "published_at": a.published_at,
                  "url": a.url if url_is_publishable(a.url) else "", "source": public_source_name(s)}
                 for a, s in tool_news(tool.id or 0, session=session)],
    }
