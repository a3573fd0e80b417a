"""Placing articles into stories in the database: the decider (`assign`) fed from, and written back to,
the `article` and `story` tables.

`assign_unplaced` is the one call a refresh makes after storing: every article without a story is placed,
in published order, against the stories open around its date. `rebuild_stories` forgets every placement
and places everything again, which gives the same stories for the same articles (the decider is
deterministic and its order is (published time, id)).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..db import session_scope
from ..models import Article, Story, table_of, to_stored
from .assign import DEFAULT_RULE, StoryAssigner, StoryRule, order_for_assignment
from .features import ArticleFeatures, DocumentFrequencies, article_features

log = logging.getLogger("agentoire.stories")
_CHUNK = 400


@dataclass(frozen=True)
class _Row:
    id: int
    slug: str
    source_id: int
    url: str
    title: str
    summary: str
    published_at: datetime
    story_id: int | None


_COLUMNS = (col(Article.id), col(Article.slug), col(Article.source_id), col(Article.url), col(Article.title),
            col(Article.summary), col(Article.published_at), col(Article.story_id))


def _rows(result: Iterable[Sequence[Any]]) -> list[_Row]:
    return [_Row(*row) for row in result]


def _features(row: _Row) -> ArticleFeatures:
    return article_features(row.id, row.title, row.summary, published_at=to_stored(row.published_at),
                            source=str(row.source_id))


def _host_label(url: str) -> str:
    """The name a site goes by: "openai" for openai.com, "google" for blog.google."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    parts = [p for p in host.split(".") if p not in {"com", "org", "net", "co", "io", "ai", "blog", "news"}]
    return parts[-1] if parts else ""


def choose_lead(members: Sequence[_Row], features: dict[int, ArticleFeatures]) -> _Row:
    """The article a story leads with: the primary source first (the site whose own name the other
    articles carry, the lab's post over the rewrites), then the most informative (most distinct terms in
    headline and lead), then the earliest."""
    others_names: dict[int, set[str]] = {m.id: set(features[m.id].names) for m in members}

    def primary(row: _Row) -> bool:
        label = _host_label(row.url)
        carried = sum(label in names for key, names in others_names.items() if key != row.id)
        return bool(label) and len(members) > 1 and carried * 2 >= len(members) - 1

    return min(members, key=lambda m: (not primary(m), -len(features[m.id].terms), m.published_at, m.id))


def _summary(rows: Sequence[_Row], features: dict[int, ArticleFeatures], *, now: datetime) -> dict[str, object]:
    """A story row's stored facts (counts, dates, lead, title) from its articles."""
    lead = choose_lead(rows, features)
    return {"lead_article_id": lead.id, "title": lead.title[:500], "article_count": len(rows),
            "source_count": len({r.source_id for r in rows}),
            "first_seen": min(to_stored(r.published_at) for r in rows),
            "last_seen": max(to_stored(r.published_at) for r in rows), "updated_at": now}


def _chunked(items: Sequence[Mapping[str, Any]]) -> list[Sequence[Mapping[str, Any]]]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def place_articles(rows: list[_Row], *, session: Session, now: datetime, rule: StoryRule = DEFAULT_RULE) -> int:
    """Place `rows` (articles without a story) among the stories open around their dates; returns how
    many stories were started. The caller commits.

    Every write is a bulk statement (one INSERT for the new stories, executemany UPDATEs for placements
    and for the stories that grew): a first refresh places twenty thousand articles.
    """
    if not rows:
        return 0
    earliest = min(to_stored(r.published_at) for r in rows) - rule.window
    latest = max(to_stored(r.published_at) for r in rows) + rule.window
    open_ids = session.exec(select(Story.id).where(col(Story.last_seen) >= earliest,
                                                   col(Story.first_seen) <= latest)).all()
    placed: list[_Row] = []
    for id_chunk in [open_ids[i:i + _CHUNK] for i in range(0, len(open_ids), _CHUNK)]:
        placed += _rows(session.execute(sa.select(*_COLUMNS).where(col(Article.story_id).in_(id_chunk))))
    features = {r.id: _features(r) for r in (*placed, *rows)}
    assigner = StoryAssigner(DocumentFrequencies(features.values()), rule=rule)
    members: dict[int, list[_Row]] = defaultdict(list)
    for row in placed:
        members[row.story_id or 0].append(row)
    for story_id in sorted(members):
        assigner.load(story_id, order_for_assignment(features[r.id] for r in members[story_id]))
    by_id = {r.id: r for r in rows}
    joined: dict[int, list[int]] = defaultdict(list)
    for article in order_for_assignment(features[r.id] for r in rows):
        key, _started = assigner.assign(article)
        joined[key].append(article.key)
        members[key].append(by_id[article.key])
    fresh = sorted((k for k in joined if k < 0), reverse=True)  # -1, -2, …: the order they were started
    table = table_of(Story)
    ids: dict[int, int] = {}
    if fresh:
        values = [{"slug": by_id[joined[k][0]].slug, **_summary(members[k], features, now=now)} for k in fresh]
        for keys, chunk in zip([fresh[i:i + _CHUNK] for i in range(0, len(fresh), _CHUNK)], _chunked(values),
                               strict=True):
            inserted = session.connection().execute(table.insert().returning(table.c.id, table.c.slug), chunk).all()
            by_slug = dict((slug, story_id) for story_id, slug in inserted)
            ids.update({k: by_slug[by_id[joined[k][0]].slug] for k in keys})
    grown = [{"sid": k, **_summary(members[k], features, now=now)} for k in sorted(k for k in joined if k > 0)]
    for chunk in _chunked(grown):
        session.connection().execute(
            table.update().where(table.c.id == sa.bindparam("sid")).values(
                {c: sa.bindparam(c) for c in ("lead_article_id", "title", "article_count", "source_count",
                                              "first_seen", "last_seen", "updated_at")}), chunk)
    article_table = table_of(Article)
    moves = [{"aid": a, "sid": ids.get(k, k)} for k, articles in joined.items() for a in articles]
    for chunk in _chunked(moves):
        session.connection().execute(
            article_table.update().where(article_table.c.id == sa.bindparam("aid")).values(
                story_id=sa.bindparam("sid")), chunk)
    return len(fresh)


def assign_unplaced(*, session: Session, now: datetime, rule: StoryRule = DEFAULT_RULE) -> int:
    """Place every article that has no story yet (what a refresh just stored); returns stories started."""
    rows = _rows(session.execute(sa.select(*_COLUMNS).where(col(Article.story_id).is_(None))))
    return place_articles(rows, session=session, now=now, rule=rule)


def rebuild_stories(*, session: Session, now: datetime, rule: StoryRule = DEFAULT_RULE) -> int:
    """Forget every placement and place all articles again; returns the number of stories."""
    session.execute(sa.update(Article).values(story_id=None))
    session.execute(sa.delete(Story))
    session.flush()
    return assign_unplaced(session=session, now=now, rule=rule)


def place_new_articles(db_url: str | None = None, *, now: datetime) -> int:
    """`assign_unplaced` in its own transaction: the one call a refresh makes once its stores are done.

    A failure here is logged and leaves the articles unplaced (the next refresh places them): stories
    must never cost a refresh its articles.
    """
    try:
        with session_scope(db_url) as session:
            return assign_unplaced(session=session, now=now)
    except Exception:
        log.exception("placing new articles into stories failed; the next refresh retries")
        return 0
