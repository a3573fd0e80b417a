"""First versions of the tools list and a tool page (the directory engineer takes these over)."""

from __future__ import annotations

import reflex as rx

from ..db import session_scope
from ..services.tools import get_tool, list_tools
from ._format import slug_from_path
from .rows import tool_row


class ToolsState(rx.State):
    tools: list[dict[str, str]] = rx.field(default_factory=list)
    category: str = ""
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        category = str(self.router.url.query_parameters.get("category", "") or "")
        self.category = category
        with session_scope() as session:
            self.tools = [tool_row(t) for t in list_tools(session=session, limit=200, category=category or None)]
        self.loaded = True


class ToolState(rx.State):
    found: bool = True
    loaded: bool = False
    slug: str = ""
    name: str = ""
    tagline: str = ""
    description: str = ""
    homepage: str = ""
    repository: str = ""
    category: str = ""
    pricing: str = ""

    @rx.event
    def load(self) -> None:
        slug = slug_from_path(str(self.router.url.path))
        self.slug = slug
        with session_scope() as session:
            tool = get_tool(slug, session=session)
        if tool is None:
            self.found, self.loaded = False, True
            return
        self.found = True
        self.name, self.tagline, self.description = tool.name, tool.tagline, tool.description
        self.homepage, self.repository = tool.homepage, tool.repository
        self.category, self.pricing = tool.category, tool.pricing
        self.loaded = True
