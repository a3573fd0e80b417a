"""A refresh against a real loopback server and a real database (SQLite and PostgreSQL).

The specification of a good citizen on the wire, stable identities and slugs,
in-place updates, every source's status on its row, one source never blocking the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest
from feedserver import ATOM, FEEDS, RSS, FeedServer, running_server
from sqlmodel import Session, col, select

from agentoire_app.db import get_engine, session_scope, upgrade_schema
from agentoire_app.desk.rounds import news_round
from agentoire_app.ingest import refresh as refresh_module
from agentoire_app.ingest.fetch import USER_AGENT, Fetcher
from agentoire_app.ingest.refresh import RefreshReport
from agentoire_app.models import Article, ArticleTool, Category, Source, Tool
from agentoire_app.services.sources import add_source

NOW = datetime(2026, 4, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


@pytest.fixture
def db(db_url: str) -> str:
    upgrade_schema(db_url)
    return db_url


@pytest.fixture
def sqlite_db(sqlite_url: str) -> str:
    """For specifications about parsing and the wire, where the database kind does not matter."""
    upgrade_schema(sqlite_url)
    return sqlite_url


def add(db_url: str, url: str, **kwargs: Any) -> str:
    with session_scope(db_url) as session:
        source, _ = add_source(url, session=session, **kwargs)
        return source.url


def refresh(db_url: str, *, now: datetime = NOW, all_sources: bool = True, url: str | None = None,
            **fetcher_options: Any) -> RefreshReport:
    """A round as `agentoire refresh --once` runs it: the refresh, then notes, stories and candidates."""
    options = {"read_timeout": 2.0, "connect_timeout": 2.0, "total_timeout": 6.0, **fetcher_options}

    async def run() -> RefreshReport:
        async with Fetcher(**options) as fetcher:
            return await news_round(db_url=db_url, now=now, all_sources=all_sources, url=url, fetcher=fetcher)

    return asyncio.run(run())


def source_row(db_url: str, url: str) -> Source:
    with Session(get_engine(db_url)) as session:
        source = session.exec(select(Source).where(Source.url == url)).one()
        session.expunge(source)
        return source


def articles(db_url: str, source_url: str | None = None) -> list[Article]:
    with Session(get_engine(db_url)) as session:
        query = select(Article).order_by(col(Article.id))
        if source_url:
            query = query.join(Source, col(Source.id) == Article.source_id).where(Source.url == source_url)
        rows = list(session.exec(query).all())
        for row in rows:
            session.expunge(row)
        return rows


def outcome(report: RefreshReport, url: str) -> dict[str, Any]:
    return next(f for f in report.to_json()["feeds"] if f["url"] == url)


# --- entries --------------------------------------------------------------------------------------

@pytest.mark.parametrize("filename", ["mf_dustri_large.atom", "mf_golem_iso8859-1.xml", "rd_full.rss",
                                      "mf_heise_rss090_rdf.xml", "mf_bbc_urdu_utf8.xml", "rd_empty.rss"])
def test_entry_counts_match_what_feedparser_finds_in_the_same_file(server: FeedServer, sqlite_db: str,
                                                                   filename: str) -> None:
    db = sqlite_db
    url = add(db, server.feed("/" + filename, filename))
    expected = len(feedparser.parse((FEEDS / filename).read_bytes()).entries)
    report = refresh(db)
    assert outcome(report, url) == {"url": url, "status": "ok", "new": expected, "updated": 0, "error": ""}
    assert len(articles(db, url)) == expected


def test_three_refreshes_of_the_same_feed_give_the_same_rows(server: FeedServer, db: str) -> None:
    urls = [add(db, server.feed(f"/{name}", name)) for name in
            ("mf_github_commits.atom", "mf_heise_rss090_rdf.xml", "mf_cerclepsy_undeclared_latin1.xml")]
    refresh(db)
    first = [(a.id, a.slug, a.guid, a.content_hash) for a in articles(db)]
    for later in (NOW + timedelta(hours=1), NOW + timedelta(hours=2)):
        report = refresh(db, now=later)
        assert all(f["new"] == 0 and f["updated"] == 0 for f in report.to_json()["feeds"]), report
    assert [(a.id, a.slug, a.guid, a.content_hash) for a in articles(db)] == first
    assert len({a.slug for a in articles(db)}) == len(first)
    assert all(source_row(db, u).last_status == "ok" for u in urls)


def test_entries_without_guid_or_link_are_identified_by_a_content_hash(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/cdata", "fp_illformed_incomplete_cdata.xml"))
    refresh(db)
    refresh(db, now=NOW + timedelta(hours=1))
    [article] = articles(db, url)
    assert article.guid.startswith("sha256:")


def _rss(title: str, body: str, updated: str = "Tue, 21 Apr 2026 10:00:00 GMT") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Desk</title>
<link>https://desk.example/</link>
<item><guid>https://desk.example/1</guid><link>https://desk.example/1</link><title>{title}</title>
<description>{body}</description><pubDate>Tue, 21 Apr 2026 08:00:00 GMT</pubDate>
<atom:updated>{updated}</atom:updated></item>
</channel></rss>"""


