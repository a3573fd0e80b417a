"""Reading stories: the front page's ranked stories, one article's story, and the `story` of articles.

The ranking itself is `stories.rank` (pure); this module only gathers what it reads: open stories, which
sources cover each, and which sources are high-volume today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Article, ArticleTool, Source, Story, to_stored, utcnow
from ..stories.rank import StoryCoverage, high_volume_sources, rank_stories
from .sources import public_source_name, url_is_publishable
from .tools import tool_mentions

TOP_WINDOW = timedelta(hours=48)  # the front page's "today", with a margin for time zones and slow feeds
CANDIDATES = 400  # most-covered open stories the ranking looks at; the rest cannot make a front page
EARLIER_MENTIONS = 50  # an article page's earlier stories come from this many earlier articles on its tools
WALK_ABOVE_MENTIONS = 1000  # tools named more often in all are met by walking the archive by date


@dataclass
class StoryArticle:
    slug: str
    url: str
    source_url: str
    source_name: str
    title: str
    published_at: datetime


@dataclass
class StoryView:
    """A story as pages, the API and the CLI show it: its lead article first."""

    id: int
    slug: str
    title: str
    score: float
    source_count: int
    article_count: int
    first_seen: datetime
    last_seen: datetime
    articles: list[StoryArticle] = field(default_factory=list)

    @property
    def lead(self) -> StoryArticle | None:
        return self.articles[0] if self.articles else None

    @property
    def also(self) -> list[StoryArticle]:
        """One article per other source (the first each wrote), for "also covered by"."""
        seen = {self.articles[0].source_url} if self.articles else set()
        others = []
        for article in self.articles[1:]:
            if article.source_url not in seen:
                seen.add(article.source_url)
                others.append(article)
        return others


def story_public(view: StoryView, *, public: bool = False) -> dict[str, object]:
    """The contract's shape: `agentoire stories list --json` and `/api/stories` items (`public`: for the
    open web, where a private source's addresses are left out)."""

    def shown(url: str) -> str:
        return url if not public or url_is_publishable(url) else ""

    return {
        "slug": view.slug, "title": view.title, "score": view.score, "source_count": view.source_count,
        "article_count": view.article_count, "first_seen": view.first_seen, "last_seen": view.last_seen,
        "articles": [{"slug": a.slug, "url": shown(a.url), "source_url": shown(a.source_url), "title": a.title}
                     for a in view.articles],
    }


def _views(stories: Sequence[Story], scores: dict[int, float], *, session: Session) -> list[StoryView]:
    ids = [s.id for s in stories if s.id is not None]
    members: dict[int, list[tuple[Article, Source]]] = defaultdict(list)
    if ids:
        rows = session.exec(select(Article, Source).join(Source, col(Source.id) == Article.source_id)
                            .where(col(Article.story_id).in_(ids))
                            .order_by(col(Article.published_at), col(Article.id))).all()
        for article, source in rows:
            members[article.story_id or 0].append((article, source))
    views = []
    for story in stories:
        rows = sorted(members.get(story.id or 0, []), key=lambda r: r[0].id != story.lead_article_id)
        views.append(StoryView(
            id=story.id or 0, slug=story.slug, title=story.title, score=scores.get(story.id or 0, 0.0),
            source_count=story.source_count, article_count=story.article_count,
            first_seen=to_stored(story.first_seen), last_seen=to_stored(story.last_seen),
            articles=[StoryArticle(a.slug, a.url, s.url, public_source_name(s), a.title, to_stored(a.published_at))
                      for a, s in rows]))
    return views


