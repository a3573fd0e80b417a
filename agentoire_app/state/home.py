"""The home page: today's top stories, the papers lane, latest news and newest tools."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from .. import pulse
from ..concurrency import in_session
from ..models import utcnow
from ..services.news import list_articles
from ..services.stories import ranked_stories
from ..services.tools import list_tools
from .rows import ArticleRow, ToolRow, article_row, tool_row
from .stories import StoryCard, story_card

TOP_STORIES = 10
PAPERS = 5


def _read_home(session: Session) -> tuple[list[StoryCard], list[StoryCard], list[ArticleRow], list[ToolRow]]:
    top, papers, _ = ranked_stories(session=session, now=utcnow(), limit=TOP_STORIES)
    articles = [article_row(a, s) for a, s in list_articles(session=session, limit=8)]
    return ([story_card(v) for v in top], [story_card(v) for v in papers[:PAPERS]], articles,
            [tool_row(t) for t in list_tools(session=session, limit=8)])


class HomeState(rx.State):
    stories: rx.Field[list[StoryCard]] = rx.field(default_factory=list)
    papers: rx.Field[list[StoryCard]] = rx.field(default_factory=list)
    articles: rx.Field[list[ArticleRow]] = rx.field(default_factory=list)
    tools: rx.Field[list[ToolRow]] = rx.field(default_factory=list)
    loaded: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        await self._load()

    async def _load(self) -> None:
        # Apart from the handler so `refresh_live` awaits it as a plain coroutine.
        self.stories, self.papers, self.articles, self.tools = await in_session(_read_home)
        self.loaded = True

    @rx.event
    async def refresh_live(self) -> None:
        """New stories landed: re-rank and reload the lists if the home page is the one being read."""
        if self.loaded and str(self.router.url.path).rstrip("/") in ("", "/"):
            # One read per push for every tab of the worker: the home page is the same for every reader.
            self.stories, self.papers, self.articles, self.tools = await pulse.shared_read(
                "home", lambda: in_session(_read_home))
            self.loaded = True
