"""The article page's story: the other sources' articles on the same event, and earlier stories about the
tools it mentions. Its own state, loaded beside `ArticleState`, so the article itself never waits on it."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from ..concurrency import in_session
from ..services.news import get_article
from ..services.stories import earlier_stories_about_tools, story_of_article
from ._format import slug_from_path
from .stories import AlsoLink, StoryCard, also_link, story_card

EARLIER_STORIES = 5


def _read_story(slug: str, session: Session) -> tuple[list[AlsoLink], list[StoryCard]]:
    """The other sources' articles on this article's story, and earlier stories about its tools."""
    row = get_article(slug, session=session)
    if row is None:
        return [], []
    article, source = row
    story = story_of_article(article, session=session)
    # every other source's article, this one's own source left out
    also = ([also_link(a) for a in story.articles if a.slug != slug and a.source_url != source.url]
            if story is not None else [])
    earlier = [story_card(v) for v in earlier_stories_about_tools(article, session=session, limit=EARLIER_STORIES)]
    return also, earlier


class ArticleStoryState(rx.State):
    also: rx.Field[list[AlsoLink]] = rx.field(default_factory=list)
    earlier: rx.Field[list[StoryCard]] = rx.field(default_factory=list)

    @rx.event
    async def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.also, self.earlier = [], []
        self.also, self.earlier = await in_session(lambda session: _read_story(slug, session))
