"""`/news`: stories newest first, or the best matches for a search; a category filter; and, with no story
yet, the state of each source instead of a blank page.

`?view=top` lists stories instead, ranked as the front page ranks them; `?view=latest` (the default)
the articles. As on `/tools`, the URL is the state (`/news?view=…&q=…&category=…&page=…`): controls navigate and `load` (run on
every location change, the back button included) reads it back. `refresh_live` reloads an open list when
the status bar notices new stories (see `StatusState.refresh`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from .. import pulse
from ..concurrency import in_session
from ..ingest.categorize import CATEGORY_DESCRIPTIONS
from ..models import Article, Source, utcnow
from ..services.news import list_articles, list_sources
from ..services.paging import page_or_first
from ..services.related import search_articles_with_related
from ..services.sources import source_status_public
from ..services.stories import ranked_stories
from .rows import ArticleRow, article_row
from .stories import StoryCard, story_card

PAGE_SIZE = 50
NEWS_CATEGORIES: tuple[str, ...] = tuple(CATEGORY_DESCRIPTIONS)
VIEWS = ("latest", "top")


def news_href(q: str = "", category: str = "", page: int = 1, view: str = "latest") -> str:
    """`/news?…` with only the non-default parameters, in a stable order."""
    params = [(k, v) for k, v in (("view", "" if view == "latest" else view), ("q", q), ("category", category))
              if v]
    if page > 1:
        params.append(("page", str(page)))
    return "/news" + ("?" + urlencode(params) if params else "")


@dataclass(frozen=True, slots=True)
class SourceStateRow:
    """One source in the empty news page: its name, public address, state and a short reason."""

    name: str
    url: str
    state: str
    reason: str


def _source_state(source: Source) -> SourceStateRow:
    """What the empty state shows of a source: never a private address or raw error text."""
    public = source_status_public(source)
    return SourceStateRow(name=public["name"], url=public["url"], state=public["state"], reason=public["reason"])


def _read_news(q: str, category: str, page: int,
               session: Session) -> tuple[list[ArticleRow], list[SourceStateRow], bool]:
    """The page's rows, the sources' states when there is nothing to show, and whether a next page exists."""
    offset = (page - 1) * PAGE_SIZE
    rows: Sequence[tuple[Article, Source, bool]]
    if q:
        rows = search_articles_with_related(q, session=session, category=category or None,
                                            limit=PAGE_SIZE + 1, offset=offset)
    else:
        rows = [(a, s, False) for a, s in list_articles(session=session, category=category or None,
                                                        limit=PAGE_SIZE + 1, offset=offset)]
    articles = [article_row(a, s, related=related) for a, s, related in rows[:PAGE_SIZE]]
    filtered = bool(q or category or page > 1)
    sources = [] if articles or filtered else [_source_state(s) for s in list_sources(session=session)]
    return articles, sources, len(rows) > PAGE_SIZE


class NewsState(rx.State):
    articles: rx.Field[list[ArticleRow]] = rx.field(default_factory=list)
    stories: rx.Field[list[StoryCard]] = rx.field(default_factory=list)
    view: rx.Field[str] = rx.field("latest")
    sources: rx.Field[list[SourceStateRow]] = rx.field(default_factory=list)
    categories: rx.Field[list[str]] = rx.field(default_factory=lambda: list(NEWS_CATEGORIES))
    q: rx.Field[str] = rx.field("")
    category: rx.Field[str] = rx.field("")
    page: rx.Field[int] = rx.field(1)
    prev_href: rx.Field[str] = rx.field("")
    next_href: rx.Field[str] = rx.field("")
    loaded: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        await self._load(shared=False)

    async def _load(self, *, shared: bool) -> None:
        """Read the list the URL asks for; `shared` (a push's reload) reuses the worker's read of it."""
        params = self.router.url.query_parameters
        view = str(params.get("view", "") or "")
        self.view = view if view in VIEWS else "latest"
        self.q = str(params.get("q", "") or "").strip()[:200]
        category = str(params.get("category", "") or "")
        self.category = category if category in NEWS_CATEGORIES else ""
        self.page = page_or_first(params.get("page"))
        offset = (self.page - 1) * PAGE_SIZE
        if self.view == "top":
            await self._load_top(offset, shared=shared)
            return
        self.stories = []
        read = partial(in_session, partial(_read_news, self.q, self.category, self.page))
        self.articles, self.sources, more = await (
            pulse.shared_read(("news", self.q, self.category, self.page), read) if shared else read())
        self.prev_href = news_href(self.q, self.category, self.page - 1) if self.page > 1 else ""
        self.next_href = news_href(self.q, self.category, self.page + 1) if more else ""
        self.loaded = True

    async def _load_top(self, offset: int, *, shared: bool) -> None:
        read = partial(in_session, lambda session: ranked_stories(session=session, now=utcnow(), limit=PAGE_SIZE,
                                                                  offset=offset))
        top, _papers, total = await (pulse.shared_read(("top", offset), read) if shared else read())
        self.stories = [story_card(v) for v in top]
        self.articles, self.sources = [], []
        self.prev_href = news_href(page=self.page - 1, view="top") if self.page > 1 else ""
        self.next_href = news_href(page=self.page + 1, view="top") if total > offset + PAGE_SIZE else ""
        self.loaded = True

    @rx.event
    async def refresh_live(self) -> None:
        """New stories landed: reload the list if it is the page being read."""
        if self.loaded and str(self.router.url.path).rstrip("/") == "/news":
            await self._load(shared=True)

    @rx.event
    def search(self, value: str) -> EventSpec:
        # One history entry per search, not per keystroke.
        return rx.redirect(news_href(value.strip()[:200], self.category), replace=True)

    @rx.event
    def set_category(self, value: str) -> EventSpec:
        return rx.redirect(news_href(self.q, value if value in NEWS_CATEGORIES else ""))
