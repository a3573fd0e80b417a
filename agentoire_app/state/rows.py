"""Row shapes the list components render: frozen dataclasses, so a page reads `row.title` (checked by mypy)
rather than `row["title"]`, and Reflex sends each as a plain JSON object. Numbers stay numbers where the
page compares them; dates come both as the label shown and as ISO text for `<time datetime>`."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Article, Source, Tool
from ..services.sources import public_source_name
from ._format import plain_text, short_date


@dataclass(frozen=True, slots=True)
class ArticleRow:
    slug: str
    href: str
    title: str
    category: str
    date: str
    source: str
    summary: str = ""
    date_iso: str = ""
    related: bool = False  # a search result found by meaning, not by its words


@dataclass(frozen=True, slots=True)
class ToolRow:
    slug: str
    href: str
    name: str
    tagline: str
    category: str
    pricing: str = ""


@dataclass(frozen=True, slots=True)
class CategoryOption:
    slug: str
    name: str


def article_row(article: Article, source: Source, *, related: bool = False) -> ArticleRow:
    return ArticleRow(
        slug=article.slug,
        href=f"/news/{article.slug}",
        title=article.title,
        category=article.category,
        date=short_date(article.published_at),
        source=public_source_name(source),
        summary=plain_text(article.summary, 200),
        related=related,
    )


def tool_row(tool: Tool) -> ToolRow:
    return ToolRow(
        slug=tool.slug,
        href=f"/tools/{tool.slug}",
        name=tool.name,
        tagline=tool.tagline,
        category=tool.category,
        pricing=tool.pricing,
    )
