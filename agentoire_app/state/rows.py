"""Row shapes the list components render (plain dicts of strings: cheap to send, easy to foreach)."""

from __future__ import annotations

from ..models import Article, Source, Tool
from ._format import plain_text, short_date, source_name


def article_row(article: Article, source: Source) -> dict[str, str]:
    return {
        "slug": article.slug,
        "href": f"/news/{article.slug}",
        "title": article.title,
        "category": article.category,
        "date": short_date(article.published_at),
        "source": source_name(source.title, source.site_url or source.url),
        "summary": plain_text(article.summary, 200),
    }


def tool_row(tool: Tool) -> dict[str, str]:
    return {
        "slug": tool.slug,
        "href": f"/tools/{tool.slug}",
        "name": tool.name,
        "tagline": tool.tagline,
        "category": tool.category,
        "pricing": tool.pricing,
    }
