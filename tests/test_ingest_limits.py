"""Per-feed limits, retention, and identities: specifications against a real server and both databases."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from feedserver import FeedServer, running_server
from sqlmodel import Session, col, select

from agentoire_app.db import get_engine, session_scope, upgrade_schema
from agentoire_app.ingest.fetch import Fetcher
from agentoire_app.ingest.prepare import MAX_CONTENT_CHARS, MAX_ENTRIES_PER_FETCH, MAX_TITLE_CHARS
from agentoire_app.ingest.refresh import RefreshReport, refresh_sources
from agentoire_app.ingest.store import DEFAULT_RETENTION, RetentionRule
from agentoire_app.models import Article, RemovedArticle, Source
from agentoire_app.services.removed import get_removed_article
from agentoire_app.services.sources import add_source

NOW = datetime(2026, 4, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


@pytest.fixture
def db(db_url: str) -> str:
    upgrade_schema(db_url)
    return db_url


def add(db_url: str, url: str) -> str:
    with session_scope(db_url) as session:
        source, _ = add_source(url, session=session)
        return source.url


def refresh(db_url: str, *, now: datetime = NOW, retention: RetentionRule = DEFAULT_RETENTION) -> RefreshReport:
    async def run() -> RefreshReport:
        async with Fetcher(read_timeout=2.0, connect_timeout=2.0, total_timeout=10.0) as fetcher:
            return await refresh_sources(db_url=db_url, now=now, all_sources=True, fetcher=fetcher,
                                         retention=retention)

    return asyncio.run(run())


def rows(db_url: str, model: Any) -> list[Any]:
    with Session(get_engine(db_url)) as session:
        found = list(session.exec(select(model).order_by(col(model.id))).all())
        for row in found:
            session.expunge(row)
        return found


def source_row(db_url: str, url: str) -> Source:
    with Session(get_engine(db_url)) as session:
        source = session.exec(select(Source).where(Source.url == url)).one()
        session.expunge(source)
        return source


def outcome(report: RefreshReport, url: str) -> dict[str, Any]:
    return next(f for f in report.to_json()["feeds"] if f["url"] == url)


def item(body: str = "", *, guid: str | None = None, title: str = "A story", published: datetime | None = None,
         link: str | None = None) -> str:
    parts = [f"<title>{title}</title>", f"<description><![CDATA[{body}]]></description>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if published is not None:
        parts.append(f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def rss(*items: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk</title>'
            "<link>https://desk.example/</link>" + "".join(items) + "</channel></rss>")


def numbered(count: int, *, start: datetime = NOW - timedelta(days=30)) -> list[str]:
    """`count` entries an hour apart, entry i published at start + i hours (so higher i is newer)."""
    return [item(f"<p>body {i}</p>", guid=f"g{i}", title=f"Story number {i}",
                 published=start + timedelta(hours=i)) for i in range(count)]


class _Balance(HTMLParser):
    VOID = frozenset({"br", "hr", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def well_formed(markup: str) -> bool:
    parser = _Balance()
    parser.feed(markup)
    parser.close()
    return parser.ok and not parser.stack


# --- per-feed limits ----------------------------------------------------------------------------------

def test_a_runaway_feed_keeps_the_newest_entries_and_says_how_many(server: FeedServer, db: str) -> None:
    total = MAX_ENTRIES_PER_FETCH + 250
    url = add(db, server.route("/many", rss(*numbered(total))))
    report = refresh(db)
    note = f"kept the newest {MAX_ENTRIES_PER_FETCH} of {total} entries"
    assert outcome(report, url) == {"url": url, "status": "ok", "new": MAX_ENTRIES_PER_FETCH, "updated": 0,
                                    "error": note}
    kept = {a.guid for a in rows(db, Article)}
    assert kept == {f"g{i}" for i in range(total - MAX_ENTRIES_PER_FETCH, total)}
    row = source_row(db, url)
    assert (row.last_status, row.last_error) == ("ok", note)


def test_a_huge_body_is_shortened_well_formed_with_a_note_and_a_long_title_is_cut(server: FeedServer,
                                                                                   db: str) -> None:
    paragraph = "<div><p>Long <b>read</b> &amp; <a href='/x'>more</a> text " + "word " * 40 + "</p>"
    body = paragraph * (3 * MAX_CONTENT_CHARS // len(paragraph)) + "</div>" * 10
    url = add(db, server.route("/huge", rss(item(body, guid="big", title="T" * 1000, published=NOW),
                                            item("<p>small</p>", guid="small", published=NOW))))
    report = refresh(db)
    assert outcome(report, url)["error"] == (f"1 body shortened to {MAX_CONTENT_CHARS // 1024} KB; "
                                             f"1 title shortened to {MAX_TITLE_CHARS} characters")
    big = next(a for a in rows(db, Article) if a.guid == "big")
    assert len(big.content_html) <= MAX_CONTENT_CHARS
    assert len(big.content_html) > MAX_CONTENT_CHARS // 2
    assert big.content_html.endswith("the original source has the rest.</em></p>")
    assert well_formed(big.content_html)
    assert "<script" not in big.content_html and 'href="http://127.0.0.1' in big.content_html
    assert len(big.title) <= MAX_TITLE_CHARS
    assert next(a for a in rows(db, Article) if a.guid == "small").content_html == "<p>small</p>"


# --- identities ------------------------------------------------------------------------------------------

def test_entries_without_guid_or_link_and_the_same_title_differ_by_their_content(server: FeedServer,
                                                                                  db: str) -> None:
    url = add(db, server.route("/noid", rss(item("<p>first body</p>", title="Same title"),
                                            item("<p>second body</p>", title="Same title"))))
    assert outcome(refresh(db), url)["new"] == 2
    assert outcome(refresh(db, now=NOW + timedelta(hours=1)), url)["new"] == 0
    stored = rows(db, Article)
    assert len({a.guid for a in stored}) == 2 and all(a.guid.startswith("sha256:") for a in stored)


def test_a_feed_repeating_a_guid_within_one_fetch_stores_its_first_occurrence(server: FeedServer,
                                                                              db: str) -> None:
    url = add(db, server.route("/twice", rss(item("<p>one</p>", guid="dup", title="First", published=NOW),
                                             item("<p>two</p>", guid="dup", title="Second", published=NOW))))
    assert outcome(refresh(db), url) == {"url": url, "status": "ok", "new": 1, "updated": 0, "error": ""}
    [article] = rows(db, Article)
    assert article.title == "First"


def test_a_304_keeps_the_stored_last_modified(server: FeedServer, db: str) -> None:
    stamp = "Tue, 21 Apr 2026 08:00:00 GMT"
    url = add(db, server.route("/cond", rss(*numbered(2)), etag='"v1"', last_modified=stamp))
    refresh(db)
    # This server's 304 carries the ETag only, as many do: the Last-Modified we stored must survive it.
    assert outcome(refresh(db, now=NOW + timedelta(hours=1)), url)["status"] == "not_modified"
    assert source_row(db, url).last_modified == stamp
    refresh(db, now=NOW + timedelta(hours=2))
    assert server.hits("/cond")[-1].headers["if-modified-since"] == stamp


# --- retention ---------------------------------------------------------------------------------------------

def test_retention_keeps_the_newest_and_the_young_and_removed_links_say_why(server: FeedServer, db: str) -> None:
    rule = RetentionRule(keep=3, min_age=timedelta(days=7))
    old = numbered(6, start=NOW - timedelta(days=30))
    young = [item(f"<p>young {i}</p>", guid=f"y{i}", title=f"Young story {i}",
                  published=NOW - timedelta(days=1, hours=i)) for i in range(4)]
    url = add(db, server.route("/churn", rss(*old, *young)))
    report = refresh(db, retention=rule)
    assert outcome(report, url)["new"] == 10
    assert outcome(report, url)["error"] == "removed 6 older stories (keeping the newest 3)"
    assert {a.guid for a in rows(db, Article)} == {"y0", "y1", "y2", "y3"}  # more than 3: all younger than 7 days
    removed = rows(db, RemovedArticle)
    assert sorted(r.guid for r in removed) == [f"g{i}" for i in range(6)]
    with session_scope(db) as session:
        tombstone = get_removed_article(removed[0].slug, session=session)
        assert tombstone is not None
        assert (tombstone.title, tombstone.reason) == (removed[0].title, "removed to keep the newest 3 stories "
                                                       "of this source")
    # The feed still carries the removed entries: they do not come back, and their slugs stay theirs.
    server.route("/churn", rss(*old, *young, item("<p>new</p>", guid="n1", title=removed[0].title,
                                                  published=NOW)))
    report = refresh(db, now=NOW + timedelta(hours=1), retention=rule)
    assert outcome(report, url)["new"] == 1
    fresh = next(a for a in rows(db, Article) if a.guid == "n1")
    assert fresh.slug != removed[0].slug
    assert source_row(db, url).last_status == "ok"


def test_without_old_articles_retention_removes_nothing(server: FeedServer, db: str) -> None:
    url = add(db, server.route("/calm", rss(*numbered(5))))
    assert outcome(refresh(db, retention=RetentionRule(keep=5)), url)["error"] == ""
    assert len(rows(db, Article)) == 5 and rows(db, RemovedArticle) == []
