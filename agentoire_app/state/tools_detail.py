"""`/tools/[slug]`: one tool with where its listing came from and when, alternatives, and its news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

import reflex as rx
from sqlmodel import Session

from ..catalog.sources import get_data_source
from ..concurrency import in_session
from ..models import Article, Category, Source, Tool
from ..models.text import long_date
from ..services.candidates import FOUND_IN_THE_NEWS
from ..services.sources import public_source_name
from ..services.tool_facts import FactSummary, latest_facts, stats_line, warnings
from ..services.tools import alternatives, get_category, get_tool, tool_timeline
from ..services.trends import mentions_per_day
from ._format import short_date, slug_from_path
from .rows import ArticleRow


def listing_source(key: str) -> tuple[str, str]:
    """A provenance key → (display name, link); submissions and ad-hoc imports have no link."""
    if key == "submission":
        return "a public submission, approved by a moderator", ""
    if key == FOUND_IN_THE_NEWS:
        return "found in the news, approved by a moderator", ""
    source = get_data_source(key)
    return (source.name, source.url) if source else (key, "")


@dataclass(frozen=True, slots=True)
class _ToolPage:
    """What the page shows, read in one worker-thread trip."""

    tool: Tool
    category: Category | None
    alternatives: list[tuple[Tool, int]]
    news: list[tuple[Article, Source]]
    mentions: int
    source: tuple[str, str]
    facts: FactSummary | None  # what the latest check read, None before the first
    trend: list[tuple[date, int]]  # mentions per day


def _read_tool_page(slug: str, session: Session) -> _ToolPage | None:
    tool = get_tool(slug, session=session)
    if tool is None:
        return None
    timeline = tool_timeline(tool.id or 0, session=session, limit=30)
    return _ToolPage(tool=tool, category=get_category(tool.category, session=session),
                     alternatives=alternatives(tool, session=session, limit=6),
                     news=timeline.news, mentions=timeline.mentions,
                     source=listing_source(tool.source),
                     facts=latest_facts([tool.id or 0], session=session).get(tool.id or 0),
                     trend=mentions_per_day(tool.id or 0, session=session))


@dataclass(frozen=True, slots=True)
class AlternativeRow:
    """A tool close to the one shown, with why it is close ("same category · shares rag")."""

    slug: str
    href: str
    name: str
    tagline: str
    category: str
    why: str


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One day of the 30-day mentions chart ("nov 2", 3)."""

    day: str
    mentions: int


class ToolDetailState(rx.State):
    found: rx.Field[bool] = rx.field(True)
    loaded: rx.Field[bool] = rx.field(False)
    slug: rx.Field[str] = rx.field("")
    name: rx.Field[str] = rx.field("")
    tagline: rx.Field[str] = rx.field("")
    description: rx.Field[str] = rx.field("")
    homepage: rx.Field[str] = rx.field("")
    repository: rx.Field[str] = rx.field("")
    category: rx.Field[str] = rx.field("")
    category_name: rx.Field[str] = rx.field("")
    tags: rx.Field[list[str]] = rx.field(default_factory=list)
    pricing: rx.Field[str] = rx.field("")
    open_source: rx.Field[bool] = rx.field(False)
    license: rx.Field[str] = rx.field("")
    added: rx.Field[str] = rx.field("")
    added_iso: rx.Field[str] = rx.field("")
    checked: rx.Field[str] = rx.field("")
    checked_iso: rx.Field[str] = rx.field("")
    source_name: rx.Field[str] = rx.field("")
    source_url: rx.Field[str] = rx.field("")
    mentions: rx.Field[int] = rx.field(0)
    alternatives: rx.Field[list[AlternativeRow]] = rx.field(default_factory=list)
    news: rx.Field[list[ArticleRow]] = rx.field(default_factory=list)
    repo_stats: rx.Field[str] = rx.field("")  # "★ 95.3k · v0.3.1 released 12 days ago · active"
    stats_read: rx.Field[str] = rx.field("")
    stats_read_iso: rx.Field[str] = rx.field("")
    flags: rx.Field[list[str]] = rx.field(default_factory=list)  # archived, stale, dead or moved link
    trend: rx.Field[list[TrendPoint]] = rx.field(default_factory=list)
    trend_total: rx.Field[int] = rx.field(0)

    @rx.event
    async def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.slug = slug
        page = await in_session(partial(_read_tool_page, slug))
        if page is None:
            self.found, self.loaded = False, True
            return
        tool, category, alts, stories = page.tool, page.category, page.alternatives, page.news
        self.mentions = page.mentions
        facts, trend = page.facts, page.trend
        self.repo_stats = stats_line(facts) if facts else ""
        self.flags = warnings(facts) if facts else []
        read_at = facts.checked_at if facts else None
        self.stats_read, self.stats_read_iso = long_date(read_at), read_at.isoformat() if read_at else ""
        self.trend = [TrendPoint(day=short_date(day), mentions=n) for day, n in trend]
        self.trend_total = sum(n for _, n in trend)
        self.found = True
        self.name, self.tagline, self.description = tool.name, tool.tagline, tool.description
        self.homepage, self.repository = tool.homepage, tool.repository
        self.category, self.category_name = tool.category, category.name if category else tool.category
        self.tags = [t for t in (tool.tags or []) if isinstance(t, str)]
        self.pricing, self.open_source, self.license = tool.pricing, tool.open_source, tool.license
        self.added, self.added_iso = long_date(tool.added_at), tool.added_at.isoformat()
        checked = read_at or tool.checked_at
        self.checked = long_date(checked) if checked else ""
        self.checked_iso = checked.isoformat() if checked else ""
        self.source_name, self.source_url = page.source
        self.alternatives = [
            AlternativeRow(slug=t.slug, href=f"/tools/{t.slug}", name=t.name, tagline=t.tagline,
                           category=t.category, why=_why(tool.category, tool.tags or [], t.category, t.tags or []))
            for t, _score in alts
        ]
        self.news = [
            ArticleRow(slug=a.slug, href=f"/news/{a.slug}", title=a.title, category=a.category,
                       date=short_date(a.published_at) + f" {a.published_at.year}",
                       date_iso=a.published_at.isoformat(), source=public_source_name(s),
                       summary="")
            for a, s in stories
        ]
        self.loaded = True


def _why(category: str, tags: list[str], other_category: str, other_tags: list[str]) -> str:
    shared = [t for t in other_tags if t in tags]
    parts = ["same category"] if category == other_category else []
    if shared:
        parts.append("shares " + ", ".join(shared[:3]))
    return " · ".join(parts)
