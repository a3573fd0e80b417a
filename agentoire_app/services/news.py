"""Reading the news desk: one article, lists of articles, the tools an article mentions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Article, ArticleTool, Source, Story, Tool
from ..notes.summary import body_without_summary
from .sources import public_source_name, url_is_publishable


def get_article(slug: str, *, session: Session) -> tuple[Article, Source] | None:
    row = session.exec(
        select(Article, Source).join(Source, col(Source.id) == Article.source_id).where(Article.slug == slug)
    ).first()
    return (row[0], row[1]) if row else None


_Select = TypeVar("_Select", bound="sa.Select[*tuple[Any, ...]]")


def _filtered(stmt: _Select, *, source_url: str | None, category: str | None, tool_id: int | None) -> _Select:
    """The news list's filters, one definition for the rows and their count."""
    stmt = stmt.join(Source, col(Source.id) == Article.source_id)
    if tool_id is not None:
        stmt = stmt.join(ArticleTool, col(ArticleTool.article_id) == Article.id).where(col(ArticleTool.tool_id) == tool_id)
    if source_url:
        stmt = stmt.where(col(Source.url) == source_url)
    if category:
        stmt = stmt.where(col(Article.category) == category)
    return stmt


def list_articles(*, session: Session, limit: int = 50, offset: int = 0, source_url: str | None = None,
                  category: str | None = None, tool_id: int | None = None) -> Sequence[tuple[Article, Source]]:
    """Articles, newest first, with their source."""
    query = _filtered(select(Article, Source), source_url=source_url, category=category, tool_id=tool_id)
    query = query.order_by(col(Article.published_at).desc(), col(Article.id).desc())
    return [(a, s) for a, s in session.exec(query.limit(limit).offset(offset)).all()]


def count_articles(*, session: Session, source_url: str | None = None, category: str | None = None,
                   tool_id: int | None = None) -> int:
    """How many articles `list_articles` pages through with the same filters."""
    stmt = _filtered(select(sa.func.count()).select_from(Article), source_url=source_url, category=category,
                     tool_id=tool_id)
    return int(session.exec(stmt).one())


def article_slugs_by_date(*, session: Session, limit: int) -> list[tuple[str, datetime]]:
    """(slug, published_at) of the newest articles, for the sitemap."""
    rows = session.exec(select(Article.slug, Article.published_at)
                        .order_by(col(Article.published_at).desc()).limit(limit)).all()
    return [(slug, published) for slug, published in rows]


def tools_mentioned(article_id: int, *, session: Session) -> Sequence[Tool]:
    return session.exec(
        select(Tool).join(ArticleTool, col(ArticleTool.tool_id) == Tool.id)
        .where(ArticleTool.article_id == article_id).order_by(col(Tool.name))
    ).all()


def notes_origin_line(origin: str) -> str:
    """Where an article's notes come from, in words (the article page and the Atom feed say the same)."""
    if origin.startswith("model:"):
        return f"written by {origin.removeprefix('model:')} from the story's text"
    return "from the story's text and our catalog"


def shown_body_html(article: Article) -> str:
    """The body the article page shows under the summary: without the lead the summary already gives."""
    return body_without_summary(article.summary, article.content_html)


def article_public(article: Article, source: Source) -> dict[str, object]:
    """The contract's public shape of an article (`agentoire news list --json`, `/api/news`)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "url": article.url,
        "source_url": source.url,
        "published_at": article.published_at,
        "category": article.category,
        "summary": article.summary,
        "content_html": article.content_html,
        "notes_html": article.notes_html,
        "notes_origin": article.notes_origin,
    }


def article_open_web(article: Article, source: Source) -> dict[str, object]:
    """`article_public` for the open web: a private source's addresses are left out, its name kept."""
    item = article_public(article, source)
    if not url_is_publishable(source.url):
        item["source_url"] = ""
    if not url_is_publishable(article.url):
        item["url"] = ""
    item["source"] = public_source_name(source)
    return item


def list_sources(*, session: Session) -> Sequence[Source]:
    """Every source, for the news page's empty state (what has been fetched, what is failing and why)."""
    return session.exec(select(Source).order_by(col(Source.title), col(Source.url))).all()


def article_neighbours(article: Article, *, session: Session) -> tuple[str | None, str | None]:
    """Slugs of the previous (older) and next (newer) stories in the news list's order.

    A row-value comparison, `(published_at, id) < (…, …)`, so both databases walk the (published_at, id)
    index from the article and stop at the first row: the spelled-out OR made SQLite gather every older
    article and sort them, a cost that grew with the archive (the article page's cold load with it).
    """
    key = sa.tuple_(col(Article.published_at), col(Article.id))
    here = sa.tuple_(sa.literal(article.published_at, sa.inspect(Article).c.published_at.type),
                     sa.literal(article.id))
    older = session.exec(
        select(Article.slug).where(key < here)
        .order_by(col(Article.published_at).desc(), col(Article.id).desc()).limit(1)
    ).first()
    newer = session.exec(
        select(Article.slug).where(key > here)
        .order_by(col(Article.published_at), col(Article.id)).limit(1)
    ).first()
    return older, newer


def news_revision(*, session: Session) -> str:
    """A cheap token that changes whenever the refresher adds or updates articles.

    Open pages poll it (one indexed aggregate) and reload their list only when it changed, so browsers see
    new stories without a reload whichever process did the refresh.
    """
    # Two index lookups (the primary key and ix_article_fetched_at): a new story raises max(id), an update
    # in place stamps fetched_at. No count(*): at 100,000 articles it scanned for ~20 ms on every poll.
    last_id = session.exec(select(sa.func.max(col(Article.id)))).one()
    last_fetch = session.exec(select(sa.func.max(col(Article.fetched_at)))).one()
    stamp = last_fetch.isoformat() if last_fetch is not None and hasattr(last_fetch, "isoformat") else str(last_fetch)
    # Stories are placed after a refresh's stores: their stamp makes an open front page re-rank when they land.
    story = session.exec(select(sa.func.max(col(Story.updated_at)))).one()
    return f"{last_id or 0}:{stamp}:{story}"
