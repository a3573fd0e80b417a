"""Article vectors in the database: made once per article and model, read by every worker.

Embedding the archive costs ~0.1–0.2 ms per article (about 10 s of CPU at 50,000 articles); reading the
stored vectors back costs a fraction of that (the bench prints both), so each worker starts with a read.
Whoever builds an index first embeds the articles that have no vector yet (new ones, or ones made by
another model) and stores them; two workers doing so at once store the same bytes, and the upsert keeps one.
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from ..models import Article, ArticleVector
from .model import DIMS, MODEL_ID, Embedder
from .vectors import VectorIndex, from_bytes, to_bytes

SUMMARY_CHARS = 240
BATCH = 1000
READ_CHUNK = 5000


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
    """Every stored article vector of this model, as one matrix.

    Read in chunks into arrays sized once: holding 50,000 rows of bytes at once cost more memory (kept by
    the process afterwards) than the matrix itself. Rows stored after the count wait for the next build."""
    of_model = col(ArticleVector.model) == MODEL_ID
    count = session.execute(sa.select(sa.func.count()).select_from(ArticleVector).where(of_model)).scalar_one()
    ids, matrix = np.empty(count, dtype=np.int64), np.empty((count, DIMS), dtype=np.float32)
    filled = 0
    stmt = (sa.select(col(ArticleVector.article_id), col(ArticleVector.vector)).where(of_model)
            .order_by(col(ArticleVector.article_id)).execution_options(yield_per=READ_CHUNK))
    for chunk in session.execute(stmt).partitions():
        rows = chunk[:count - filled]
        ids[filled:filled + len(rows)] = [row[0] for row in rows]
        matrix[filled:filled + len(rows)] = from_bytes([row[1] for row in rows])
        filled += len(rows)
    return VectorIndex(ids=ids[:filled], matrix=matrix[:filled])
