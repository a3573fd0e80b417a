"""`/tools`: the directory list. The URL is the state: every control navigates to a new `/tools?…`, and the
page's `on_load` (which Reflex runs on every location change, back button included) reads it back.

Typing in the search box replaces the current history entry (one entry per search, not per keystroke);
every other control pushes a new one, so Back undoes one filter at a time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from ..concurrency import in_session
from ..services.directory import PRICINGS, ToolPage, ToolQuery, query_tools, tool_query_from_params
from ..services.paging import BadQuery, page_or_first
from ..services.tools import list_categories, popular_tags
from ._format import short_date
from .rows import CategoryOption, ToolRow

PAGE_SIZE = 30
FILTER_KEYS = ("q", "category", "tag", "pricing", "open_source", "new", "activity", "sort")
SORT_LABELS = {"": "default", "relevance": "best match", "newest": "newest", "name": "name",
               "mentions": "most in the news", "stars": "most stars", "release": "newest release"}
# What the tool checks last read; a tool never read matches none of them.
ACTIVITY_LABELS = {"": "any activity", "active": "active (90 days)", "quiet": "quiet (a year)",
                   "stale": "stale (over a year)", "archived": "archived"}


def tools_href(params: dict[str, str]) -> str:
    """`/tools?…` with only the non-empty parameters, in a stable order (so equal views share a URL)."""
    kept = [(k, params[k]) for k in FILTER_KEYS if params.get(k)]
    if params.get("page", "1") not in ("", "1"):
        kept.append(("page", params["page"]))
    return "/tools" + ("?" + urlencode(kept) if kept else "")


@dataclass(frozen=True, slots=True)
class ToolListRow(ToolRow):
    """A tool in the directory list: the one tool row with the directory's facts; `mentions` is a number so
    the page can hide a zero."""

    open_source: str = ""  # the label ("open source") or empty
    added: str = ""
    added_iso: str = ""
    mentions: int = 0
    tags: str = ""  # the first four, joined for display


@dataclass(frozen=True, slots=True)
class TagCount:
    tag: str
    count: int  # 0 for the selected tag when it is not among the popular ones


def _read_tools(query: ToolQuery, page: int, with_categories: bool, session: Session
                ) -> tuple[ToolPage, list[CategoryOption], list[TagCount]]:
    """The page of tools, the categories (when the state has none yet) and the popular tags."""
    result = query_tools(query, session=session, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    categories = ([CategoryOption(slug=c.slug, name=c.name) for c in list_categories(session=session)]
                  if with_categories else [])
    tags = [TagCount(tag=t, count=n)
            for t, n in popular_tags(session=session, limit=40, category=query.category)]
    return result, categories, tags


class ToolsListState(rx.State):
    rows: rx.Field[list[ToolListRow]] = rx.field(default_factory=list)
    categories: rx.Field[list[CategoryOption]] = rx.field(default_factory=list)
    tags: rx.Field[list[TagCount]] = rx.field(default_factory=list)
    pricings: rx.Field[list[str]] = rx.field(default_factory=lambda: list(PRICINGS))
    q: rx.Field[str] = rx.field("")
    category: rx.Field[str] = rx.field("")
    tag: rx.Field[str] = rx.field("")
    pricing: rx.Field[str] = rx.field("")
    open_source: rx.Field[str] = rx.field("")
    new: rx.Field[str] = rx.field("")
    activity: rx.Field[str] = rx.field("")
    sort: rx.Field[str] = rx.field("")
    effective_sort: rx.Field[str] = rx.field("newest")
    page: rx.Field[int] = rx.field(1)
    pages: rx.Field[int] = rx.field(1)
    total: rx.Field[int] = rx.field(0)
    prev_href: rx.Field[str] = rx.field("")
    next_href: rx.Field[str] = rx.field("")
    error: rx.Field[str] = rx.field("")
    loaded: rx.Field[bool] = rx.field(False)

    def _params(self, **changes: str) -> dict[str, str]:
        params = {k: str(getattr(self, k)) for k in FILTER_KEYS}
        params.update(changes)
        return params

    def _go(self, replace: bool = False, **changes: str) -> EventSpec:
        # Any change of filters starts again at page 1.
        return rx.redirect(tools_href(self._params(**changes)), replace=replace)

    @rx.event
    async def load(self) -> None:
        raw = {k: str(v) for k, v in self.router.url.query_parameters.items() if isinstance(v, str)}
        self.error = ""
        try:
            query = tool_query_from_params(raw)
        except BadQuery as exc:
            self.error = f"{exc}; showing every tool instead"
            raw, query = {}, tool_query_from_params({})
        for key in FILTER_KEYS:
            setattr(self, key, raw.get(key, "").strip())
        self.page = page_or_first(raw.get("page"))
        result, categories, self.tags = await in_session(
            partial(_read_tools, query, self.page, not self.categories))
        if categories:
            self.categories = categories
        if self.tag and all(t.tag != self.tag for t in self.tags):
            self.tags = [TagCount(tag=self.tag, count=0), *self.tags]
        self.total = result.total or 0
        self.pages = max(1, math.ceil(self.total / PAGE_SIZE))
        self.effective_sort = query.effective_sort()
        self.rows = [
            ToolListRow(slug=t.slug, href=f"/tools/{t.slug}", name=t.name, tagline=t.tagline,
                        category=t.category, pricing=t.pricing, open_source="open source" if t.open_source else "",
                        added=short_date(t.added_at), added_iso=t.added_at.isoformat(),
                        mentions=result.mentions.get(t.id or 0, 0), tags=" · ".join((t.tags or [])[:4]))
            for t in result.items
        ]
        base = self._params()
        self.prev_href = tools_href({**base, "page": str(self.page - 1)}) if self.page > 1 else ""
        self.next_href = tools_href({**base, "page": str(self.page + 1)}) if self.page < self.pages else ""
        self.loaded = True

    @rx.event
    def search(self, value: str) -> EventSpec:
        return self._go(replace=True, q=value.strip()[:200])

    @rx.event
    def set_category(self, value: str) -> EventSpec:
        return self._go(category=value)

    @rx.event
    def set_tag(self, value: str) -> EventSpec:
        return self._go(tag=value)

    @rx.event
    def set_pricing(self, value: str) -> EventSpec:
        return self._go(pricing=value)

    @rx.event
    def set_sort(self, value: str) -> EventSpec:
        return self._go(sort=value)

    @rx.event
    def set_activity(self, value: str) -> EventSpec:
        return self._go(activity=value)

    @rx.event
    def set_new(self, value: str) -> EventSpec:
        return self._go(new=value)

    @rx.event
    def set_open_source(self, value: str) -> EventSpec:
        return self._go(open_source=value)

    @rx.event
    def clear(self) -> EventSpec:
        return rx.redirect("/tools")
