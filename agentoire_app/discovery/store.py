"""Recording tools found in the news: the finds of stored articles become candidates with evidence.

`discover_in_articles_since` is the one call a refresh makes, after it stored its articles. A find whose key
is a listed tool's repository, package or site is skipped; a new key becomes a pending candidate; a known
key gains the article as evidence and one more mention (a rejected key gains nothing: it is never proposed
again). An article is evidence once per candidate, so scanning twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..catalog.mapping import keyword_category
from ..catalog.records import domain_of, site_key
from ..db import session_scope
from ..models import Article, ArticleTool, CandidateEvidence, Tool, ToolCandidate, table_of, to_stored, utcnow
from .extract import Found, classify_link, extract_candidates

log = logging.getLogger("agentoire.discovery")

_CHUNK = 400


def listed_keys(*, session: Session) -> set[str]:
    """The candidate keys the directory already answers: each tool's repository, package and site."""
    keys: set[str] = set()
    for homepage, repository in session.exec(select(Tool.homepage, Tool.repository)).all():
        for url in (homepage, repository):
            if not url:
                continue
            link = classify_link(url)
            if link is not None:
                keys.add(link[0])
            elif domain_of(url):
                keys.add(f"site:{site_key(url)}")
    return keys


def record_candidates(articles: Iterable[Article], *, session: Session, now: datetime | None = None,
                      known: set[str] | None = None) -> int:
    """Scan `articles` and record their finds; returns how many new candidates appeared. Commits."""
    now = to_stored(now or utcnow())
    known = listed_keys(session=session) if known is None else known
    finds: list[tuple[Article, Found]] = []
    for article in articles:
        finds.extend((article, found) for found in extract_candidates(
            title=article.title, url=article.url, content_html=article.content_html, summary=article.summary)
            if found.key not in known)
    if not finds:
        return 0
    keys = sorted({f.key for _, f in finds})
    rows: dict[str, ToolCandidate] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        rows.update({c.key: c for c in session.exec(select(ToolCandidate).where(col(ToolCandidate.key).in_(chunk)))})
    created = 0
    for article, found in finds:
        if found.key not in rows:
            rows[found.key] = ToolCandidate(
                key=found.key[:300], name=found.name or found.key, url=found.url[:1000], kind=found.kind,
                category=keyword_category(f"{found.name} {article.title} {found.sentence}"),
                first_seen=now, last_seen=now)
            session.add(rows[found.key])
            created += 1
    session.flush()
    # Evidence already recorded, read in bulk: one query per chunk, not one per find.
    seen: set[tuple[int, int]] = set()
    ids = sorted({row.id for row in rows.values() if row.id is not None})
    article_ids = {a.id for a, _ in finds}
    for i in range(0, len(ids), _CHUNK):
        seen.update((c, a) for c, a in session.exec(
            select(CandidateEvidence.candidate_id, CandidateEvidence.article_id)
            .where(col(CandidateEvidence.candidate_id).in_(ids[i:i + _CHUNK]))).all() if a in article_ids)
    evidence = []
    for article, found in finds:
        row = rows[found.key]
        if row.status == "rejected" or row.id is None or article.id is None or (row.id, article.id) in seen:
            continue
        seen.add((row.id, article.id))
        evidence.append({"candidate_id": row.id, "article_id": article.id, "sentence": found.sentence[:500],
                         "seen_at": now})
        row.mentions += 1
        row.last_seen = now
        if row.tool_id is not None:
            session.merge(ArticleTool(article_id=article.id, tool_id=row.tool_id))
    if evidence:
        session.connection().execute(sa.insert(table_of(CandidateEvidence)), evidence)
    session.commit()
    return created


SCAN_BATCH = 500  # articles held at once: a 20,000-entry refresh must not load every body together


def discover_in_articles_since(since: datetime, *, session: Session, now: datetime | None = None) -> int:
    """Record candidates from the articles fetched at or after `since` (what one refresh stored), a batch
    of articles at a time so that memory stays flat however much one refresh stored."""
    ids = [i for i in session.exec(select(Article.id).where(col(Article.fetched_at) >= to_stored(since))
                                   .order_by(col(Article.id))).all() if i is not None]
    known = listed_keys(session=session)
    created = 0
    for start in range(0, len(ids), SCAN_BATCH):
        batch = session.exec(select(Article).where(col(Article.id).in_(ids[start:start + SCAN_BATCH]))
                             .order_by(col(Article.id))).all()
        created += record_candidates(batch, session=session, now=now, known=known)
        session.expunge_all()
    return created


def discover_candidates(db_url: str | None, since: datetime) -> int:
    """The refresh's one call after storing: candidates from this refresh's new articles.

    A failure here is logged, never the refresh's: the articles are stored, and the next scan of the same
    articles (from the CLI) records what this one missed.
    """
    try:
        with session_scope(db_url) as session:
            return discover_in_articles_since(since, session=session, now=since)
    except Exception:
        log.exception("finding tools in the news failed")
        return 0
