"""The home page: latest news and newest tools."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..services.news import list_articles
from ..services.tools import list_tools
from .rows import article_row, tool_row


class HomeState(rx.State):
    articles: list[dict[str, str]] = rx.field(default_factory=list)
    tools: list[dict[str, str]] = rx.field(default_factory=list)
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        with session_scope() as session:
            self.articles = [article_row(a, s) for a, s in list_articles(session=session, limit=8)]
            self.tools = [tool_row(t) for t in list_tools(session=session, limit=8)]
        self.loaded = True

    @rx.event
    def refresh_live(self) -> None:
        """New stories landed: reload the lists if the home page is the one being read."""
        if self.loaded and str(self.router.url.path).rstrip("/") in ("", "/"):
            self.load()
