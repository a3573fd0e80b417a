"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector, chosen by the session's dialect.

The indexes live in the database (migration 0002) and are kept current by triggers / generated columns, so
writers need no extra code. Ranking of tools, best first:

1. the name's tiers (`services.name_rank`, shared with the palette): exactly the query, starts with it,
   a word of it starts with it, contains it, among the tools every query word of which starts a name word,
2. everything else that matches (tagline, tags, description), those whose name contains every word first,

and within a tier by the engine's score (FTS5 `bm25` / PostgreSQL `ts_rank`, name weighted highest). The
name's tiers come from a name-only index and are usually enough for a page, so a broad prefix typed as the first
letters of a word never ranks thousands of description matches (see `ranked_tool_ids`).
Every word is matched as a prefix, so results come as you type (`lang` finds LangChain). A query is reduced
to its words before it reaches either engine: quotes, `*`, `NEAR`, `OR`, `-` and other operators are text,
never syntax, so no query can raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ..models import Article, Source, Tool
from .name_rank import name_tier

MAX_TERMS = 8
MAX_TERM_LENGTH = 64
MAX_QUERY_LENGTH = 200

# Letters and digits only: both FTS5's unicode61 tokenizer and PostgreSQL's parser split on the rest.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Weights: FTS5 bm25 per column (name, tagline, description, tags) / (title, summary).
_TOOL_BM25 = "bm25(tool_fts, 10.0, 4.0, 1.0, 3.0)"
_ARTICLE_BM25 = "bm25(article_fts, 5.0, 1.0)"


def query_terms(query: str | None) -> list[str]:
    """The searchable words of a query, lower-cased, bounded in number and length."""
    if not query:
        return []
    words = _WORD.findall(query[:MAX_QUERY_LENGTH].lower())
    return [w[:MAX_TERM_LENGTH] for w in words[:MAX_TERMS]]


def fts5_query(terms: Sequence[str]) -> str:
    """`"lang"* "chain"*`: every word quoted (so it is never an operator) and matched as a prefix."""
    return " ".join('"' + t.replace('"', '""') + '"*' for t in terms)


def tsquery(terms: Sequence[str]) -> str:
    """`'lang':* & 'chain':*` for `to_tsquery('simple', …)`; words hold no quotes or operators."""
    return " & ".join("'" + t.replace("'", "''").replace("\\", "") + "':*" for t in terms)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# Any select statement: applying a match keeps its columns.
_Select = TypeVar("_Select", bound="sa.Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class Match:
    """A search as SQL: how to restrict a statement to the matching rows, and a score (higher is better).

    On SQLite the statement joins the FTS5 hits (bm25 only exists inside the MATCH query); on PostgreSQL it
    gains a `@@` condition and scores with `ts_rank`.
    """

    score: ColumnElement[float]
    condition: ColumnElement[bool] | None = None
    hits: sa.Subquery | None = None
    key: ColumnElement[int] | Mapped[int | None] | None = None

    def apply(self, stmt: _Select) -> _Select:
        if self.hits is not None and self.key is not None:
            return stmt.join(self.hits, self.hits.c.id == self.key)
        assert self.condition is not None, "a match is either a join on hits or a condition"
        return stmt.where(self.condition)


def _match(table: str, key: Any, bm25: str, query: str, *, session: Session) -> Match | None:
    """Rows of `table` matching `query`: its tsvector on PostgreSQL, its `<table>_fts` FTS5 table on SQLite."""
    terms = query_terms(query)
    if not terms:
        return None
    if _is_postgres(session):
        ts = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery(terms))
        vector: sa.ColumnClause[Any] = sa.literal_column(f"{table}.search_vector")
        return Match(score=sa.func.ts_rank(vector, ts), condition=vector.op("@@")(ts))
    hits = (
        sa.select(sa.literal_column("rowid").label("id"), sa.literal_column(bm25).label("bm25"))
        .select_from(sa.text(f"{table}_fts"))
        .where(sa.literal_column(f"{table}_fts").op("MATCH")(fts5_query(terms)))
        .subquery(f"{table}_hits")
    )
    return Match(score=-hits.c.bm25, hits=hits, key=key)


def tool_match(query: str, *, session: Session) -> Match | None:
    """SQL for "tools matching `query`", or None when the query has no searchable word."""
    return _match("tool", col(Tool.id), _TOOL_BM25, query, session=session)


def count_tool_matches(query: str, *, session: Session) -> int:
    """How many tools match `query`, with no other filter: the directory's total as you type.

    On SQLite from the FTS5 index alone: joining each hit to its `tool` row (what a filtered count must do)
    cost thirty times as much for a three-letter prefix matching thousands of tools."""
    terms = query_terms(query)
    if not terms:
        return 0
    if _is_postgres(session):
        match = _match("tool", col(Tool.id), _TOOL_BM25, query, session=session)
        assert match is not None
        return int(session.execute(match.apply(sa.select(sa.func.count()).select_from(Tool))).scalar_one())
    stmt = (sa.select(sa.func.count()).select_from(sa.text("tool_fts"))
            .where(sa.literal_column("tool_fts").op("MATCH")(fts5_query(terms))))
    return int(session.execute(stmt).scalar_one())


