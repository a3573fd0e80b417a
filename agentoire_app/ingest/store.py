"""Storage: one source's prepared entries into `article`, in the caller's transaction.

Identity is (source, guid): an entry seen before is updated in place when its content hash changed
(title, content, summary or updated date), keeping its slug and first-seen date; otherwise untouched.
New entries get a slug unique across all articles, removed ones included (a link once given out never
comes to mean another story). The caller commits once per source, so a crash leaves either all of a
source's results or none of them.

Retention (`prune_source`) runs in the same transaction, right after the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Article, ArticleTool, RemovedArticle, table_of
from ..models.slugs import unique_slug
from .prepare import PreparedEntry

_CHUNK = 400


@dataclass
class StoreCounts:
    new: int = 0
    updated: int = 0


def _chunks(items: list[str], size: int = _CHUNK) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _taken_slugs(bases: list[str], *, session: Session) -> set[str]:
    """Slugs already used among `bases` and their numbered variants ("base-2" …)."""
    taken: set[str] = set()
    for slug in (col(Article.slug), col(RemovedArticle.slug)):
        for chunk in _chunks(sorted(set(bases)), 200):
            taken.update(session.exec(select(slug).where(slug.in_(chunk))).all())
    # Only a base already taken can have numbered variants in use. "base-…" is queried as a range
    # ('.' sorts right after '-') so both databases use the slug index, which LIKE would not.
    for base in sorted(b for b in set(bases) if b in taken):
        for slug in (col(Article.slug), col(RemovedArticle.slug)):
            taken.update(session.exec(select(slug).where(slug > f"{base}-", slug < f"{base}.")).all())
    return taken


def store_entries(source_id: int, entries: list[PreparedEntry], *, session: Session, now: datetime) -> StoreCounts:
    """Insert new entries and update changed ones for `source_id`; the caller commits."""
    counts = StoreCounts()
    if not entries:
        return counts
    existing: dict[str, tuple[int, str]] = {}
    removed: set[str] = set()  # retention took these out; the feed still carrying them does not bring them back
    for chunk in _chunks([e.guid for e in entries]):
        rows = session.exec(
            select(Article.id, Article.guid, Article.content_hash)
            .where(Article.source_id == source_id, col(Article.guid).in_(chunk))
        ).all()
        existing.update({guid: (article_id, digest) for article_id, guid, digest in rows if article_id is not None})
        removed.update(session.exec(select(RemovedArticle.guid).where(
            RemovedArticle.source_id == source_id, col(RemovedArticle.guid).in_(chunk))).all())

    fresh = [e for e in entries if e.guid not in existing and e.guid not in removed]
    changed = [(existing[e.guid][0], e) for e in entries
               if e.guid in existing and existing[e.guid][1] != e.content_hash]
    if fresh:
        taken = _taken_slugs([e.slug_base for e in fresh], session=session)
        slugs = []
        for e in fresh:
            slugs.append(unique_slug(e.slug_base, taken))
            taken.add(slugs[-1])
        new_rows = [{
            "slug": slug, "source_id": source_id, "guid": e.guid, "url": e.url,
            "title": e.title, "summary": e.summary, "content_html": e.content_html, "notes_html": e.notes_html,
            "category": e.category, "content_hash": e.content_hash, "published_at": e.published_at,
            "updated_at": e.updated_at, "fetched_at": now,
        } for e, slug in zip(fresh, slugs, strict=True)]
        # Core insert on the table (not the ORM entity): the ORM bulk path costs more than the SQL itself.
        table = table_of(Article)
        inserted = session.connection().execute(table.insert().returning(table.c.id, table.c.guid), new_rows).all()
        ids = {guid: article_id for article_id, guid in inserted}
        links = [{"article_id": ids[e.guid], "tool_id": t} for e in fresh for t in e.tool_ids]
        if links:
            session.connection().execute(table_of(ArticleTool).insert(), links)
        counts.new = len(fresh)
    for article_id, e in changed:
        session.execute(
            sa.update(Article).where(col(Article.id) == article_id).values(
                url=e.url, title=e.title, summary=e.summary, content_html=e.content_html, notes_html=e.notes_html,
                category=e.category, content_hash=e.content_hash, updated_at=e.updated_at or now, fetched_at=now,
            )
        )
        session.execute(sa.delete(ArticleTool).where(col(ArticleTool.article_id) == article_id))
        if e.tool_ids:
            session.execute(sa.insert(ArticleTool), [{"article_id": article_id, "tool_id": t} for t in e.tool_ids])
        counts.updated += 1
    return counts


@dataclass(frozen=True)
class RetentionRule:
    """Keep at most `keep` articles per source, newest first, and never one published within `min_age`.

    Miniflux removes entries by age (CLEANUP_ARCHIVE_*_DAYS) and keeps the row marked "removed" so the
    entry is not fetched again; `reader` keeps everything. A news desk wants both bounds: the count stops a
    feed that churns guids from growing without end, the age keeps this week's stories linkable however
    busy their source. Newest by published date (then id), the order the news list shows. A source can
    still hold more than `keep` while its recent stories are young: at most 200 per fetch
    (`prepare.MAX_ENTRIES_PER_FETCH`) times the fetches in `min_age`, and that bound is reached only by a
    runaway feed.
    """

    keep: int = 500
    min_age: timedelta = timedelta(days=7)


DEFAULT_RETENTION = RetentionRule()
REMOVED_REASON = "removed to keep the newest {keep} stories of this source"


def prune_source(source_id: int, *, session: Session, now: datetime,
                 rule: RetentionRule = DEFAULT_RETENTION) -> int:
    """Apply `rule` to `source_id`: each removed article leaves a `RemovedArticle` behind; the caller commits.

    Returns how many were removed, for the source's status line.
    """
    doomed = session.execute(
        sa.select(col(Article.id), col(Article.slug), col(Article.guid), col(Article.url), col(Article.title),
               col(Article.published_at))
        .where(col(Article.source_id) == source_id)
        .order_by(col(Article.published_at).desc(), col(Article.id).desc())
        .offset(rule.keep)
    ).all()
    doomed = [row for row in doomed if row[5] < now - rule.min_age]
    if not doomed:
        return 0
    reason = REMOVED_REASON.format(keep=rule.keep)
    session.connection().execute(table_of(RemovedArticle).insert(), [{
        "slug": slug, "source_id": source_id, "guid": guid, "url": url, "title": title,
        "published_at": published_at, "removed_at": now, "reason": reason,
    } for _, slug, guid, url, title, published_at in doomed])
    ids = [row[0] for row in doomed]
    for chunk in [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]:
        session.execute(sa.delete(ArticleTool).where(col(ArticleTool.article_id).in_(chunk)))
        session.execute(sa.delete(Article).where(col(Article.id).in_(chunk)))
    return len(doomed)


def removed_note(removed: int, rule: RetentionRule) -> str:
    """What a prune tells the operator beside the source's status (empty when nothing went)."""
    return f"removed {removed} older stories (keeping the newest {rule.keep})" if removed else ""