def test_a_changed_title_or_content_updates_the_row_in_place_with_the_same_slug(server: FeedServer,
                                                                                 db: str) -> None:
    url = add(db, server.route("/desk", _rss("China's open-source bet", "First take."), headers={"Content-Type": RSS}))
    refresh(db)
    [before] = articles(db, url)
    assert before.slug == "chinas-open-source-bet"

    server.route("/desk", _rss("China's open-source bet, revisited", "Second take."), headers={"Content-Type": RSS})
    report = refresh(db, now=NOW + timedelta(hours=1))
    assert outcome(report, url)["updated"] == 1 and outcome(report, url)["new"] == 0
    [after] = articles(db, url)
    assert (after.id, after.slug, after.published_at) == (before.id, before.slug, before.published_at)
    assert after.title == "China's open-source bet, revisited"
    assert "Second take." in after.content_html

    server.route("/desk", _rss("China's open-source bet, revisited", "Second take.",
                               updated="Wed, 22 Apr 2026 10:00:00 GMT"), headers={"Content-Type": RSS})
    assert outcome(refresh(db, now=NOW + timedelta(hours=2)), url)["updated"] == 1
    [last] = articles(db, url)
    assert last.slug == before.slug and last.updated_at == datetime(2026, 4, 22, 10, tzinfo=UTC)


def test_slugs_read_like_the_title_and_are_unique_across_sources(server: FeedServer, db: str) -> None:
    one = add(db, server.route("/one", _rss("China's open-source bet", "a"), headers={"Content-Type": RSS}))
    refresh(db)
    two = add(db, server.route("/two", _rss("China’s Open-Source Bet", "b"), headers={"Content-Type": RSS}))
    refresh(db)
    assert articles(db, one)[0].slug == "chinas-open-source-bet"
    assert articles(db, two)[0].slug == "chinas-open-source-bet-2"


def test_dates_are_utc_a_missing_date_is_first_seen_and_a_future_date_is_clamped(server: FeedServer,
                                                                                 db: str) -> None:
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><guid>a</guid><title>Zoned</title><pubDate>Tue, 21 Apr 2026 10:00:00 +0200</pubDate></item>
<item><guid>b</guid><title>Undated</title></item>
<item><guid>c</guid><title>From the future</title><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>
</channel></rss>"""
    url = add(db, server.route("/dates", feed, headers={"Content-Type": RSS}))
    refresh(db)
    by_title = {a.title: a for a in articles(db, url)}
    assert by_title["Zoned"].published_at == datetime(2026, 4, 21, 8, 0, tzinfo=UTC)
    assert by_title["Undated"].published_at == NOW
    assert by_title["From the future"].published_at == NOW
    refresh(db, now=NOW + timedelta(days=1))
    assert {a.title: a.published_at for a in articles(db, url)}["Undated"] == NOW  # first seen stays first seen


# --- hostile content --------------------------------------------------------------------------------

HOSTILE = [*sorted(p.name for p in FEEDS.glob("fp_xss_*.xml")),
           "rd_relative.rss", "rd_relative.atom", "syn_billion_laughs.rss", "syn_xxe_file.rss"]


def test_no_script_handler_or_javascript_url_survives_in_stored_html(server: FeedServer, db: str) -> None:
    for name in HOSTILE:
        add(db, server.feed("/" + name, name, content_type=ATOM if "atom" in name else RSS))
    report = refresh(db)
    assert sum(f["new"] for f in report.to_json()["feeds"]) >= 12
    stored = articles(db)
    for article in stored:
        for html in (article.content_html, article.notes_html):
            lowered = html.lower()
            for needle in ("<script", "<style", "<iframe", "<object", "<embed", "<form", "javascript:",
                           "data:", "onerror", "onload", "onclick", "onmouseover", "style=", "<!--"):
                assert needle not in lowered, (article.guid, needle, html)
        assert "root:" not in article.title + article.content_html  # no XXE file read


def test_relative_urls_resolve_against_the_entry_and_links_get_nofollow(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/relative", "rd_relative.rss"))
    refresh(db)
    [article] = articles(db, url)
    assert article.url == server.url("/blog/post/1")
    feed = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/news/"><title>b</title>
<entry><id>urn:x</id><title>Based</title><link href="story.html"/>
<content type="html">&lt;p&gt;&lt;a href="other.html"&gt;o&lt;/a&gt; &lt;img src="pic.png"&gt;&lt;/p&gt;</content></entry></feed>"""
    based = add(db, server.route("/based", feed, headers={"Content-Type": ATOM}))
    refresh(db)
    [entry] = articles(db, based)
    assert entry.url == "https://base.example/news/story.html"
    assert 'href="https://base.example/news/other.html"' in entry.content_html
    assert 'rel="noopener noreferrer nofollow"' in entry.content_html
    assert 'src="https://base.example/news/pic.png"' in entry.content_html


