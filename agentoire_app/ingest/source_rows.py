"""Adding sources: the canonical URL we store, and one source per URL however often (or concurrently) it
is added. Below `services` so that ingest's own importers (OPML, the default list) write rows the same way
`agentoire feeds add` does; `services.sources` re-exports these for everything above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from ..models import Source, utcnow
from .source_rules import new_source_fields

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
    source = Source(**new_source_fields(url, title=title, site_url=site_url, added_by=added_by,
                                        now=now or utcnow()))
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
            values.append(new_source_fields(url, title=title, site_url=site_url, added_by=added_by, now=now))
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


def count_sources(*, session: Session) -> int:
    return int(session.exec(select(sa.func.count(col(Source.id)))).one())
