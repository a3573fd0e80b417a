"""Builders for directory tests: categories, tools, sources, articles and mentions in a few lines."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from agentoire_app.checks.latest import latest_columns, latest_facts, refresh_latest
from agentoire_app.models import Article, ArticleTool, Category, Source, Tool, ToolFact

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def categories(session: Session, *slugs: str) -> None:
    for i, slug in enumerate(slugs or ("agents", "coding", "models", "other")):
        session.add(Category(slug=slug, name=slug.title(), position=i))
    session.commit()


def tool(session: Session, name: str, *, slug: str | None = None, days: int = 0, **fields: object) -> Tool:
    slug = slug or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    fields.setdefault("category", "other")
    fields.setdefault("homepage", f"https://{slug}.example.com/")
    fields.setdefault("domain", f"{slug}.example.com")
    row = Tool(slug=slug, name=name, added_at=BASE + timedelta(days=days), **fields)  # type: ignore[arg-type]
    session.add(row)
    session.commit()
    return row


def source(session: Session, url: str = "https://news.example.org/feed.xml", title: str = "Example News") -> Source:
    row = Source(url=url, title=title, site_url=url.rsplit("/", 1)[0])
    session.add(row)
    session.commit()
    return row


def article(session: Session, src: Source, title: str, *, days: int = 0, summary: str = "",
            mentions: tuple[Tool, ...] = (), category: str = "product") -> Article:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:150] + f"-{days}"
    row = Article(slug=slug, source_id=src.id, guid=slug, url=f"https://news.example.org/{slug}", title=title,
                  summary=summary, category=category, published_at=BASE + timedelta(days=days))  # type: ignore[arg-type]
    session.add(row)
    session.commit()
    for t in mentions:
        session.add(ArticleTool(article_id=row.id, tool_id=t.id))  # type: ignore[arg-type]
    session.commit()
    return row


def snapshot(session: Session, row: Tool, kind: str, **facts: object) -> ToolFact:
    """A check's snapshot of `row`, stored as the checks store it: with the row's summary rewritten."""
    fact = ToolFact(tool_id=row.id or 0, kind=kind, **facts)  # type: ignore[arg-type]
    session.add(fact)
    refresh_latest([row], session=session)
    session.commit()
    return fact


def assert_summaries_follow_history(session: Session) -> None:
    """Every tool's summary columns equal the fold of its newest snapshots (None where never read)."""
    session.expire_all()
    tools = session.exec(select(Tool)).all()
    folded = latest_facts([t.id or 0 for t in tools], session=session)
    mismatched = []
    for row in tools:
        expected = latest_columns(folded.get(row.id or 0))
        stored = {name: getattr(row, name) for name in expected}
        if stored != expected:
            mismatched.append((row.slug, stored, expected))
    assert not mismatched, mismatched
