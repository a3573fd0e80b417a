"""One article page."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session

from ..concurrency import in_session
from ..models import Article, RemovedArticle, Source
from ..models.text import long_date
from ..services.news import article_neighbours, get_article, notes_origin_line, shown_body_html
from ..services.removed import get_removed_article
from ..services.sources import public_source_name
from ._format import slug_from_path


def _read_article(slug: str, session: Session) -> tuple[Article, Source, str | None, str | None] | RemovedArticle | None:
    """The article with its source and neighbours; else what retention left of it; else None."""
    row = get_article(slug, session=session)
    if row is None:
        return get_removed_article(slug, session=session)
    article, source = row
    older, newer = article_neighbours(article, session=session)
    return article, source, older, newer


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
    notes_origin: str = ""
    url: str = ""
    older: str = ""
    newer: str = ""

    @rx.event
    async def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.slug = slug
        found = await in_session(partial(_read_article, slug))
        if found is None or isinstance(found, RemovedArticle):
            self.found, self.loaded, self.removed = found is not None, True, found is not None
            if isinstance(found, RemovedArticle):
                self.title, self.url = found.title, found.url
                self.date = long_date(found.published_at)
                self.removed_note = (f"This story was removed from agentoire on {long_date(found.removed_at)}: "
                                     f"{found.reason}. The original is still at its source.")
            return
        article, source, older, newer = found
        self.found, self.removed, self.removed_note = True, False, ""
        self.title = article.title
        self.category = article.category
        self.date = long_date(article.published_at)
        self.source = public_source_name(source)
        self.summary = article.summary
        # content_html is sanitised on ingest (nh3) and notes_html is built from escaped text, so both render as HTML;
        # the body drops the lead the summary shows, so no text appears twice.
        self.body_html = shown_body_html(article)
        self.notes_html = article.notes_html
        self.notes_origin = notes_origin_line(article.notes_origin)
        self.url = article.url
        self.older = older or ""
        self.newer = newer or ""
        self.loaded = True
