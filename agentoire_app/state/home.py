"""The home page: today's top stories, the papers lane, latest news and newest tools."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..models import utcnow
from ..services.news import list_articles
from ..services.stories import ranked_stories
from ..services.tools import list_tools
from .rows import article_row, tool_row
from .stories import StoryCard, story_card

TOP_STORIES = 10
PAPERS = 5


class HomeState(rx.State):
    stories: list[StoryCard] = rx.field(default_factory=list)
    papers: list[StoryCard] = rx.field(default_factory=list)
    articles: list[dict[str, str]] = rx.field(default_factory=list)
    tools: list[dict[str, str]] = rx.field(default_factory=list)
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        with session_scope() as session:
            top, papers, _ = ranked_stories(session=session, now=utcnow(), limit=TOP_STORIES)
            self.stories = [story_card(v) for v in top]
            self.papers = [story_card(v) for v in papers[:PAPERS]]
            self.articles = [article_row(a, s) for a, s in list_articles(session=session, limit=8)]
            self.tools = [tool_row(t) for t in list_tools(session=session, limit=8)]
        self.loaded = True

    @rx.event
    def refresh_live(self) -> None:
        """New stories landed: re-rank and reload the lists if the home page is the one being read."""
        if self.loaded and str(self.router.url.path).rstrip("/") in ("", "/"):
            self.load()