def _name_match(terms: Sequence[str], *, session: Session) -> Match:
    """Tools whose *name* has every word (as a word prefix): a small set, read from its own index."""
    if _is_postgres(session):
        ts = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery(terms))
        name_vector = sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), Tool.name)
        vector: sa.ColumnClause[Any] = sa.literal_column("tool.search_vector")
        return Match(score=sa.func.ts_rank(vector, ts), condition=name_vector.op("@@")(ts))
    hits = (
        sa.select(sa.literal_column("rowid").label("id"), sa.literal_column(_TOOL_BM25).label("bm25"))
        .select_from(sa.text("tool_fts"))
        .where(sa.literal_column("tool_fts").op("MATCH")("{name} : (" + fts5_query(terms) + ")"))
        .subquery("name_hits")
    )
    return Match(score=-hits.c.bm25, hits=hits, key=col(Tool.id))


def _other_match(terms: Sequence[str], *, session: Session) -> Match:
    """Tools matching every word somewhere, but not all of them in the name (the complement of the above)."""
    if _is_postgres(session):
        ts = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery(terms))
        name_vector = sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), Tool.name)
        vector: sa.ColumnClause[Any] = sa.literal_column("tool.search_vector")
        return Match(score=sa.func.ts_rank(vector, ts),
                     condition=sa.and_(vector.op("@@")(ts), sa.not_(name_vector.op("@@")(ts))))
    expression = f"({fts5_query(terms)}) NOT ({{name}} : ({fts5_query(terms)}))"
    hits = (
        sa.select(sa.literal_column("rowid").label("id"), sa.literal_column(_TOOL_BM25).label("bm25"))
        .select_from(sa.text("tool_fts"))
        .where(sa.literal_column("tool_fts").op("MATCH")(expression))
        .subquery("other_hits")
    )
    return Match(score=-hits.c.bm25, hits=hits, key=col(Tool.id))


def ranked_tool_ids(query: str, *, session: Session, restrict: Callable[[sa.Select], sa.Select],
                    limit: int, offset: int) -> list[int]:
    """The ids of one page of tools matching `query`, best first (see the module docstring).

    Name matches are ranked first from a small set read through a name-only index; the rest (matches in
    tagline, tags or description) are fetched only when the page reaches past the name matches. That keeps
    as-you-type prefixes ("ope", matching thousands of descriptions) as cheap as a precise query.
    `restrict` adds the directory's filters to a `select(Tool.id)`.
    """
    terms = query_terms(query)
    if not terms:
        return []
    by_name = _name_match(terms, session=session)
    stmt = restrict(by_name.apply(sa.select(col(Tool.id))))
    tier = name_tier(sa.func.lower(Tool.name), query.strip().lower()[:MAX_QUERY_LENGTH])
    stmt = stmt.order_by(tier, by_name.score.desc(), sa.func.lower(Tool.name), col(Tool.id))
    named = [row[0] for row in session.execute(stmt.limit(offset + limit)).all()]
    if len(named) >= offset + limit:
        return named[offset:offset + limit]
    others = _other_match(terms, session=session)
    rest_offset = max(0, offset - len(named))
    rest_limit = offset + limit - len(named) - rest_offset
    stmt = restrict(others.apply(sa.select(col(Tool.id))))
    # "chain" inside "LangChain" is no word prefix, yet a name containing the query still goes first.
    inside = sa.and_(*(sa.func.lower(Tool.name).contains(t, autoescape=True) for t in terms))
    stmt = stmt.order_by(sa.case((inside, 0), else_=1), others.score.desc(), sa.func.lower(Tool.name),
                         col(Tool.id))
    rest = [row[0] for row in session.execute(stmt.limit(rest_limit).offset(rest_offset)).all()]
    return (named[offset:] + rest)[:limit]


def article_match(query: str, *, session: Session) -> Match | None:
    """SQL for "articles matching `query`", or None when the query has no searchable word."""
    return _match("article", col(Article.id), _ARTICLE_BM25, query, session=session)


def search_articles(query: str, *, session: Session, category: str | None = None,
                    source_url: str | None = None, sort: str = "relevance", limit: int = 20,
                    offset: int = 0) -> list[tuple[Article, Source]]:
    """Articles matching `query` with their source: best first (`sort="relevance"`) or newest first."""
    match = article_match(query, session=session)
    if match is None:
        return []
    stmt = match.apply(select(Article, Source).join(Source, col(Source.id) == Article.source_id))
    if category:
        stmt = stmt.where(Article.category == category)
    if source_url:
        stmt = stmt.where(Source.url == source_url)
    if sort == "newest":
        stmt = stmt.order_by(col(Article.published_at).desc(), col(Article.id).desc())
    else:
        stmt = stmt.order_by(match.score.desc(), col(Article.published_at).desc(), col(Article.id).desc())
    return [(a, s) for a, s in session.exec(stmt.limit(limit).offset(offset)).all()]


def count_articles_matching(query: str, *, session: Session, category: str | None = None) -> int:
    match = article_match(query, session=session)
    if match is None:
        return 0
    stmt = match.apply(select(sa.func.count()).select_from(Article))
    if category:
        stmt = stmt.where(Article.category == category)
    return session.exec(stmt).one()
