"""The article page's story: the other sources' articles on the same event, and earlier stories about the
tools it mentions. Its own state, loaded beside `ArticleState`, so the article itself never waits on it."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..services.news import get_article
from ..services.stories import earlier_stories_about_tools, story_of_article
from ._format import slug_from_path
from .stories import AlsoLink, StoryCard, also_link, story_card

EARLIER_STORIES = 5


class ArticleStoryState(rx.State):
    also: list[AlsoLink] = rx.field(default_factory=list)
    earlier: list[StoryCard] = rx.field(default_factory=list)

    @rx.event
    def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.also, self.earlier = [], []
        with session_scope() as session:
            row = get_article(slug, session=session)
            if row is None:
                return
            article, _source = row
            story = story_of_article(article, session=session)
            if story is not None:
                # every other source's article, this one's own source left out
                self.also = [also_link(a) for a in story.articles
                             if a.slug != slug and a.source_url != _source.url]
            self.earlier = [story_card(v) for v in earlier_stories_about_tools(article, session=session,
                                                                              limit=EARLIER_STORIES)]
