"""Reading the directory: one tool, lists of tools, counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Category, Tool


def get_tool(slug: str, *, session: Session) -> Tool | None:
    return session.exec(select(Tool).where(Tool.slug == slug)).first()


def list_tools(*, session: Session, limit: int | None = None, offset: int = 0,
               category: str | None = None) -> Sequence[Tool]:
    """Tools, newest first (ties by name), optionally in one category."""
    query = select(Tool).order_by(col(Tool.added_at).desc(), col(Tool.name))
    if category:
        query = query.where(Tool.category == category)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return session.exec(query).all()


def count_tools(*, session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Tool)).one()


def count_tools_added_since(since: datetime, *, session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Tool).where(Tool.added_at >= since)).one()


def list_categories(*, session: Session) -> Sequence[Category]:
    return session.exec(select(Category).order_by(col(Category.position), col(Category.name))).all()


def tool_public(tool: Tool) -> dict[str, object]:
    """The contract's public shape of a tool (`agentoire tools list --json`, `/api/tools`)."""
    return {
        "slug": tool.slug,
        "name": tool.name,
        "tagline": tool.tagline,
        "homepage": tool.homepage,
        "repository": tool.repository,
        "category": tool.category,
        "tags": list(tool.tags or []),
        "pricing": tool.pricing,
        "open_source": tool.open_source,
        "added_at": tool.added_at,
        "source": tool.source,
    }
