"""article.notes_origin and article.notes_key: where the notes come from, and what they were made for

`notes_origin` is `facts` (made from the story's text and our catalog) or `model:NAME`. `notes_key` is the
hash of (content hash, model, prompt version) the model was last asked about, so a model's notes are
made once per version of an article and remade when the article changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("notes_origin", sa.String(length=120), nullable=False, server_default="facts"))
        batch.add_column(sa.Column("notes_key", sa.String(length=64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.drop_column("notes_key")
        batch.drop_column("notes_origin")
