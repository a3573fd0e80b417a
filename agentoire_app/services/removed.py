"""Articles the retention rule removed: what their links still answer."""

from __future__ import annotations

from sqlmodel import Session, select

from ..models import RemovedArticle


def get_removed_article(slug: str, *, session: Session) -> RemovedArticle | None:
    """The tombstone behind `slug`, so `/news/{slug}` can say the story was removed, why, and where it lives."""
    return session.exec(select(RemovedArticle).where(RemovedArticle.slug == slug)).first()
