"""Trends from the stories: mentions per tool per day, rising tools, category volume, new tools per week.

Mentions are `ArticleTool` rows dated by their article's publication. Days and weeks are counted in UTC,
in Python over the rows of the window (a few thousand at most), so SQLite and PostgreSQL agree without
dialect-specific date functions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from ..models import Article, ArticleTool, Tool, to_stored, utcnow

TREND_DAYS = 30
RISING_MIN_MENTIONS = 3  # a tool needs a few stories this week to be "rising", not one lucky mention


def mentions_per_day(tool_id: int, *, session: Session, days: int = TREND_DAYS,
                     now: datetime | None = None) -> list[tuple[date, int]]:
    """One (day, mentions) per day of the last `days`, oldest first, zeros included (a chart needs them)."""
    end = to_stored(now or utcnow()).date()
    start = end - timedelta(days=days - 1)
    stamps = session.exec(select(Article.published_at).join(ArticleTool, col(ArticleTool.article_id) == Article.id)
                          .where(ArticleTool.tool_id == tool_id,
                                 col(Article.published_at) >= datetime.combine(start, datetime.min.time(),
                                                                               tzinfo=to_stored(now or utcnow()).tzinfo)
                                 )).all()
    counts = Counter(to_stored(s).date() for s in stamps)
    return [(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0)) for i in range(days)]


@dataclass(frozen=True)
class Rising:
    slug: str
    name: str
    this_week: int
    weekly_before: float  # mean of the four weeks before


def rising_tools(*, session: Session, now: datetime | None = None, limit: int = 10) -> list[Rising]:
    """Tools mentioned more this week than in an average week of the four before, most risen first."""
    now = to_stored(now or utcnow())
    week_start, window_start = now - timedelta(days=7), now - timedelta(days=35)
    rows = session.exec(select(ArticleTool.tool_id, Article.published_at)
                        .join(Article, col(Article.id) == ArticleTool.article_id)
                        .where(col(Article.published_at) >= window_start, col(Article.published_at) <= now)).all()
    recent: Counter[int] = Counter()
    before: Counter[int] = Counter()
    for tool_id, published in rows:
        (recent if to_stored(published) >= week_start else before)[tool_id] += 1
    scored = [(tool_id, n, before[tool_id] / 4) for tool_id, n in recent.items()
              if n >= RISING_MIN_MENTIONS and n > before[tool_id] / 4]
    scored.sort(key=lambda item: (-(item[1] - item[2]), item[0]))
    names = {t.id: t for t in session.exec(select(Tool).where(col(Tool.id).in_([s[0] for s in scored[:limit]])))}
    return [Rising(names[i].slug, names[i].name, n, avg) for i, n, avg in scored[:limit] if i in names]


def _week(value: datetime) -> date:
    day = to_stored(value).date()
    return day - timedelta(days=day.weekday())


def category_volume(*, session: Session, weeks: int = 12, now: datetime | None = None) -> list[dict[str, object]]:
    """Stories per news category per week (Monday), oldest week first: {"week": date, category: n, …}."""
    now = to_stored(now or utcnow())
    start = _week(now) - timedelta(weeks=weeks - 1)
    rows = session.exec(select(Article.published_at, Article.category)
                        .where(col(Article.published_at) >= datetime.combine(start, datetime.min.time(),
                                                                              tzinfo=now.tzinfo))).all()
    table: dict[date, Counter[str]] = {start + timedelta(weeks=i): Counter() for i in range(weeks)}
    for published, category in rows:
        week = _week(published)
        if week in table:
            table[week][category] += 1
    return [{"week": week, **counts} for week, counts in table.items()]


def new_tools_per_week(*, session: Session, weeks: int = 12, now: datetime | None = None) -> list[tuple[date, int]]:
    """How many tools joined the directory each week (Monday), oldest first, zeros included."""
    now = to_stored(now or utcnow())
    start = _week(now) - timedelta(weeks=weeks - 1)
    stamps = session.exec(select(Tool.added_at).where(
        col(Tool.added_at) >= datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo))).all()
    counts = Counter(_week(s) for s in stamps)
    return [(start + timedelta(weeks=i), counts.get(start + timedelta(weeks=i), 0)) for i in range(weeks)]