def test_a_plain_text_content_is_escaped_not_rendered(server: FeedServer, db: str) -> None:
    feed = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:t</id><title>Text</title>
<content type="text">&lt;script&gt;alert(1)&lt;/script&gt; 2 &lt; 3</content></entry></feed>"""
    url = add(db, server.route("/text", feed, headers={"Content-Type": ATOM}))
    refresh(db)
    [article] = articles(db, url)
    assert article.content_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; 2 &lt; 3</p>"


# --- the wire ---------------------------------------------------------------------------------------

def test_validators_are_stored_and_sent_and_a_304_costs_no_parse(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/cond", "rd_full.rss", etag='"v1"', last_modified="Tue, 21 Apr 2026 08:00:00 GMT"))
    refresh(db)
    row = source_row(db, url)
    assert (row.etag, row.last_modified) == ('"v1"', "Tue, 21 Apr 2026 08:00:00 GMT")
    # Same validators, junk body: a parse would fail, so a clean not_modified proves no parse happened.
    server.route("/cond", b"<html>junk</html>", etag='"v1"', headers={"Content-Type": "text/html"})
    report = refresh(db, now=NOW + timedelta(hours=1))
    assert outcome(report, url) == {"url": url, "status": "not_modified", "new": 0, "updated": 0, "error": ""}
    second = server.hits("/cond")[-1].headers
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Tue, 21 Apr 2026 08:00:00 GMT"
    assert second["user-agent"] == USER_AGENT
    assert "gzip" in second["accept-encoding"] and "br" in second["accept-encoding"]
    row = source_row(db, url)
    assert row.last_status == "not_modified" and row.error_count == 0
    assert len(articles(db, url)) == 5


def test_a_gzipped_body_is_read(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/gz", "mf_github_commits.atom", content_type=ATOM, gzip=True))
    assert outcome(refresh(db), url)["new"] == 20


@pytest.mark.parametrize(("code", "moves"), [(301, True), (308, True), (302, False), (307, False)])
def test_permanent_redirects_update_the_stored_url_temporary_ones_do_not(server: FeedServer, db: str,
                                                                        code: int, moves: bool) -> None:
    target = server.feed("/real", "rd_full.rss")
    old = add(db, server.redirect(f"/old-{code}", code, "/real"))
    report = refresh(db)
    assert outcome(report, old)["new"] == 5
    with Session(get_engine(db)) as session:
        urls = set(session.exec(select(Source.url)).all())
    assert urls == ({target} if moves else {old})


def test_a_410_retires_the_source(server: FeedServer, db: str) -> None:
    url = add(db, server.route("/gone", status=410))
    assert outcome(refresh(db), url)["status"] == "error"
    row = source_row(db, url)
    assert row.retired and row.last_status == "gone"
    refresh(db, now=NOW + timedelta(days=2))
    assert len(server.hits("/gone")) == 1


def test_429_honours_retry_after(server: FeedServer, db: str) -> None:
    url = add(db, server.route("/busy", status=429, headers={"Retry-After": "7200"}))
    report = refresh(db)
    assert "429" in outcome(report, url)["error"]
    row = source_row(db, url)
    assert row.next_fetch_at == NOW + timedelta(seconds=7200)
    assert (row.last_status, row.error_count) == ("error", 1)


def test_503_honours_retry_after_as_a_date(server: FeedServer, db: str) -> None:
    url = add(db, server.route("/maint", status=503, headers={"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"}))
    refresh(db)
    assert source_row(db, url).next_fetch_at > NOW + timedelta(days=6)


def test_other_failures_back_off_exponentially_and_a_success_resets(server: FeedServer, db: str) -> None:
    url = add(db, server.route("/flaky", status=500))
    delays = []
    now = NOW
    for _ in range(4):
        refresh(db, now=now)
        row = source_row(db, url)
        delays.append((row.next_fetch_at - now).total_seconds())
        now = row.next_fetch_at
    assert row.error_count == 4 and row.last_error == "HTTP 500 Internal Server Error"
    assert delays[1] > delays[0] * 1.3 and delays[2] > delays[1] * 1.3 and delays[3] > delays[2] * 1.3
    server.feed("/flaky", "rd_full.rss")
    refresh(db, now=now)
    row = source_row(db, url)
    assert (row.last_status, row.error_count, row.last_error) == ("ok", 0, "")


def test_max_age_and_ttl_lengthen_the_interval_within_bounds(server: FeedServer, db: str) -> None:
    aged = add(db, server.feed("/aged", "mf_github_commits.atom", headers={"Cache-Control": "public, max-age=3600"}))
    greedy = add(db, server.feed("/greedy", "mf_github_commits.atom", headers={"Cache-Control": "max-age=9999999"}))
    ttl_feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><ttl>120</ttl>' \
               "<item><guid>x</guid><title>x</title></item></channel></rss>"
    ttl = add(db, server.route("/ttl", ttl_feed, headers={"Content-Type": RSS}))
    plain = add(db, server.feed("/plain", "mf_github_commits.atom"))
    refresh(db)
    assert source_row(db, aged).next_fetch_at == NOW + timedelta(hours=1)
    assert source_row(db, greedy).next_fetch_at == NOW + timedelta(hours=6)
    assert source_row(db, ttl).next_fetch_at == NOW + timedelta(hours=2)
    assert source_row(db, plain).next_fetch_at == NOW + timedelta(seconds=900)
    assert source_row(db, plain).interval_seconds is None


def test_only_due_sources_are_fetched_unless_all(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/due", "mf_github_commits.atom"))
    refresh(db, all_sources=False)
    report = refresh(db, all_sources=False, now=NOW + timedelta(minutes=5))
    assert report.feeds == []
    assert [f.url for f in refresh(db, all_sources=True, now=NOW + timedelta(minutes=5)).feeds] == [url]
    assert [f.url for f in refresh(db, all_sources=False, now=NOW + timedelta(minutes=30)).feeds] == [url]


def test_every_source_shows_its_status_and_a_bad_one_never_blocks_the_others(server: FeedServer,
                                                                             db: str) -> None:
    good = add(db, server.feed("/good", "mf_dustri_large.rss"))
    html = add(db, server.feed("/page", "rd_sqlite_releases.html", content_type="text/html; charset=utf-8"))
    empty = add(db, server.route("/empty", b"", headers={"Content-Type": RSS}))
    junk = add(db, server.route("/junk", b"\x00\x01 not a feed at all \xff", headers={"Content-Type": RSS}))
    stall = add(db, server.feed("/stall", "mf_dustri_large.atom", stall_after=1000))
    endless = add(db, server.route("/endless", endless=True, headers={"Content-Type": RSS}))
    big = add(db, server.route("/big", b"<rss>" + b" " * 300_000 + b"</rss>", headers={"Content-Type": RSS}))
    down = add(db, "http://127.0.0.1:9/nothing-listens-here")
    report = refresh(db, max_body_bytes=200_000, read_timeout=1.0)
    assert outcome(report, good)["new"] == 25
    errors = {url: outcome(report, url)["error"] for url in (html, empty, junk, stall, endless, big, down)}
    assert "HTML page" in errors[html]
    assert "empty body" in errors[empty]
    assert "not an RSS or Atom feed" in errors[junk] or "ill-formed" in errors[junk]
    assert "stalled" in errors[stall]
    assert "cap" in errors[endless] and "cap" in errors[big]
    assert "connect" in errors[down]
    for url, error in errors.items():
        row = source_row(db, url)
        assert (row.last_status, row.error_count, row.last_error) == ("error", 1, error)
        assert row.next_fetch_at > NOW
    assert articles(db, stall) == []


def test_an_ill_formed_feed_with_entries_is_kept_and_the_reason_recorded(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/amp", "fp_illformed_corrupted_ampersands.xml"))
    assert outcome(refresh(db), url)["new"] == 1
    row = source_row(db, url)
    assert row.last_status == "ok" and "ill-formed" in row.last_error


@pytest.mark.parametrize(("filename", "content_type", "needle"), [
    ("mf_golem_iso8859-1.xml", "application/rss+xml", "Hinweise"),  # declared in the prolog only
    ("mf_golem_iso8859-1.xml", "application/rss+xml; charset=iso-8859-1", "Hinweise"),
    ("mf_ibash_windows-1251.xml", "text/xml; charset=windows-1251", "Цитата"),
    ("mf_cerclepsy_undeclared_latin1.xml", "application/xml", "Perturbateurs endocriniens"),
    ("mf_bbc_urdu_utf8.xml", "text/xml", "امریکی"),
])
def test_wrong_and_missing_charsets_still_give_readable_text(server: FeedServer, sqlite_db: str, filename: str,
                                                             content_type: str, needle: str) -> None:
    db = sqlite_db
    url = add(db, server.feed("/enc", filename, content_type=content_type))
    refresh(db)
    assert any(needle in a.title for a in articles(db, url))
    assert not any("\ufffd" in a.title for a in articles(db, url))


# --- categories, mentions, notes -------------------------------------------------------------------

def test_stories_get_a_category_tool_links_and_notes_made_of_their_facts(server: FeedServer, db: str) -> None:
    with session_scope(db) as session:
        session.add(Category(slug="model-runtimes", name="Model runtimes"))
        session.add(Category(slug="coding", name="Coding assistants"))
        session.add(Tool(slug="ollama", name="Ollama", category="model-runtimes"))
        session.add(Tool(slug="cursor", name="Cursor", category="coding"))
        session.add(Tool(slug="continue", name="Continue", category="coding"))
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><title>Startup behind Cursor raises $900M</title>
<description>The AI code editor Cursor grew fast. Continue reading. Runs with ollama too.</description></item>
<item><guid>2</guid><title>Move the cursor faster</title><description>Continue to scroll.</description></item>
</channel></rss>"""
    url = add(db, server.route("/mentions", feed, headers={"Content-Type": RSS}))
    refresh(db)
    by_guid = {a.guid.rsplit("/", 1)[-1]: a for a in articles(db, url)}
    assert by_guid["1"].category == "funding"
    with Session(get_engine(db)) as session:
        linked = {(a, t) for a, t in session.exec(select(ArticleTool.article_id, Tool.slug)
                                                  .join(Tool, col(Tool.id) == ArticleTool.tool_id)).all()}
    assert linked == {(by_guid["1"].id, "cursor"), (by_guid["1"].id, "ollama")}
    notes = by_guid["1"].notes_html
    assert 'href="/tools/cursor"' in notes and 'href="/tools/ollama"' in notes and "Model runtimes" in notes
    assert "<strong>$900M</strong>" in notes and by_guid["1"].notes_origin == "facts"
    assert "names no tool from our catalog" in by_guid["2"].notes_html


