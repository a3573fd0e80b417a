"""The tool catalog that mention-finding matches against, rebuilt only when the tool table changed.

Building the matcher over every tool name costs more than a small refresh, and the app's loop refreshes
every few minutes while the catalog changes rarely; so the catalog is kept between refreshes, keyed by
database, and reused while the tool count and latest update are the same.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from ..db import session_scope
from ..models import Category, Tool
from ..settings import get_settings
from .mentions import ToolMatcher, collector_paused
from .prepare import ToolCatalog, ToolRef


class CatalogCache:
    """Catalogs by database URL, each with the stamp (tool count, last update) it was built at."""

    def __init__(self) -> None:
        self._catalogs: dict[str, tuple[tuple[Any, ...], ToolCatalog]] = {}

    def load(self, db_url: str | None = None) -> ToolCatalog:
        """Tool names for mention-finding; rebuilt only when the tool table changed (count or last update)."""
        key = db_url or get_settings().db_url
        with session_scope(db_url) as session:
            stamp = tuple(session.exec(select(sa.func.count(col(Tool.id)), sa.func.max(col(Tool.updated_at)))).one())
            cached = self._catalogs.get(key)
            if cached and cached[0] == stamp:
                return cached[1]
            names = {c.slug: c.name for c in session.exec(select(Category)).all()}
            rows = session.exec(select(Tool.id, Tool.slug, Tool.name, Tool.category)).all()
        with collector_paused():
            tools = {tid: ToolRef(slug, name, names.get(cat, "")) for tid, slug, name, cat in rows if tid is not None}
            catalog = ToolCatalog(ToolMatcher((tid, ref.name) for tid, ref in tools.items()), tools)
        self._catalogs[key] = (stamp, catalog)
        return catalog


# The process's cache: the app's loop and the CLI call `refresh_sources` without holding one across rounds.
# A caller that wants its own (a test, a benchmark) passes a `CatalogCache` to `refresh_sources`.
process_catalogs = CatalogCache()


def load_tool_catalog(db_url: str | None = None) -> ToolCatalog:
    """The catalog from the process's cache (see `CatalogCache.load`)."""
    return process_catalogs.load(db_url)
