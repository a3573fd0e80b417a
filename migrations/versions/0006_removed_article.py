"""removed_article: what the retention rule leaves of an article, so its link still answers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "removed_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("guid", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "guid", name="uq_removed_article_source_guid"),
    )
    op.create_index("ix_removed_article_slug", "removed_article", ["slug"], unique=True)
    op.create_index("ix_removed_article_source_id", "removed_article", ["source_id"])
    # Retention ranks one source's articles newest first: an index walk instead of a sort.
    op.create_index("ix_article_source_published", "article", ["source_id", "published_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_article_source_published", table_name="article")
    op.drop_index("ix_removed_article_source_id", table_name="removed_article")
    op.drop_index("ix_removed_article_slug", table_name="removed_article")
    op.drop_table("removed_article")
