"""The news list, and the state of each source for the empty page."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..services.news import list_articles, list_sources
from ._format import source_name
from .rows import article_row

PAGE_SIZE = 50


def _source_state(source) -> dict[str, str]:  # type: ignore[no-untyped-def]
    if source.retired:
        state, reason = "retired", "the feed is gone (410)"
    elif source.last_status == "never":
        state, reason = "not fetched yet", ""
    elif source.last_status == "error":
        state, reason = "failing", source.last_error or "unknown error"
    else:
        state, reason = "ok", ""
    return {"name": source_name(source.title, source.url), "url": source.url, "state": state, "reason": reason}


class NewsState(rx.State):
    articles: list[dict[str, str]] = rx.field(default_factory=list)
    sources: list[dict[str, str]] = rx.field(default_factory=list)
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        with session_scope() as session:
            self.articles = [article_row(a, s) for a, s in list_articles(session=session, limit=PAGE_SIZE)]
            self.sources = [] if self.articles else [_source_state(s) for s in list_sources(session=session)]
        self.loaded = True
