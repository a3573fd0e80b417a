"""One article page."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..services.news import article_neighbours, get_article, notes_origin_line
from ._format import long_date, slug_from_path, source_name


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
    notes_origin: str = ""
    url: str = ""
    older: str = ""
    newer: str = ""

    @rx.event
    def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.slug = slug
        with session_scope() as session:
            row = get_article(slug, session=session)
            if row is None:
                self.found, self.loaded = False, True
                return
            article, source = row
            older, newer = article_neighbours(article, session=session)
        self.found = True
        self.title = article.title
        self.category = article.category
        self.date = long_date(article.published_at)
        self.source = source_name(source.title, source.site_url or source.url)
        self.summary = article.summary
        # content_html is sanitised on ingest (nh3) and notes_html is built from escaped text, so both render as HTML.
        self.body_html = article.content_html
        self.notes_html = article.notes_html
        self.notes_origin = notes_origin_line(article.notes_origin)
        self.url = article.url
        self.older = older or ""
        self.newer = newer or ""
        self.loaded = True
