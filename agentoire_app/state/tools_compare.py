"""`/compare?tools=a,b,c`: two to four tools side by side. The list of slugs lives in the URL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from ..concurrency import in_session
from ..models.text import long_date
from ..services.directory import search_tools
from ..services.tool_facts import latest_facts, stats_line, warnings
from ..services.tools import get_tools, mention_count
from .tools_detail import listing_source

MAX_COMPARED = 4


def compare_href(slugs: list[str]) -> str:
    return "/compare" + ("?tools=" + quote(",".join(slugs), safe=",") if slugs else "")


@dataclass(frozen=True, slots=True)
class CompareColumn:
    """One tool's column; missing facts are "—" so every row of the table lines up."""

    slug: str
    href: str
    name: str
    tagline: str
    category: str
    tags: str
    pricing: str
    license: str
    homepage: str
    repository: str
    added: str
    checked: str
    repo_stats: str  # the facts read at the source, or "not read yet"
    flags: str  # archived, stale, dead link…; "—" when none
    source: str
    mentions: int


@dataclass(frozen=True, slots=True)
class CompareCandidate:
    slug: str
    name: str
    category: str


def _read_columns(slugs: list[str], session: Session) -> list[CompareColumn]:
    columns = []
    tools = get_tools(slugs, session=session)
    facts = latest_facts([t.id for t in tools if t.id is not None], session=session)
    for t in tools:
        source, _url = listing_source(t.source)
        columns.append(CompareColumn(
            slug=t.slug, href=f"/tools/{t.slug}", name=t.name, tagline=t.tagline,
            category=t.category, tags=", ".join(t.tags or []) or "—", pricing=t.pricing,
            license=t.license or ("open source" if t.open_source else "—"),
            homepage=t.homepage, repository=t.repository or "—",
            added=long_date(t.added_at), checked=long_date(t.checked_at) or "—",
            repo_stats=(stats_line(facts[t.id]) or "—") if t.id in facts else "not read yet",
            flags="; ".join(warnings(facts[t.id])) if t.id in facts else "—",
            source=source, mentions=mention_count(t.id or 0, session=session),
        ))
    return columns


def _read_candidates(value: str, session: Session) -> list[CompareCandidate]:
    return [CompareCandidate(slug=t.slug, name=t.name, category=t.category)
            for t in search_tools(value, session=session, limit=8)]


class ToolsCompareState(rx.State):
    slugs: rx.Field[list[str]] = rx.field(default_factory=list)
    columns: rx.Field[list[CompareColumn]] = rx.field(default_factory=list)
    candidates: rx.Field[list[CompareCandidate]] = rx.field(default_factory=list)
    query: rx.Field[str] = rx.field("")
    loaded: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        raw = self.router.url.query_parameters.get("tools", "")
        wanted = [s.strip() for s in str(raw if isinstance(raw, str) else ",".join(raw)).split(",") if s.strip()]
        self.columns = await in_session(partial(_read_columns, wanted[:MAX_COMPARED]))
        self.slugs = [c.slug for c in self.columns]
        self.query, self.candidates = "", []
        self.loaded = True

    @rx.event
    async def find(self, value: str) -> None:
        self.query = value[:200]
        if not value.strip():
            self.candidates = []
            return
        found = await in_session(partial(_read_candidates, value))
        self.candidates = [c for c in found if c.slug not in self.slugs]

    @rx.event
    def add(self, slug: str) -> EventSpec | None:
        if slug in self.slugs or len(self.slugs) >= MAX_COMPARED:
            return None
        return rx.redirect(compare_href([*self.slugs, slug]))

    @rx.event
    def remove(self, slug: str) -> EventSpec | None:
        return rx.redirect(compare_href([s for s in self.slugs if s != slug]))
