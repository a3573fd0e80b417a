"""Builders for directory tests: categories, tools, sources, articles and mentions in a few lines."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from agentoire_app.models import Article, ArticleTool, Category, Source, Tool

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
