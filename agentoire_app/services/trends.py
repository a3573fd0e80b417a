"""Trends from the stories: mentions per tool per day, rising tools, category volume, new tools per week.

Mentions are `ArticleTool` rows dated by their article's publication. Days and weeks are counted in UTC.
The counting happens in the database, one pass per figure: each week (or "this week" against "the four
before") is a `CASE` over fixed bounds computed here, so SQLite and PostgreSQL agree without
dialect-specific date functions, and what comes back is a row per category or tool, never a row per story.

The `/trends` page reads `current_trends`: the three figures, held by the worker (`concurrency.rebuilt`)
and rebuilt in the background when a story or a tool lands, so a thousand readers opening the page cost
one count, not a thousand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..concurrency.rebuilt import Held, Shelf, Watch
from ..models import Article, ArticleTool, Tool, to_stored, utcnow
from .tools import TOOLS_JOINED_OR_LEFT

TREND_DAYS = 30
RISING_MIN_MENTIONS = 3  # a tool needs a few stories this week to be "rising", not one lucky mention
# Trends are weekly figures: a held copy older than this is rebuilt even if nothing landed ("this week" moves).
TRENDS_MAX_AGE = 300.0


def _start_of(day: date, now: datetime) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=now.tzinfo)


def _counts_per_bucket(column: sa.ColumnElement[datetime] | sa.orm.Mapped[datetime],
                       bounds: Sequence[datetime]) -> list[sa.ColumnElement[int]]:
    """One counting column per [bounds[i], bounds[i+1]) (rows outside every bucket count nowhere)."""
    return [sa.func.sum(sa.case((sa.and_(column >= low, column < high), 1), else_=0))
            for low, high in pairwise(bounds)]


def mentions_per_day(tool_id: int, *, session: Session, days: int = TREND_DAYS,
                     now: datetime | None = None) -> list[tuple[date, int]]:
    """One (day, mentions) per day of the last `days`, oldest first, zeros included (a chart needs them)."""
    now = to_stored(now or utcnow())
    start = now.date() - timedelta(days=days - 1)
    bounds = [_start_of(start + timedelta(days=i), now) for i in range(days + 1)]
    counts = session.execute(sa.select(*_counts_per_bucket(col(Article.published_at), bounds))
                             .select_from(ArticleTool).join(Article, col(Article.id) == ArticleTool.article_id)
                             .where(col(ArticleTool.tool_id) == tool_id, col(Article.published_at) >= bounds[0])).one()
    return [(start + timedelta(days=i), int(n or 0)) for i, n in enumerate(counts)]


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
    published = col(Article.published_at)
    recent = sa.func.sum(sa.case((published >= week_start, 1), else_=0))
    rows = session.execute(sa.select(col(ArticleTool.tool_id), recent, sa.func.count())
                           .join(Article, col(Article.id) == ArticleTool.article_id)
                           .where(published >= window_start, published <= now)
                           .group_by(col(ArticleTool.tool_id))
                           .having(recent >= RISING_MIN_MENTIONS)).all()
    scored = [(tool_id, int(n), (total - n) / 4) for tool_id, n, total in rows if n > (total - n) / 4]
    scored.sort(key=lambda item: (-(item[1] - item[2]), item[0]))
    names = {t.id: t for t in session.exec(select(Tool).where(col(Tool.id).in_([s[0] for s in scored[:limit]])))}
    return [Rising(names[i].slug, names[i].name, n, avg) for i, n, avg in scored[:limit] if i in names]


def _weeks(now: datetime, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first (the last is this week's)."""
    this_week = now.date() - timedelta(days=now.date().weekday())
    return [this_week - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _week_bounds(mondays: list[date], now: datetime) -> list[datetime]:
    return [_start_of(day, now) for day in [*mondays, mondays[-1] + timedelta(weeks=1)]]


def category_volume(*, session: Session, weeks: int = 12, now: datetime | None = None) -> list[dict[str, object]]:
    """Stories per news category per week (Monday), oldest week first: {"week": date, category: n, …}."""
    now = to_stored(now or utcnow())
    mondays = _weeks(now, weeks)
    bounds = _week_bounds(mondays, now)
    rows = session.execute(sa.select(col(Article.category), *_counts_per_bucket(col(Article.published_at), bounds))
                           .where(col(Article.published_at) >= bounds[0], col(Article.published_at) < bounds[-1])
                           .group_by(col(Article.category))).all()
    table: list[dict[str, object]] = [{"week": monday} for monday in mondays]
    for category, *counts in rows:
        for week, n in zip(table, counts, strict=True):
            if n:
                week[category] = int(n)
    return table


def new_tools_per_week(*, session: Session, weeks: int = 12, now: datetime | None = None) -> list[tuple[date, int]]:
    """How many tools joined the directory each week (Monday), oldest first, zeros included."""
    now = to_stored(now or utcnow())
    mondays = _weeks(now, weeks)
    bounds = _week_bounds(mondays, now)
    counts = session.execute(sa.select(*_counts_per_bucket(col(Tool.added_at), bounds))
                             .where(col(Tool.added_at) >= bounds[0])).one()
    return [(monday, int(n or 0)) for monday, n in zip(mondays, counts, strict=True)]


@dataclass(frozen=True, slots=True)
class Trends:
    """What `/trends` shows, computed at one moment."""

    rising: list[Rising]
    volume: list[dict[str, object]]
    new_tools: list[tuple[date, int]]


def _trends(session: Session) -> Trends:
    return Trends(rising_tools(session=session), category_volume(session=session), new_tools_per_week(session=session))


# A story landing raises the highest article id (its mentions are stored with it); a tool joining or leaving
# changes the highest tool id or the kept count. Both are index lookups.
_WATCH = Watch(often=sa.select(sa.select(sa.func.max(col(Article.id))).scalar_subquery(), *TOOLS_JOINED_OR_LEFT))
_HELD: Shelf[Trends] = Shelf()


def _held(session: Session) -> Held[Trends]:
    return _HELD.held("trends", session.get_bind().engine, _WATCH, _trends, max_age=TRENDS_MAX_AGE)


def current_trends(session: Session) -> Trends:
    """The trends as of the last story or tool to land (or at most `TRENDS_MAX_AGE` old): the first read
    of a worker counts in the request, later ones answer from what is held while a rebuild runs."""
    return _held(session).ready(session)
