"""Making notes for stored articles: the facts notes after each refresh, and `notes rebuild`.

Notes are made after storage rather than while preparing entries because they need the catalog's
alternatives, a database query per mentioned tool (cached for the round). Only articles the refresh
inserted or changed are touched (those stamped with the round's `fetched_at`), through the fetched_at index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..db import session_scope
from ..ingest.clean import html_to_text
from ..models import Article, ArticleTool, Category, Tool
from ..services.tools import alternatives
from .compose import FACTS_ORIGIN, ToolFacts, compose_facts_notes
from .facts import StoryFacts, extract_facts
from .sentences import MAX_TEXT_CHARS
from .summary import make_summary

BATCH = 200


def article_text(article: Article) -> str:
    """The story's own words, as facts and grounding read them: title, summary, then the body (capped)."""
    body = html_to_text(article.content_html)[:MAX_TEXT_CHARS]
    parts = [article.title.strip().rstrip(".") + "."]
    if article.summary and not body.startswith(article.summary.rstrip("…")):
        parts.append(article.summary)
    parts.append(body)
    return " ".join(p for p in parts if p)


@dataclass
class CatalogView:
    """The catalog as the notes see it, with per-round caches (categories, a tool's two alternatives)."""

    session: Session
    _categories: dict[str, str] | None = None
    _alternatives: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def _category(self, slug: str) -> str:
        if self._categories is None:
            self._categories = {c.slug: c.name for c in self.session.exec(select(Category)).all()}
        return self._categories.get(slug, slug)

    def _alternatives_of(self, tool: Tool) -> tuple[tuple[str, str], ...]:
        assert tool.id is not None
        if tool.id not in self._alternatives:
            self._alternatives[tool.id] = tuple(
                (t.slug, t.name) for t, _score in alternatives(tool, session=self.session, limit=2))
        return self._alternatives[tool.id]

    def tools_of(self, article_id: int) -> list[ToolFacts]:
        """The catalog tools linked to the article (by mention matching at ingest), in name order."""
        tools = self.session.exec(
            select(Tool).join(ArticleTool, col(ArticleTool.tool_id) == Tool.id)
            .where(ArticleTool.article_id == article_id).order_by(col(Tool.name))
        ).all()
        return [ToolFacts(slug=t.slug, name=t.name, category=self._category(t.category), license=t.license,
                          open_source=t.open_source, alternatives=self._alternatives_of(t)) for t in tools]


def facts_for(article: Article) -> StoryFacts:
    return extract_facts(article_text(article))


def facts_notes(article: Article, view: CatalogView) -> str:
    assert article.id is not None
    return compose_facts_notes(facts_for(article), view.tools_of(article.id))


def _write_facts_notes(articles: Iterable[Article], session: Session, *, resummarize: bool) -> int:
    view = CatalogView(session)
    count = 0
    for article in articles:
        values: dict[str, str] = {"notes_html": facts_notes(article, view), "notes_origin": FACTS_ORIGIN,
                                  "notes_key": ""}
        if resummarize:
            body = html_to_text(article.content_html)
            values["summary"] = make_summary(dek_text=article.summary, body_text=body)
        session.execute(sa.update(Article).where(col(Article.id) == article.id).values(**values))
        count += 1
    return count


def note_fresh_articles(db_url: str | None, *, since: datetime) -> int:
    """Facts notes for the articles stored or changed at or after `since` (one refresh round)."""
    with session_scope(db_url) as session:
        articles = session.exec(select(Article).where(col(Article.fetched_at) >= since)).all()
        count = _write_facts_notes(articles, session, resummarize=False)
        session.commit()
    return count


def article_ids_since(session: Session, since: datetime | None) -> Sequence[int]:
    query = select(Article.id).order_by(col(Article.id))
    if since is not None:
        query = query.where(col(Article.published_at) >= since)
    return [i for i in session.exec(query).all() if i is not None]


def rebuild_facts_notes(db_url: str | None, *, since: datetime | None = None,
                        progress: Callable[[int], None] | None = None) -> int:
    """Summaries and facts notes remade for every article (published at or after `since`)."""
    done = 0
    with session_scope(db_url) as session:
        ids = article_ids_since(session, since)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            articles = session.exec(select(Article).where(col(Article.id).in_(chunk))).all()
            done += _write_facts_notes(articles, session, resummarize=True)
            session.commit()
            if progress:
                progress(len(chunk))
    return done
