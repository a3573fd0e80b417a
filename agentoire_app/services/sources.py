"""News sources: queries and commands on the `source` table (`*, session`, no HTTP here), and what of a
source the public may see.

The operator may read feeds on loopback or a private network, and a failing feed's error text can carry
exception strings and internal host names. The CLI (`source_public`) shows all of it to the operator;
public output (pages, `/api`, OPML, Atom) goes through `url_is_publishable` and `public_reason` instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, select

# Adding a source is ingest's rule too (OPML, the default list), so it lives there; re-exported for callers.
from ..ingest.source_rows import ADDED_BY as ADDED_BY
from ..ingest.source_rows import BadSourceUrl as BadSourceUrl
from ..ingest.source_rows import add_source as add_source
from ..ingest.source_rows import count_sources as count_sources
from ..ingest.source_rows import get_source as get_source
from ..ingest.source_rows import insert_sources_ignoring_duplicates as insert_sources_ignoring_duplicates
from ..ingest.source_rows import normalize_source_url as normalize_source_url
from ..models import Article, Source
from ..net.addresses import is_local_name, is_public_address


def list_sources(*, session: Session, include_retired: bool = True) -> Sequence[Source]:
    query = select(Source).order_by(col(Source.id))
    if not include_retired:
        query = query.where(col(Source.retired).is_(False))
    return session.exec(query).all()


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


def url_is_publishable(url: str) -> bool:
    """Whether an address may appear in public output: not loopback, private or a local-only name.

    Decided from the URL alone (no DNS lookup per request); a public-looking name that resolves to a private
    address still shows, as it would in any reader's OPML.
    """
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    if not host:
        return False
    try:
        return is_public_address(host)
    except ValueError:
        return not is_local_name(host)


# (pattern over the stored error, what the public is told); first match wins, and anything else gets the
# last, generic line: the stored text may name internal hosts, paths or exception details.
PUBLIC_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^HTTP (\d{3})"), "the feed answered {0}"),
    (re.compile(r"^could not store", re.I), "could not be stored"),
    (re.compile(r"timeout|timed out|gave up after|stalled", re.I), "timed out"),
    (re.compile(r"redirects", re.I), "too many redirects"),
    (re.compile(r"over the .* cap", re.I), "the feed is too large"),
    (re.compile(r"^refused:", re.I), "refused: not a public address"),
    (re.compile(r"HTML page|not an RSS|empty body|no entries", re.I), "not a feed"),
    (re.compile(r"^ill-formed feed", re.I), "ill-formed feed"),
    (re.compile(r"cannot connect|does not resolve|connection", re.I), "could not connect"),
    (re.compile(r""), "could not be read"),
)


def public_reason(error: str) -> str:
    """A short, fixed phrase for a stored fetch or parse error (empty when there is none)."""
    if not error.strip():
        return ""
    for pattern, reason in PUBLIC_REASONS:
        match = pattern.search(error)
        if match:
            return reason.format(*match.groups())
    return ""


def public_source_name(source: Source) -> str:
    """A source's name wherever it is shown, pages and public output alike: its title, else a publishable
    address's host (its site's first), else a placeholder, so an untitled private source's address never
    shows, not even its host."""
    if source.title:
        return source.title
    for url in (source.site_url, source.url):
        if url and url_is_publishable(url):
            return (urlsplit(url).hostname or "").removeprefix("www.")
    return "a private source"


def source_status_public(source: Source) -> dict[str, str]:
    """A source as the news page's empty state shows it: name, public address, state and a short reason."""
    if source.retired:
        state, reason = "retired", "the feed is gone (410)"
    elif source.last_status == "never":
        state, reason = "not fetched yet", ""
    elif source.last_status == "error":
        state, reason = "failing", public_reason(source.last_error) or "could not be read"
    else:
        state, reason = "ok", ""
    url = source.url if url_is_publishable(source.url) else ""
    return {"name": public_source_name(source), "url": url, "state": state, "reason": reason}
