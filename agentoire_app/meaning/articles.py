"""Article vectors in the database: made once per article and model, read by every worker.

Embedding the archive costs ~0.1–0.2 ms per article (about 10 s of CPU at 50,000 articles); reading the
stored vectors back costs a fraction of that (the bench prints both), so each worker starts with a read.
Whoever builds an index first embeds the articles that have no vector yet (new ones, or ones made by
another model) and stores them; two workers doing so at once store the same bytes, and the upsert keeps one.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from ..models import Article, ArticleVector
from .model import MODEL_ID, Embedder
from .vectors import VectorIndex, from_bytes, ids_array, to_bytes

SUMMARY_CHARS = 240
BATCH = 1000


def article_text(title: str, summary: str) -> str:
    """What an article means, as embedded: its title and the start of its summary."""
    return f"{title}. {' '.join(summary[:SUMMARY_CHARS].split())}".strip()


def _upsert(session: Session, rows: list[dict[str, object]]) -> None:
    table = ArticleVector.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    session.execute(insert.values(rows).on_conflict_do_update(
        index_elements=["article_id"], set_={"model": insert.excluded.model, "vector": insert.excluded.vector}))


def embed_missing_articles(embedder: Embedder, *, session: Session) -> int:
    """Embed and store every article without a vector by this model; returns how many. Commits per batch,
    so a long backfill never holds a write lock for long and a crash keeps what was done."""
    done = 0
    while True:
        stmt = (sa.select(col(Article.id), col(Article.title), col(Article.summary))
                .outerjoin(ArticleVector, col(ArticleVector.article_id) == Article.id)
                .where(sa.or_(col(ArticleVector.article_id).is_(None), col(ArticleVector.model) != MODEL_ID))
                .order_by(col(Article.id)).limit(BATCH))
        rows = session.execute(stmt).all()
        if not rows:
            return done
        vectors = embedder.embed([article_text(title, summary) for _id, title, summary in rows])
        _upsert(session, [{"article_id": article_id, "model": MODEL_ID, "vector": to_bytes(vector)}
                          for (article_id, _t, _s), vector in zip(rows, vectors, strict=True)])
        session.commit()
        done += len(rows)


def stored_article_index(*, session: Session) -> VectorIndex:
    """Every stored article vector of this model, as one matrix."""
    rows = session.execute(sa.select(col(ArticleVector.article_id), col(ArticleVector.vector))
                           .where(col(ArticleVector.model) == MODEL_ID)
                           .order_by(col(ArticleVector.article_id))).all()
    if not rows:
        return VectorIndex.empty()
    ids = [row[0] for row in rows]
    return VectorIndex(ids=ids_array(ids), matrix=from_bytes([row[1] for row in rows]))
