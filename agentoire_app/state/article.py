"""One article page."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..services.news import article_neighbours, get_article
from ..services.removed import get_removed_article
from ._format import long_date, slug_from_path, source_name


class ArticleState(rx.State):
    slug: str = ""
    found: bool = True
    loaded: bool = False
    removed: bool = False  # retention removed the story: its link says so rather than "not found"
    removed_note: str = ""
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
    def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.slug = slug
        with session_scope() as session:
            row = get_article(slug, session=session)
            if row is None:
                gone = get_removed_article(slug, session=session)
                self.found, self.loaded, self.removed = gone is not None, True, gone is not None
                if gone is not None:
                    self.title, self.url = gone.title, gone.url
                    self.date = long_date(gone.published_at)
                    self.removed_note = (f"This story was removed from agentoire on {long_date(gone.removed_at)}: "
                                         f"{gone.reason}. The original is still at its source.")
                return
            article, source = row
            older, newer = article_neighbours(article, session=session)
        self.found, self.removed, self.removed_note = True, False, ""
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