def test_the_news_revision_changes_when_articles_land_or_change(server: FeedServer, db: str) -> None:
    from agentoire_app.services.news import news_revision

    def revision() -> str:
        with Session(get_engine(db)) as session:
            return news_revision(session=session)

    empty = revision()
    url = add(db, server.route("/rev", _rss("First", "a"), headers={"Content-Type": RSS}))
    refresh(db)
    landed = revision()
    refresh(db, now=NOW + timedelta(minutes=20))
    assert revision() == landed != empty  # nothing changed, nothing to reload
    server.route("/rev", _rss("First, corrected", "a"), headers={"Content-Type": RSS})
    refresh(db, now=NOW + timedelta(minutes=40))
    assert revision() != landed
    assert url


def test_nul_characters_in_a_feed_do_not_break_the_store(server: FeedServer, db: str) -> None:
    feed = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            "<entry><id>urn:nul</id><title>Nul</title><content type=\"text\">a&#0;b</content></entry></feed>")
    url = add(db, server.route("/nul", feed.encode(), headers={"Content-Type": ATOM}))
    report = refresh(db)
    assert outcome(report, url)["status"] == "ok", report
    assert "\x00" not in articles(db, url)[0].content_html


def test_a_big_refresh_parses_in_worker_processes_with_the_same_result(server: FeedServer, sqlite_url: str,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(refresh_module, "PROCESS_POOL_MIN_SOURCES", 2)  # a pool for 3 sources, not 40
    upgrade_schema(sqlite_url)
    with session_scope(sqlite_url) as session:
        session.add(Tool(slug="ollama", name="Ollama", category="other"))
        session.add(Category(slug="other", name="Other"))
    names = ["mf_dustri_large.atom", "mf_golem_iso8859-1.xml", "rd_full.rss"]
    urls = [add(sqlite_url, server.feed(f"/p/{n}", n)) for n in names]
    report = refresh(sqlite_url)
    assert [outcome(report, u)["new"] for u in urls] == [25, 40, 5]
    assert all(a.notes_html.startswith("<p>") and a.notes_origin == "facts" for a in articles(sqlite_url))
    assert not [r for r in caplog.records if "parse workers" in r.getMessage()]  # no fallback to threads


def test_at_most_two_requests_at_a_time_per_host_and_a_bounded_total(server: FeedServer, sqlite_db: str) -> None:
    db = sqlite_db
    for i in range(6):
        add(db, server.feed(f"/host/{i}", "rd_full.rss", delay=0.2))
    refresh(db)
    assert server.max_in_flight == 2  # every source is on 127.0.0.1: the per-host limit is what binds
    server.max_in_flight = 0

    async def through_a_narrow_fetcher() -> None:
        async with Fetcher(concurrency=1, per_host=5) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/host/{i}")) for i in range(4)))

    asyncio.run(through_a_narrow_fetcher())
    assert server.max_in_flight == 1


def test_a_byte_order_mark_outranks_a_wrong_charset_header(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/utf16", "fp_enc_utf16le_bom.xml", content_type="application/rss+xml; charset=utf-8"))
    assert outcome(refresh(db), url)["status"] == "ok"


def test_a_feed_title_with_markup_becomes_plain_text(server: FeedServer, db: str) -> None:
    url = add(db, server.feed("/jstitle", "fp_xss_javascript_uri_title.xml", content_type=ATOM))
    refresh(db)
    assert source_row(db, url).title == "safe"


def test_a_body_that_trickles_forever_hits_the_overall_time_limit(server: FeedServer, sqlite_db: str) -> None:
    db = sqlite_db
    url = add(db, server.route("/drip", drip=True, headers={"Content-Type": RSS}))
    other = add(db, server.feed("/fine", "rd_full.rss"))
    report = refresh(db, read_timeout=1.0, total_timeout=1.5)
    assert "gave up after 1.5 s" in outcome(report, url)["error"]
    assert outcome(report, other)["new"] == 5


def test_a_json_feed_is_read_too(server: FeedServer, db: str) -> None:
    import json

    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON desk", "items": [
        {"id": "j1", "url": "/stories/1", "title": "Ollama ships a new release",
         "content_html": "<p>Local models.<script>evil()</script></p>", "date_published": "2026-04-20T10:00:00+02:00"},
        {"id": 2, "url": "https://json.example/2", "content_text": "No title, just text."}]}
    url = add(db, server.route("/feed.json", json.dumps(feed), headers={"Content-Type": "application/feed+json"}))
    assert outcome(refresh(db), url)["new"] == 2
    by_guid = {a.guid: a for a in articles(db, url)}
    assert by_guid["j1"].url == server.url("/stories/1")
    assert by_guid["j1"].published_at == datetime(2026, 4, 20, 8, 0, tzinfo=UTC)
    assert by_guid["j1"].content_html == "<p>Local models.</p>" and by_guid["j1"].category == "product"
    assert by_guid["2"].title == "No title, just text."
    assert source_row(db, url).title == "JSON desk"
