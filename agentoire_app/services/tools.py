"""Reading the directory: one tool, lists of tools, counts, what a tool page shows.

The filtered and searched listing (`/tools`, `/api/tools`) is `directory.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from ..models import Article, ArticleTool, Category, Source, Tool
from .sources import public_source_name, url_is_publishable
from .tool_facts import facts_public

# Side tables kept by triggers (migration 0002); not models, since nothing writes them but the database.
tool_mentions = sa.table("tool_mentions", sa.column("tool_id", sa.Integer), sa.column("mentions", sa.Integer))
tool_tag = sa.table("tool_tag", sa.column("tool_id", sa.Integer), sa.column("tag", sa.Text))
# One row holding how many tools there are, kept by triggers on `tool` (migration 0013).
tool_count = sa.table("tool_count", sa.column("tools", sa.Integer))
# How many tools carry each tag, overall (category `OVERALL`) and per category, kept by triggers (migration 0014).
tag_count = sa.table("tag_count", sa.column("tag", sa.Text), sa.column("category", sa.String),
                     sa.column("n", sa.Integer))
OVERALL = ""  # tag_count's category for every tool: no category's slug is empty
# What changes when a tool joins or leaves the directory (an edit changes neither): the highest id and the
# kept count, two index lookups, for the things a worker holds built from the tools (`concurrency.rebuilt`).
TOOLS_JOINED_OR_LEFT = (sa.select(sa.func.max(col(Tool.id))).scalar_subquery(), tool_count.c.tools)


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


def tool_slugs_by_id(*, session: Session) -> list[tuple[str, datetime]]:
    """(slug, updated_at) of every tool in catalog order, for the sitemap."""
    return [(slug, updated) for slug, updated in session.exec(select(Tool.slug, Tool.updated_at).order_by(col(Tool.id))).all()]


def count_tools(*, session: Session) -> int:
    """How many tools there are, from the row the triggers keep: `count(*)` read every row of the table
    (a sequential scan of 100,000 wide rows on PostgreSQL) for the status bar and every unfiltered page."""
    return int(session.execute(sa.select(tool_count.c.tools)).scalar_one())


def count_tools_added_since(since: datetime, *, session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Tool).where(Tool.added_at >= since)).one()


def list_categories(*, session: Session) -> Sequence[Category]:
    return session.exec(select(Category).order_by(col(Category.position), col(Category.name))).all()


def tool_public(tool: Tool) -> dict[str, object]:
    """The contract's public shape of a tool (`agentoire tools list --json`, `/api/tools`), with what the
    tool checks last read (the row's summary; all null until read)."""
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
        **facts_public(tool),
    }


def mention_count(tool_id: int, *, session: Session) -> int:
    value = session.execute(sa.select(tool_mentions.c.mentions).where(tool_mentions.c.tool_id == tool_id)).first()
    return int(value[0]) if value else 0


def tools_revision(*, session: Session) -> str:
    """A cheap token that changes when a tool is added, removed or edited, by this app or by anything else
    writing the database (a catalog import from the CLI): the push listener's fallback check reads it."""
    last_id, count, edited = session.execute(
        sa.select(sa.func.max(col(Tool.id)), sa.func.count(), sa.func.max(col(Tool.updated_at)))).one()
    return f"{last_id or 0}:{count}:{edited}"


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


@dataclass(frozen=True)
class ToolTimeline:
    """The tool page's news: the newest articles that mention the tool, with their source, and how many
    articles mention it in all."""

    news: list[tuple[Article, Source]]
    mentions: int


