"""One article page."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session

from ..concurrency import in_session
from ..models import Article, Source
from ..services.news import article_neighbours, get_article
from ._format import long_date, slug_from_path, source_name


def _read_article(slug: str, session: Session) -> tuple[Article, Source, str | None, str | None] | None:
    row = get_article(slug, session=session)
    if row is None:
        return None
    article, source = row
    older, newer = article_neighbours(article, session=session)
    return article, source, older, newer


class ArticleState(rx.State):
    slug: str = ""
    found: bool = True
    loaded: bool = False
    title: str = ""
    category: str = ""
    date: str = ""
    source: str = ""
    summary: str = ""
    body_html: str = ""
    notes_html: str = ""
    url: str = ""
    older: str = ""
    newer: str = ""

    @rx.event
    async def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.slug = slug
        found = await in_session(partial(_read_article, slug))
        if found is None:
            self.found, self.loaded = False, True
            return
        article, source, older, newer = found
        self.found = True
        self.title = article.title
        self.category = article.category
        self.date = long_date(article.published_at)
        self.source = source_name(source.title, source.site_url or source.url)
        self.summary = article.summary
        # content_html and notes_html are sanitised on ingest (nh3), so they are rendered as HTML here.
        self.body_html = article.content_html
        self.notes_html = article.notes_html
        self.url = article.url
        self.older = older or ""
        self.newer = newer or ""
        self.loaded = True