def ranked_stories(*, session: Session, now: datetime | None = None, limit: int = 10,
                   offset: int = 0) -> tuple[list[StoryView], list[StoryView], int]:
    """(top stories, papers lane, how many top stories there are), ranked as `stories.rank` says.

    "Today" is the day of the newest story when that is older than `now`: a desk whose feeds went quiet
    (or a copy of last week's database) still leads with its last day's stories instead of nothing.
    """
    now = now or utcnow()
    newest = session.exec(select(sa.func.max(col(Story.last_seen)))).one()
    if newest is not None:
        now = min(now, to_stored(newest))
    since = now - TOP_WINDOW
    candidates = session.exec(select(Story).where(col(Story.last_seen) >= since)
                              .order_by(col(Story.source_count).desc(), col(Story.last_seen).desc(), col(Story.id))
                              .limit(CANDIDATES)).all()
    by_id = {s.id: s for s in candidates if s.id is not None}
    sources: dict[int, set[int]] = defaultdict(set)
    lead_source: dict[int, int] = {}
    if by_id:
        for story_id, source_id, article_id in session.exec(
                select(Article.story_id, Article.source_id, Article.id).where(col(Article.story_id).in_(list(by_id)))):
            key = story_id or 0
            sources[key].add(source_id)
            if by_id[key].lead_article_id == article_id:
                lead_source[key] = source_id
    daily = session.exec(select(Article.source_id, sa.func.count()).where(
        col(Article.published_at) >= now - timedelta(days=1)).group_by(col(Article.source_id))).all()
    coverage = [StoryCoverage(sid, lead_source.get(sid, 0), frozenset(sources[sid]), to_stored(s.last_seen))
                for sid, s in by_id.items()]
    top, papers = rank_stories(coverage, now=now, high_volume=high_volume_sources(list(daily)))
    scores = {c.story_id: value for c, value in (*top, *papers)}
    top_page = [by_id[c.story_id] for c, _ in top[offset:offset + limit]]
    lane = [by_id[c.story_id] for c, _ in papers[:limit]]
    return _views(top_page, scores, session=session), _views(lane, scores, session=session), len(top)


def story_of_article(article: Article, *, session: Session) -> StoryView | None:
    if article.story_id is None:
        return None
    story = session.get(Story, article.story_id)
    return _views([story], {}, session=session)[0] if story else None


def earlier_stories_about_tools(article: Article, *, session: Session, limit: int = 5,
                                mentions: int = EARLIER_MENTIONS,
                                walk_above: int = WALK_ABOVE_MENTIONS) -> list[StoryView]:
    """Stories before this one whose articles mention a tool this article mentions, newest first: those of
    the newest `mentions` articles before this one that name one of its tools.

    Bounded, because the article page runs it on every visit: gathering every article that ever named a
    popular tool read 5,000 rows for one named in 5,000 (47 ms on PostgreSQL at 100,000 articles) and grew
    with the archive. Which way to look is chosen from the tools' mention counts (kept by the database), not
    left to a planner that may have no statistics: when the tools are named `walk_above` times or fewer in
    all, their articles are listed from the mentions index (at most that many); more common tools are met
    by walking the articles before this one by date, newest first, which finds `mentions` of them soon
    because they are common. An article naming no tool costs one lookup.
    """
    named = session.execute(
        sa.select(col(ArticleTool.tool_id), sa.func.coalesce(tool_mentions.c.mentions, 0))
        .outerjoin(tool_mentions, tool_mentions.c.tool_id == ArticleTool.tool_id)
        .where(col(ArticleTool.article_id) == article.id)).all()
    if not named:
        return []
    tool_ids = [tool_id for tool_id, _count in named]
    naming: sa.ColumnElement[bool]
    if sum(int(count) for _tool_id, count in named) <= walk_above:
        ids = session.exec(select(ArticleTool.article_id).where(col(ArticleTool.tool_id).in_(tool_ids))).all()
        naming = col(Article.id).in_(list(ids))
    else:
        naming = sa.exists().where(col(ArticleTool.article_id) == Article.id, col(ArticleTool.tool_id).in_(tool_ids))
    recent = select(Article.story_id).where(col(Article.published_at) < article.published_at,
                                            col(Article.story_id).is_not(None), naming)
    if article.story_id is not None:
        recent = recent.where(Article.story_id != article.story_id)
    recent_ids = recent.order_by(col(Article.published_at).desc(), col(Article.id).desc()).limit(mentions).subquery()
    stories = session.exec(select(Story).where(col(Story.id).in_(select(recent_ids.c.story_id)))
                           .order_by(col(Story.last_seen).desc(), col(Story.id)).limit(limit)).all()
    return _views(stories, {}, session=session)


def story_slugs(article_ids: Sequence[int], *, session: Session) -> dict[int, str]:
    """article id → its story's slug, for the `story` field of `news list --json` and `/api/news`."""
    result: dict[int, str] = {}
    ids = list(article_ids)
    for i in range(0, len(ids), 400):
        rows = session.exec(select(Article.id, Story.slug).join(Story, col(Story.id) == Article.story_id)
                            .where(col(Article.id).in_(ids[i:i + 400]))).all()
        result.update((article_id, slug) for article_id, slug in rows if article_id is not None)
    return result
