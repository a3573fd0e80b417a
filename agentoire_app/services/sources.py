"""News sources: queries and commands on the `source` table (`*, session`, no HTTP here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from ..models import Article, Source, utcnow

ADDED_BY = ("operator", "public")


class BadSourceUrl(ValueError):
    """A URL that cannot be a feed's address; the message says why, in one line."""


def normalize_source_url(url: str) -> str:
    """The canonical form we store: http(s) only, lower-case scheme and host, no fragment, no default port.

    A bare host ("example.com/feed") is taken to mean https.
    """
    url = (url or "").strip()
    if not url:
        raise BadSourceUrl("empty URL")
    if "://" not in url and not url.startswith(("http:", "https:")):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadSourceUrl(f"malformed URL {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadSourceUrl(f"only http and https feeds are supported, got {scheme}:")
    host = (parts.hostname or "").lower()
    if not host or any(c.isspace() for c in url):
        raise BadSourceUrl(f"not a usable URL: {url!r}")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if parts.username:
        raise BadSourceUrl("URLs with credentials are not supported")
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def get_source(url: str, *, session: Session) -> Source | None:
    return session.exec(select(Source).where(Source.url == url)).first()


def add_source(url: str, *, session: Session, title: str = "", site_url: str = "", added_by: str = "operator",
               now: datetime | None = None) -> tuple[Source, bool]:
    """The source for `url` (normalized) and whether it was created now; the same URL twice is one source."""
    url = normalize_source_url(url)
    if added_by not in ADDED_BY:
        raise ValueError(f"added_by must be one of {ADDED_BY}")
    existing = get_source(url, session=session)
    if existing is not None:
        return existing, False
    now = now or utcnow()
    source = Source(url=url, title=title[:300], site_url=site_url[:1000], added_by=added_by, added_at=now,
                    next_fetch_at=now)
    session.add(source)
    session.flush()
    return source, True


def insert_sources_ignoring_duplicates(rows: Iterable[tuple[str, str, str]], *, session: Session,
                                       added_by: str = "operator", now: datetime | None = None) -> int:
    """Insert (url, title, site_url) rows, skipping URLs already present even under a concurrent insert."""
    now = now or utcnow()
    values = []
    seen: set[str] = set()
    for url, title, site_url in rows:
        try:
            url = normalize_source_url(url)
        except BadSourceUrl:
            continue
        if url not in seen:
            seen.add(url)
            values.append({"url": url, "title": title[:300], "site_url": site_url[:1000], "added_by": added_by,
                           "added_at": now, "next_fetch_at": now, "last_status": "never", "last_error": "",
                           "error_count": 0, "retired": False})
    if not values:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    added = 0
    for start in range(0, len(values), 500):
        statement = (insert(Source).values(values[start:start + 500])
                     .on_conflict_do_nothing(index_elements=["url"]).returning(col(Source.id)))
        added += len(session.execute(statement).all())
    return added


def list_sources(*, session: Session, include_retired: bool = True) -> Sequence[Source]:
    query = select(Source).order_by(col(Source.id))
    if not include_retired:
        query = query.where(col(Source.retired).is_(False))
    return session.exec(query).all()


def count_sources(*, session: Session) -> int:
    return int(session.exec(select(sa.func.count(col(Source.id)))).one())


def article_counts(*, session: Session) -> dict[int, int]:
    rows = session.exec(select(Article.source_id, sa.func.count(col(Article.id))).group_by(col(Article.source_id)))
    return {source_id: int(n) for source_id, n in rows.all()}


def source_public(source: Source, *, articles: int | None = None) -> dict[str, object]:
    """What `agentoire feeds list --json` shows for a source."""
    status = "gone" if source.retired else source.last_status
    return {
        "url": source.url,
        "title": source.title,
        "site_url": source.site_url,
        "added_by": source.added_by,
        "last_status": status,
        "last_error": source.last_error,
        "error_count": source.error_count,
        "last_fetched_at": source.last_fetched_at,
        "next_fetch_at": None if source.retired else source.next_fetch_at,
        "interval_seconds": source.interval_seconds,
        "retired": source.retired,
        "articles": articles,
    }
