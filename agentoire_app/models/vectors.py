"""Embeddings kept beside the rows they describe, so a worker starts its search by meaning with a read
instead of embedding the whole archive again."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ArticleVector(SQLModel, table=True):
    """One article's embedding (title and summary) by the model named in `model`.

    `model` names the model and its width (`wordllama-l2_supercat-128`): a vector made by another model, or
    cut to another width, is never compared with the query, it is made again. Stored as little-endian
    float16 bytes (256 bytes at 128 dimensions); the row goes with its article.
    """

    __tablename__ = "article_vector"

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    model: str = Field(max_length=64)
    vector: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