def tool_timeline(tool_id: int, *, session: Session, limit: int = 20) -> ToolTimeline:
    """The newest `limit` articles mentioning a tool and its mention count, in one statement.

    The count rides on every row (no row means no mention, as every mention has its article and source):
    on a busy PostgreSQL each round trip waits for the server's turn, and the tool page's waits, not its
    queries, were most of its time. The articles' bodies and notes are not read: a timeline shows titles.
    """
    # On PostgreSQL the tool's id is written into the statement, not bound: psycopg prepares a statement after
    # five runs and PostgreSQL may then keep one generic plan for every value, which for this one is "read
    # every mention and sort" (140 ms for a tool named in 5,000 articles, against 1 ms for walking the date
    # index, the plan made for that tool). Its own text per tool keeps each tool's plan its own. SQLite plans
    # every run for its values anyway, and a bound id lets it reuse the prepared statement.
    own_text = session.get_bind().dialect.name == "postgresql"
    tool = sa.bindparam("timeline_tool_id", tool_id, type_=sa.Integer, literal_execute=own_text)
    mentions = sa.select(tool_mentions.c.mentions).where(tool_mentions.c.tool_id == tool).scalar_subquery()
    stmt = (
        select(Article, Source, mentions)
        .join(ArticleTool, col(ArticleTool.article_id) == Article.id)
        .join(Source, col(Source.id) == Article.source_id)
        .where(col(ArticleTool.tool_id) == tool)
        .order_by(col(Article.published_at).desc(), col(Article.id).desc())
        .options(*(defer(cast("QueryableAttribute[str]", body), raiseload=True)
                   for body in (Article.content_html, Article.notes_html)))
        .limit(limit)
    )
    rows = session.exec(stmt).all()
    return ToolTimeline([(a, s) for a, s, _count in rows], int(rows[0][2] or 0) if rows else 0)


def tool_news(tool_id: int, *, session: Session, limit: int = 20) -> list[tuple[Article, Source]]:
    """The articles that mention a tool, newest first, with their source (see `tool_timeline`)."""
    return tool_timeline(tool_id, session=session, limit=limit).news


def get_tools(slugs: Sequence[str], *, session: Session) -> list[Tool]:
    """Tools by slug in the order asked (unknown slugs dropped, duplicates once): the compare view."""
    wanted = list(dict.fromkeys(s for s in slugs if s))[:10]
    if not wanted:
        return []
    found = {t.slug: t for t in session.exec(select(Tool).where(col(Tool.slug).in_(wanted))).all()}
    return [found[s] for s in wanted if s in found]


def popular_tags(*, session: Session, limit: int = 40, category: str | None = None) -> list[tuple[str, int]]:
    """The most used tags (with counts, ties by tag), for the tag filter, overall or in one category.

    Read from the counts the triggers keep: grouping `tool_tag` read every one of its rows (half a million
    at 100,000 tools) on every `/tools` load; the kept counts answer from an index walked in this order."""
    stmt = (sa.select(tag_count.c.tag, tag_count.c.n).where(tag_count.c.category == (category or OVERALL))
            .order_by(tag_count.c.n.desc(), tag_count.c.tag).limit(limit))
    return [(tag, int(n)) for tag, n in session.execute(stmt).all()]


def count_tagged(tag: str, *, session: Session, category: str | None = None) -> int:
    """How many tools carry `tag`, overall or in one category: one row of the kept counts, where counting the
    tag's tools (in the category) read each of them (thousands for a common tag at 100,000 tools)."""
    stmt = sa.select(tag_count.c.n).where(tag_count.c.tag == tag, tag_count.c.category == (category or OVERALL))
    return int(session.execute(stmt).scalar() or 0)


def get_category(slug: str, *, session: Session) -> Category | None:
    return session.get(Category, slug)


def tool_detail_public(tool: Tool, *, session: Session) -> dict[str, object]:
    """Everything the tool page shows, as JSON-ready data: the listing with provenance, alternatives, news.
    `checked_at` is the contract's: when the tool checks last read it (null until then), as in the list."""
    timeline = tool_timeline(tool.id or 0, session=session)
    return {
        **tool_public(tool),
        "description": tool.description,
        "license": tool.license,
        "updated_at": tool.updated_at,
        "mentions": timeline.mentions,
        "alternatives": [{"slug": t.slug, "name": t.name, "tagline": t.tagline, "shared": score}
                         for t, score in alternatives(tool, session=session)],
        "news": [{"slug": a.slug, "title": a.title, "published_at": a.published_at,
                  "url": a.url if url_is_publishable(a.url) else "", "source": public_source_name(s)}
                 for a, s in timeline.news],
    }
