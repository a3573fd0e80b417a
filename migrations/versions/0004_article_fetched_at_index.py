"""index article.fetched_at

Every open page asks for the news revision (`services.news.news_revision`) every few seconds; with this
index `max(fetched_at)` is an index lookup instead of a scan of every article.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_article_fetched_at", "article", ["fetched_at"])


def downgrade() -> None:
    op.drop_index("ix_article_fetched_at", table_name="article")
