"""The directory's listing: filters, full-text search and sorts over tools, one page at a time.

`ToolQuery` is the whole filter state (what `/tools` keeps in its URL and `/api/tools` takes as params);
`query_tools` reads a page of it; the search's SQL (match, tiers) comes from `search.py` below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Tool, utcnow
from .paging import MAX_PAGE_SIZE, BadQuery
from .search import count_tool_matches, ranked_tool_ids, tool_match
from .tool_facts import ACTIVITIES, activity_clause
from .tools import count_tagged, count_tools, tool_mentions, tool_tag

SORTS = ("relevance", "newest", "name", "mentions", "stars", "release")
PRICINGS = ("free", "freemium", "paid", "open-source", "unknown")


@dataclass(frozen=True)
class ToolQuery:
    """The directory's whole filter state: what `/tools` keeps in its URL and `/api/tools` takes as params."""

    q: str = ""
    category: str | None = None
    tag: str | None = None
    pricing: str | None = None
    open_source: bool | None = None
    added_since: datetime | None = None
    activity: str | None = None  # one of tool_facts.ACTIVITIES, as the checks last read it
    sort: str = ""  # "" = relevance when searching, else newest
    now: datetime | None = field(default=None, compare=False)  # the activity's clock; None = utcnow()

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


# Any select over tools (ids, counts): filtering keeps its columns.
_Select = TypeVar("_Select", bound="sa.Select[*tuple[Any, ...]]")


def _filtered(stmt: _Select, query: ToolQuery, *, sqlite: bool = False) -> _Select:
    if query.category:
        stmt = stmt.where(col(Tool.category) == query.category)
    if query.pricing:
        stmt = stmt.where(col(Tool.pricing) == query.pricing)
    if query.open_source is not None:
        stmt = stmt.where(col(Tool.open_source) == query.open_source)
    if query.added_since is not None:
        stmt = stmt.where(col(Tool.added_at) >= query.added_since)
    if query.tag:
        # SQLite, in a category: the tag's tools are a set that each tool is tested against while the category's
        # sort index is walked, a walk bounded by the category. Left to itself SQLite fetches the tag's tools
        # one by one and sorts them all (15 ms against 1 ms for a common tag at 100,000 tools); the `+` keeps
        # it from looking tools up by that id. PostgreSQL weighs the two from its statistics.
        key = sa.literal_column("+tool.id") if sqlite and query.category else col(Tool.id)
        stmt = stmt.where(key.in_(sa.select(tool_tag.c.tool_id).where(tool_tag.c.tag == query.tag)))
    if query.activity:
        stmt = stmt.where(activity_clause(query.activity, query.now or utcnow()))
    return stmt


def query_tools(query: ToolQuery, *, session: Session, limit: int = 50, offset: int = 0,
                with_total: bool = True) -> ToolPage:
    """One page of the directory: filters, optional full-text search, one of `SORTS`.

    Two steps, so paging stays fast at 100,000 tools: first the page's ids from a narrow query the sort
    indexes can walk (`(added_at, id)`, `(lower(name), id)`, `tool_mentions(mentions, tool_id)`, and with a
    category `(category, added_at)`, `(category, lower(name), id)`), then the full rows for those ids only.
    Totals come from an index or a kept count, never from reading every matching row (migrations 0013, 0014:
    all tools, or a tag's in a category or in all).
    A query with no searchable word (only punctuation, say) matches nothing.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    match = tool_match(query.q, session=session) if query.q.strip() else None
    if query.q.strip() and match is None:
        return ToolPage(items=[], total=0 if with_total else None)
    sort = query.effective_sort()
    sqlite = session.get_bind().dialect.name == "sqlite"
    unfiltered = match is None and query == ToolQuery(sort=query.sort)
    # A tag (in a category) and nothing else: its total is one of the kept tag counts.
    tag_alone = query.tag if match is None and replace(query, category=None, tag=None) == ToolQuery(sort=query.sort) \
        else None
    if sort == "mentions" and unfiltered:
        keys = sa.select(tool_mentions.c.tool_id).order_by(tool_mentions.c.mentions.desc(),
                                                           tool_mentions.c.tool_id.desc())
    else:
        keys = _filtered(sa.select(col(Tool.id)), query, sqlite=sqlite)
        if match is not None:
            keys = match.apply(keys)
        if sort == "name":
            keys = keys.order_by(sa.func.lower(Tool.name), col(Tool.id))
        elif sort in ("stars", "release"):  # most stars / newest release first; never read: last
            by = col(Tool.stars) if sort == "stars" else col(Tool.latest_release_at)
            keys = keys.order_by(by.desc().nulls_last(), col(Tool.id).desc())
        elif sort == "mentions":
            keys = keys.join(tool_mentions, tool_mentions.c.tool_id == Tool.id).order_by(
                tool_mentions.c.mentions.desc(), tool_mentions.c.tool_id.desc())
        else:
            keys = keys.order_by(col(Tool.added_at).desc(), col(Tool.id).desc())
    if sort == "relevance" and match is not None:
        ids = ranked_tool_ids(query.q, session=session, restrict=lambda stmt: _filtered(stmt, query, sqlite=sqlite),
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
        elif tag_alone:
            total = count_tagged(tag_alone, category=query.category, session=session)
        elif match is not None and query == ToolQuery(q=query.q, sort=query.sort):
            total = count_tool_matches(query.q, session=session)
        else:
            count_stmt = select(sa.func.count()).select_from(Tool)
            if match is not None:
                count_stmt = match.apply(count_stmt)
            total = session.exec(_filtered(count_stmt, query, sqlite=sqlite)).one()
    return ToolPage(items=items, total=total, mentions=mentions)


def count_tools_matching(query: ToolQuery, *, session: Session) -> int:
    return query_tools(replace(query, sort="newest"), session=session, limit=1).total or 0


def search_tools(query: str, *, session: Session, category: str | None = None, tag: str | None = None,
                 pricing: str | None = None, open_source: bool | None = None,
                 added_since: datetime | None = None, limit: int = 20, offset: int = 0) -> list[Tool]:
    """Tools matching `query`, best first (see the module docstring), with the directory's filters."""
    page = query_tools(ToolQuery(q=query, category=category, tag=tag, pricing=pricing, open_source=open_source,
                                 added_since=added_since, sort="relevance"),
                       session=session, limit=limit, offset=offset, with_total=False)
    return page.items


NEW_WINDOWS = {"today": timedelta(days=1), "week": timedelta(days=7)}


def tool_query_from_params(params: Mapping[str, str], *, now: datetime | None = None) -> ToolQuery:
    """The URL's filter state → a ToolQuery. Unknown values raise BadQuery naming the parameter.

    Parameters: `q`, `category`, `tag`, `pricing`, `open_source` (1/0/true/false), `new` (today|week),
    `activity` (active|quiet|stale|archived), `sort` (relevance|newest|name|mentions|stars|release).
    The same names serve `/tools?…` and `/api/tools?…`.
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
    activity = get("activity")
    if activity and activity not in ACTIVITIES:
        raise BadQuery(f"activity must be one of {', '.join(ACTIVITIES)}")
    since = (now or utcnow()) - NEW_WINDOWS[new] if new else None
    return ToolQuery(q=get("q")[:200], category=get("category")[:64] or None, tag=get("tag")[:80] or None,
                     pricing=pricing or None,
                     open_source=None if not flag else flag in ("1", "true", "yes"),
                     added_since=since, activity=activity or None, sort=sort, now=now)
