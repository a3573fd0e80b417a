"""story: the articles of every source that report one event; article.story_id

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("lead_article_id", sa.Integer(), nullable=True),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_story_slug", "story", ["slug"], unique=True)
    op.create_index("ix_story_source_count", "story", ["source_count"])
    op.create_index("ix_story_last_seen", "story", ["last_seen"])
    # Open pages poll max(updated_at) to re-rank when stories land: an index walk, not a scan.
    op.create_index("ix_story_updated_at", "story", ["updated_at"])
    # Not batch mode: on SQLite that copies `article` and drops its search triggers. SQLite's own ADD
    # COLUMN takes an inline REFERENCES when the column defaults to NULL, which this one does.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE article ADD COLUMN story_id INTEGER REFERENCES story (id) ON DELETE SET NULL")
    else:
        op.add_column("article", sa.Column("story_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_article_story_id", "article", "story", ["story_id"], ["id"], ondelete="SET NULL")
    op.create_index("ix_article_story_id", "article", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_article_story_id", table_name="article")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_article_story_id", "article", type_="foreignkey")
    op.execute("ALTER TABLE article DROP COLUMN story_id")
    op.drop_index("ix_story_updated_at", table_name="story")
    op.drop_index("ix_story_last_seen", table_name="story")
    op.drop_index("ix_story_source_count", table_name="story")
    op.drop_index("ix_story_slug", table_name="story")
    op.drop_table("story")
