"""attempt: rate-limited tries (submissions, failed moderator sign-ins) per hashed client

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("client_key", sa.String(length=128), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_attempt_at", "attempt", ["at"])
    op.create_index("ix_attempt_action_client_at", "attempt", ["action", "client_key", "at"])


def downgrade() -> None:
    op.drop_index("ix_attempt_action_client_at", table_name="attempt")
    op.drop_index("ix_attempt_at", table_name="attempt")
    op.drop_table("attempt")
