"""The palette's search: tools, articles and categories ranked the way people can predict.

Rank, best first: the name is the query (0), the name starts with it (1), a word of the name starts with
it (2), the name contains it (3), the letters of the query appear in order in the name (4, "fuzzy"),
the description contains it (5). Each rank is one indexed-or-scanned query with its own small LIMIT, run
best rank first and stopped as soon as a group is full, so 10,000 tools and 50,000 articles stay well
inside a keystroke's budget. Lower-casing happens in SQL so SQLite and PostgreSQL rank alike.

The directory engineer's full-text search can replace `search_tools` (same return shape) without the
palette noticing: `palette_search` only needs `(slug, name, detail)` rows in rank order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Article, Category, Tool


@dataclass(frozen=True, slots=True)
class PaletteHit:
    group: str  # "tools" | "news" | "categories"
    title: str
    detail: str
    url: str
    rank: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rank_conditions(name: sa.ColumnElement, detail: sa.ColumnElement | None,
                     query: str) -> list[tuple[int, sa.ColumnElement[bool]]]:
    q = _escape_like(query.lower())
    lname = sa.func.lower(name)
    fuzzy = "%" + "%".join(_escape_like(ch) for ch in query.lower() if not ch.isspace()) + "%"
    conditions: list[tuple[int, sa.ColumnElement[bool]]] = [
        (0, lname == query.lower()),
        (1, lname.like(q + "%", escape="\\")),
        (2, lname.like("% " + q + "%", escape="\\") | lname.like("%-" + q + "%", escape="\\")),
        (3, lname.like("%" + q + "%", escape="\\")),
        (4, lname.like(fuzzy, escape="\\")),
    ]
    if detail is not None:
        conditions.append((5, sa.func.lower(detail).like("%" + q + "%", escape="\\")))
    return conditions


def _ranked(session: Session, *, query: str, limit: int, name: sa.ColumnElement, detail: sa.ColumnElement | None,
            columns: Sequence[sa.ColumnElement], key: sa.ColumnElement, order: Sequence[sa.ColumnElement],
            ) -> list[tuple[int, tuple]]:
    """Rows in rank order, each row once, at most `limit`."""
    seen: set[object] = set()
    found: list[tuple[int, tuple]] = []
    for rank, condition in _rank_conditions(name, detail, query):
        if len(found) >= limit:
            break
        stmt = sa.select(key, *columns).where(condition).order_by(*order).limit(limit + len(found))
        for row in session.execute(stmt):
            if row[0] in seen:
                continue
            seen.add(row[0])
            found.append((rank, tuple(row[1:])))
            if len(found) >= limit:
                break
    return found


def search_tools(query: str, *, session: Session, limit: int = 8) -> list[PaletteHit]:
    rows = _ranked(session, query=query, limit=limit, name=col(Tool.name), detail=col(Tool.tagline),
                   columns=[col(Tool.slug), col(Tool.name), col(Tool.tagline)], key=col(Tool.id),
                   order=[sa.func.length(col(Tool.name)), col(Tool.name)])
    return [PaletteHit("tools", name, tagline, f"/tools/{slug}", rank) for rank, (slug, name, tagline) in rows]


def search_articles(query: str, *, session: Session, limit: int = 6) -> list[PaletteHit]:
    rows = _ranked(session, query=query, limit=limit, name=col(Article.title), detail=col(Article.summary),
                   columns=[col(Article.slug), col(Article.title), col(Article.category)], key=col(Article.id),
                   order=[col(Article.published_at).desc()])
    return [PaletteHit("news", title, category, f"/news/{slug}", rank) for rank, (slug, title, category) in rows]


def search_categories(query: str, *, session: Session, limit: int = 4) -> list[PaletteHit]:
    rows = _ranked(session, query=query, limit=limit, name=col(Category.name), detail=col(Category.description),
                   columns=[col(Category.slug), col(Category.name), col(Category.description)],
                   key=col(Category.slug), order=[col(Category.position)])
    return [PaletteHit("categories", name, description, f"/tools?category={slug}", rank)
            for rank, (slug, name, description) in rows]


ToolSearch = Callable[..., list[PaletteHit]]


def palette_search(query: str, *, session: Session, tool_search: ToolSearch = search_tools) -> list[PaletteHit]:
    """Groups in a fixed order (tools, news, categories); within a group, best rank first."""
    query = query.strip()[:100]
    if not query:
        return []
    return [
        *tool_search(query, session=session),
        *search_articles(query, session=session),
        *search_categories(query, session=session),
    ]


def recent_defaults(*, session: Session) -> list[PaletteHit]:
    """What the empty query shows besides the reader's own recent items: the newest tools and stories."""
    tools = session.exec(select(Tool.slug, Tool.name, Tool.tagline)
                         .order_by(col(Tool.added_at).desc(), col(Tool.name)).limit(3)).all()
    news = session.exec(select(Article.slug, Article.title, Article.category)
                        .order_by(col(Article.published_at).desc()).limit(3)).all()
    return [*(PaletteHit("tools", n, t, f"/tools/{s}", 9) for s, n, t in tools),
            *(PaletteHit("news", n, c, f"/news/{s}", 9) for s, n, c in news)]
