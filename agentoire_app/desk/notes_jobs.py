"""Making notes for stored articles: the catalog's part after each refresh, and `notes rebuild`.

The story's part of the facts notes is made while preparing entries (text work, in the parse workers);
the catalog's part needs the database (the tools an article is linked to, their alternatives), so it is
added here after storage. Only articles the refresh inserted or changed are touched (those stamped with
the round's `fetched_at`), through the fetched_at index. `notes rebuild` remakes everything from scratch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..db import session_scope
from ..ingest.clean import html_to_text
from ..models import Article, ArticleTool, Category, Tool, table_of
from ..notes.compose import (
    FACTS_ORIGIN,
    MODEL_ORIGIN_PREFIX,
    ToolFacts,
    compose_facts_notes,
    facts_part,
    join_sections,
    tools_section,
)
from ..notes.facts import StoryFacts, extract_facts, story_text
from ..notes.llm import notes_key
from ..notes.sentences import MAX_TEXT_CHARS
from ..notes.summary import make_summary
from ..services.tools import alternatives

BATCH = 200


def article_text(article: Article) -> str:
    """The story's own words, as facts and grounding read them (see `facts.story_text`)."""
    return story_text(article.title, article.summary, html_to_text(article.content_html)[:MAX_TEXT_CHARS])


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

    def tools_by_article(self, article_ids: Sequence[int]) -> dict[int, list[ToolFacts]]:
        """The catalog tools linked to each article (by mention matching at ingest), in name order."""
        rows = self.session.exec(
            select(ArticleTool.article_id, Tool).join(Tool, col(Tool.id) == ArticleTool.tool_id)
            .where(col(ArticleTool.article_id).in_(list(article_ids))).order_by(col(Tool.name))
        ).all()
        found: dict[int, list[ToolFacts]] = {}
        for article_id, t in rows:
            found.setdefault(article_id, []).append(ToolFacts(
                slug=t.slug, name=t.name, category=self._category(t.category), license=t.license,
                open_source=t.open_source, alternatives=self._alternatives_of(t)))
        return found

    def tools_of(self, article_id: int) -> list[ToolFacts]:
        return self.tools_by_article([article_id]).get(article_id, [])


def facts_for(article: Article) -> StoryFacts:
    return extract_facts(article_text(article))


def facts_notes(article: Article, view: CatalogView) -> str:
    assert article.id is not None
    return compose_facts_notes(facts_for(article), view.tools_of(article.id))


def _write_facts_notes(articles: Sequence[Article], session: Session, *, resummarize: bool) -> int:
    """Notes (and summaries) made from scratch for `articles`, computed first, then written in batches."""
    view = CatalogView(session)
    rows: list[dict[str, object]] = []
    for article in articles:
        row: dict[str, object] = {"article_id": article.id, "notes_html": facts_notes(article, view),
                                  "notes_origin": FACTS_ORIGIN, "notes_key": ""}
        if resummarize:
            row["summary"] = make_summary(dek_text=html_to_text(article.summary),
                                          body_text=html_to_text(article.content_html))
        rows.append(row)
    _write(session, rows)
    return len(rows)


def _is_current_model_notes(origin: str, key: str, content_hash: str) -> bool:
    model = origin.removeprefix(MODEL_ORIGIN_PREFIX)
    return origin.startswith(MODEL_ORIGIN_PREFIX) and key == notes_key(content_hash, model)


def note_fresh_articles(db_url: str | None, *, since: datetime) -> int:
    """The catalog's part put in front of the story's part (made while preparing) for the articles stored
    or changed at or after `since`; a model's notes still current for their article are left alone.

    Cheap on purpose, since the refresh awaits it: no text work, one query per batch of articles for their
    tools, a few per distinct tool for alternatives (cached), and batched writes.
    """
    written = 0
    with session_scope(db_url) as session:
        ids = [i for i in session.exec(select(Article.id).where(col(Article.fetched_at) >= since)
                                       .order_by(col(Article.id))).all() if i is not None]
        view = CatalogView(session)
        # A batch at a time, written as it goes: a 20,000-entry refresh never holds every note at once.
        for start in range(0, len(ids), BATCH):
            rows = session.execute(
                sa.select(col(Article.id), col(Article.notes_html), col(Article.notes_origin),
                          col(Article.notes_key), col(Article.content_hash))
                .where(col(Article.id).in_(ids[start:start + BATCH]))
            ).all()
            fresh = [(i, html) for i, html, origin, key, digest in rows
                     if i is not None and not _is_current_model_notes(origin, key, digest)]
            tools = view.tools_by_article([i for i, _ in fresh])
            _write(session, [{"article_id": i,
                              "notes_html": join_sections(tools_section(tools.get(i, [])), facts_part(html)),
                              "notes_origin": FACTS_ORIGIN, "notes_key": ""} for i, html in fresh])
            written += len(fresh)
    return written


def _write(session: Session, rows: list[dict[str, object]]) -> None:
    """Batched updates by article id, each batch its own short transaction (SQLite has one writer)."""
    session.rollback()  # end the read transaction before writing
    if not rows:
        return
    table = table_of(Article)
    columns = [c for c in ("notes_html", "notes_origin", "notes_key", "summary") if c in rows[0]]
    statement = (sa.update(table).where(table.c.id == sa.bindparam("article_id"))
                 .values({c: sa.bindparam(c) for c in columns}))
    for start in range(0, len(rows), BATCH):
        session.connection().execute(statement, rows[start:start + BATCH])
        session.commit()


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
            if progress:
                progress(len(chunk))
    return done
