"""Stories: the articles of every source that report one real-world event, grouped."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .clock import utcnow


class Story(SQLModel, table=True):
    """One event and what we know of its coverage, kept up to date as articles join.

    The counts and dates are stored (not computed per request) because the front page ranks every open
    story by them on each load. `slug` is the slug of the story's first article: unique because an
    article is in one story, and stable because a story's first article only changes on a rebuild.
    """

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=160)
    title: str = Field(default="", max_length=500, description="the lead article's title")
    lead_article_id: int | None = Field(default=None, description="the article the front page shows first")
    article_count: int = Field(default=0)
    source_count: int = Field(default=0, index=True)
    first_seen: datetime = Field(default_factory=utcnow, description="earliest article's published time")
    last_seen: datetime = Field(default_factory=utcnow, index=True,
                                description="latest article's published time")
    updated_at: datetime = Field(default_factory=utcnow, index=True)
