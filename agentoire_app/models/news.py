"""The news desk: sources (feeds), their articles, and which tools an article mentions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .clock import utcnow

# Column sizes of `source`, named once: the table below declares them and every writer cuts to them.
SOURCE_URL_CHARS = 1000
SOURCE_TITLE_CHARS = 300
SOURCE_SITE_URL_CHARS = 1000
SOURCE_ETAG_CHARS = 500
SOURCE_LAST_MODIFIED_CHARS = 100

# What the last fetch of a source said (stored as this text; `gone` is a 410, after which it is retired).
SourceStatus = Literal["never", "ok", "not_modified", "error", "gone"]


class Source(SQLModel, table=True):
    """A feed we pull, with what the last fetch said and when the next one is due.

    The scheduling and error fields live on the row (as Miniflux does) so `agentoire feeds list` and the
    news page can show each source's state without a second store.
    """

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(index=True, unique=True, max_length=SOURCE_URL_CHARS)
    title: str = Field(default="", max_length=SOURCE_TITLE_CHARS)
    site_url: str = Field(default="", max_length=SOURCE_SITE_URL_CHARS)
    etag: str | None = Field(default=None, max_length=SOURCE_ETAG_CHARS)
    last_modified: str | None = Field(default=None, max_length=SOURCE_LAST_MODIFIED_CHARS)
    last_status: SourceStatus = Field(default="never", sa_type=sa.String(20), description="never|ok|not_modified|error|gone")
    last_error: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    error_count: int = Field(default=0)
    last_fetched_at: datetime | None = None
    next_fetch_at: datetime = Field(default_factory=utcnow, index=True)
    interval_seconds: int | None = Field(default=None, description="from Cache-Control/ttl, bounded")
    retired: bool = Field(default=False, description="410 Gone: never fetched again")
    added_by: str = Field(default="operator", max_length=20, description="operator|public")
    added_at: datetime = Field(default_factory=utcnow)


class Article(SQLModel, table=True):
    """One story from a source. Identity is (source, guid); the slug never changes once published."""

    __table_args__ = (
        sa.UniqueConstraint("source_id", "guid", name="uq_article_source_guid"),
        sa.Index("ix_article_source_published", "source_id", "published_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=160)
    source_id: int = Field(foreign_key="source.id", index=True)
    guid: str = Field(max_length=1000)
    url: str = Field(default="", max_length=2000)
    title: str = Field(max_length=500)
    summary: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    content_html: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    notes_html: str = Field(
        default="",
        sa_column=sa.Column(sa.Text, nullable=False, server_default=""),
        description="practitioner notes: what the story means for people who build with AI",
    )
    notes_origin: str = Field(default="facts", max_length=120, description="facts | model:NAME")
    notes_key: str = Field(default="", max_length=64, description="what the model's notes were made for")
    category: str = Field(default="product", index=True, max_length=64)
    content_hash: str = Field(default="", max_length=64)
    published_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime | None = None
    fetched_at: datetime = Field(default_factory=utcnow, index=True)
    story_id: int | None = Field(default=None, foreign_key="story.id", index=True, ondelete="SET NULL")


class ArticleTool(SQLModel, table=True):
    """An article mentions a catalog tool."""

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    tool_id: int = Field(foreign_key="tool.id", primary_key=True, index=True, ondelete="CASCADE")


class RemovedArticle(SQLModel, table=True):
    """What is left of an article the retention rule removed: enough for its link to say so honestly.

    `/news/{slug}` keeps answering with the title, why it went and a link to the original; the body is
    gone (that is the space retention wins). (source, guid) stays known so that an entry the feed still
    carries is not stored again as new, only to be removed again on the next refresh.
    """

    __tablename__ = "removed_article"
    __table_args__ = (sa.UniqueConstraint("source_id", "guid", name="uq_removed_article_source_guid"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=160)
    source_id: int = Field(index=True, description="the source it came from (no foreign key: a tombstone)")
    guid: str = Field(max_length=1000)
    url: str = Field(default="", max_length=2000)
    title: str = Field(max_length=500)
    published_at: datetime
    removed_at: datetime = Field(default_factory=utcnow)
    reason: str = Field(default="", max_length=300)
