"""The home page: latest news and newest tools."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from ..concurrency import in_session
from ..services.news import list_articles
from ..services.tools import list_tools
from .rows import ArticleRow, ToolRow, article_row, tool_row


def _read_home(session: Session) -> tuple[list[ArticleRow], list[ToolRow]]:
    articles = [article_row(a, s) for a, s in list_articles(session=session, limit=8)]
    return articles, [tool_row(t) for t in list_tools(session=session, limit=8)]


class HomeState(rx.State):
    articles: rx.Field[list[ArticleRow]] = rx.field(default_factory=list)
    tools: rx.Field[list[ToolRow]] = rx.field(default_factory=list)
    loaded: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        await self._load()

    async def _load(self) -> None:
        # Apart from the handler so `refresh_live` awaits it as a plain coroutine.
        self.articles, self.tools = await in_session(_read_home)
        self.loaded = True

    @rx.event
    async def refresh_live(self) -> None:
        """New stories landed: reload the lists if the home page is the one being read."""
        if self.loaded and str(self.router.url.path).rstrip("/") in ("", "/"):
            await self._load()
