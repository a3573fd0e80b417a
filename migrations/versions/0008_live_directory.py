"""live directory: tools found in the news (candidates and their evidence), dated facts read at each
tool's source, and the per-source check state

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tool_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('first_seen', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('tool_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tool_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tool_candidate_first_seen'), ['first_seen'], unique=False)
        batch_op.create_index(batch_op.f('ix_tool_candidate_key'), ['key'], unique=True)
        batch_op.create_index(batch_op.f('ix_tool_candidate_status'), ['status'], unique=False)

    op.create_table('tool_check',
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('next_check_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_checked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tool_id', 'kind')
    )
    with op.batch_alter_table('tool_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tool_check_next_check_at'), ['next_check_at'], unique=False)

    op.create_table('tool_fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('read_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=True),
    sa.Column('forks', sa.Integer(), nullable=True),
    sa.Column('open_issues', sa.Integer(), nullable=True),
    sa.Column('pushed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('latest_version', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('latest_release_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('license', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('downloads', sa.Integer(), nullable=True),
    sa.Column('likes', sa.Integer(), nullable=True),
    sa.Column('link_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('moved_to', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tool_fact', schema=None) as batch_op:
        batch_op.create_index('ix_tool_fact_tool_kind_read', ['tool_id', 'kind', 'read_at'], unique=False)

    op.create_table('candidate_evidence',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('sentence', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['candidate_id'], ['tool_candidate.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', 'article_id')
    )
    with op.batch_alter_table('candidate_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_evidence_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('candidate_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_evidence_article_id'))

    op.drop_table('candidate_evidence')
    with op.batch_alter_table('tool_fact', schema=None) as batch_op:
        batch_op.drop_index('ix_tool_fact_tool_kind_read')

    op.drop_table('tool_fact')
    with op.batch_alter_table('tool_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_check_next_check_at'))

    op.drop_table('tool_check')
    with op.batch_alter_table('tool_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_candidate_status'))
        batch_op.drop_index(batch_op.f('ix_tool_candidate_key'))
        batch_op.drop_index(batch_op.f('ix_tool_candidate_first_seen'))

    op.drop_table('tool_candidate')
