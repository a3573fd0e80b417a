"""The ingest stages one by one: parsing against the corpus, cleaning, categories, mentions, slugs,
scheduling, the public-URL guard, discovery, default sources and the lifespan loop."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from feedserver import FEEDS, FeedServer, running_server
from sqlmodel import Session, select

from agentoire_app.db import session_scope, upgrade_schema
from agentoire_app.desk import loop as refresh_loop_module
from agentoire_app.ingest import schedule
from agentoire_app.ingest.categorize import CATEGORIES, RULES, categorize
from agentoire_app.ingest.clean import clean_html, html_to_text
from agentoire_app.ingest.discover import find_feed_links
from agentoire_app.ingest.fetch import Fetcher
from agentoire_app.ingest.mentions import MAX_NAME_TOKENS, ToolMatcher, tokenize
from agentoire_app.ingest.parse import HtmlPage, NotAFeed, parse_feed
from agentoire_app.ingest.refresh import refresh_sources
from agentoire_app.ingest.sources import DEFAULT_SOURCES_OPML, load_default_sources, parse_opml
from agentoire_app.ingest.stop import StopRequest
from agentoire_app.models import Source
from agentoire_app.models.slugs import slugify, unique_slug
from agentoire_app.models.text import shorten
from agentoire_app.net.addresses import check_public_url
from agentoire_app.services.sources import BadSourceUrl, add_source, normalize_source_url

MANIFEST = list(csv.DictReader((FEEDS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


# --- parsing: golden files beside each feed of the corpus --------------------------------------------
# As lemon24/reader pairs `full.rss` with `full.rss.py`, each feed has `<file>.expected.json`: the feed's
# title, link and version and every entry's id, title, link and dates as `parse_feed` reads them (or
# the refusal). They were written once from the parser's output and checked by eye against the XML;
# `AGENTOIRE_WRITE_GOLDEN=1 python -m pytest tests/test_ingest_units.py -k parsing` rewrites them after
# a deliberate change, and `git diff` then shows what the change did to every feed.

def _golden(data: bytes) -> dict[str, Any]:
    try:
        parsed = parse_feed(data, url="https://feeds.example/f")
    except NotAFeed as exc:
        return {"refused": type(exc).__name__, "reason": str(exc)}
    return {
        "title": parsed.title, "site_url": parsed.site_url, "version": parsed.version, "warning": parsed.warning,
        "entries": [{"guid": e.guid, "title": e.title, "link": e.link,
                     "published": e.published.isoformat() if e.published else None,
                     "updated": e.updated.isoformat() if e.updated else None} for e in parsed.entries],
    }


@pytest.mark.parametrize("row", MANIFEST, ids=[r["filename"] for r in MANIFEST])
def test_parsing_gives_the_golden_titles_links_and_dates(row: dict[str, str]) -> None:
    golden = FEEDS / f"{row['filename']}.expected.json"
    actual = _golden((FEEDS / row["filename"]).read_bytes())
    if os.environ.get("AGENTOIRE_WRITE_GOLDEN") == "1":
        golden.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", MANIFEST, ids=[r["filename"] for r in MANIFEST])
def test_parsing_keeps_what_feedparser_finds_and_refuses_junk(row: dict[str, str]) -> None:
    data = (FEEDS / row["filename"]).read_bytes()
    expected = int(row["fp_entries"])
    if row["expected"].startswith("error"):
        with pytest.raises(NotAFeed):
            parse_feed(data, url="https://feeds.example/f")
    elif expected:
        parsed = parse_feed(data, url="https://feeds.example/f")
        assert len(parsed.entries) == expected
        if "SAXParseException" in row["fp_bozo_exception"]:
            assert "ill-formed" in parsed.warning  # kept, with the reason
    else:
        try:
            assert parse_feed(data, url="https://feeds.example/f").entries == []
        except NotAFeed as exc:  # ill-formed with nothing to keep: an error that says so
            assert "ill-formed" in str(exc) or "not an RSS" in str(exc)


def test_an_html_page_an_empty_body_and_junk_each_say_what_they_are() -> None:
    with pytest.raises(HtmlPage, match="HTML page"):
        parse_feed((FEEDS / "rd_sqlite_releases.html").read_bytes(), url="https://x.example/")
    with pytest.raises(NotAFeed, match="empty body"):
        parse_feed(b"  \n", url="https://x.example/")
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed"):
        parse_feed(b"\x89PNG\r\n\x1a\n\x00\x00binary", url="https://x.example/")
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed"):
        parse_feed(b'{"items": []}', url="https://x.example/", headers={"content-type": "application/json"})


def test_entities_are_never_expanded_or_resolved() -> None:
    laughs = parse_feed((FEEDS / "syn_billion_laughs.rss").read_bytes(), url="https://x.example/")
    assert len(laughs.entries[0].title) < 100
    xxe = parse_feed((FEEDS / "syn_xxe_file.rss").read_bytes(), url="https://x.example/")
    assert "root:" not in xxe.entries[0].title


# --- cleaning ------------------------------------------------------------------------------------------

def test_the_allowlist_keeps_structure_and_drops_everything_active() -> None:
    dirty = ('<h2 id="x" class="c">Head</h2><p style="color:red" onclick="x()">Para <em>em</em> '
             '<a href="/rel" target="_blank">rel</a> <a href="mailto:a@b.example">mail</a> '
             '<a href="javascript:alert(1)">js</a> <a href="data:text/html,hi">data</a></p>'
             '<table><tr><th colspan="2">h</th></tr><tr><td>c</td><td>d</td></tr></table>'
             '<img src="data:image/png;base64,AAAA"><img src="//cdn.example/i.png" onerror="x()">'
             "<iframe src=\"https://evil.example\">frame text</iframe><script>evil()</script>"
             "<style>p{}</style><form><input name=q>form text</form><svg><script>x</script></svg>"
             "<blockquote>q</blockquote><pre><code>c</code></pre><ul><li>i</li></ul>")
    clean = clean_html(dirty, base_url="https://site.example/posts/1")
    assert "<h2>Head</h2>" in clean
    assert '<a href="https://site.example/rel" rel="noopener noreferrer nofollow">rel</a>' in clean
    assert 'href="mailto:a@b.example"' in clean
    assert '<th colspan="2">h</th>' in clean and "<blockquote>q</blockquote>" in clean
    assert '<img src="https://cdn.example/i.png">' in clean
    for gone in ("javascript:", "data:", "onclick", "onerror", "style", "class=", "id=", "target", "<iframe",
                 "frame text", "<script", "evil()", "<form", "form text", "<svg", "<input"):
        assert gone not in clean, gone


def test_summaries_are_plain_text_of_bounded_length() -> None:
    text = html_to_text("<p>One &amp; two</p><p>three<script>no()</script></p>")
    assert text == "One & two three"
    long = shorten("word " * 500)
    assert len(long) <= 400 and long.endswith("…")


# --- categories, mentions, slugs -----------------------------------------------------------------------

@pytest.mark.parametrize(("title", "text", "category"), [
    ("Anthropic raises $2B to launch new products", "", "funding"),
    ("EU lawmakers agree on the AI Act", "", "policy"),
    ("A new jailbreak beats every guardrail", "", "safety"),
    ("Scaling laws revisited", "In this paper we propose a benchmark", "research"),
    ("Mistral releases open-weight model under Apache 2.0", "", "open-source"),
    ("Nvidia's next GPU", "", "hardware"),
    ("OpenAI acquires a startup", "", "business"),
    ("How to run a model on a laptop", "", "how-to"),
    ("Google launches Gemini in Gmail", "", "product"),
    ("Thoughts on Tuesday", "", "industry"),
])
def test_categories_come_from_the_ordered_rules_with_a_reason(title: str, text: str, category: str) -> None:
    result = categorize(title, text)
    assert result.category == category
    assert result.reason != "" and category in CATEGORIES
    assert [name for name, _ in RULES][:6] == ["funding", "policy", "safety", "research", "open-source", "hardware"]


def test_tool_mentions_are_careful_with_common_words() -> None:
    matcher = ToolMatcher([(1, "Cursor"), (2, "Ollama"), (3, "llama.cpp"), (4, "Continue"), (5, "Jan"),
                           (6, "Claude"), (7, "Phoenix"), (8, "GitHub Copilot"), (9, "Haystack"), (10, "LM Studio")])
    assert matcher.find("Move the cursor, then continue. Phoenix, Arizona. A needle in a haystack.") == []
    assert matcher.find("In Jan 2025, on Jan 15, we met.") == []
    assert matcher.find("Cursor, the AI code editor, now runs Ollama models via llama.cpp") == [1, 2, 3]
    assert matcher.find("The Continue extension and the Jan app; Claude's answer") == [4, 5, 6]
    assert matcher.find("github copilot and lm studio, lowercased") == [8, 10]
    assert matcher.find("Arize Phoenix is an open-source framework for tracing; Haystack framework") == [7, 9]


class _CountingIndex(dict[tuple[str, ...], Any]):
    """The matcher's name index, counting the lookups `find` makes."""

    lookups = 0

    def get(self, key: tuple[str, ...], default: Any = None) -> Any:
        self.lookups += 1
        return super().get(key, default)

    def _scan(self, *_args: Any) -> Any:
        raise AssertionError("finding mentions must not walk the whole catalog")

    __iter__ = items = keys = values = _scan  # type: ignore[assignment]


def _lookups(matcher: ToolMatcher, text: str) -> tuple[list[int], int]:
    index = _CountingIndex(matcher._by_key)
    matcher._by_key = index
    return matcher.find(text), index.lookups


def test_mention_finding_costs_the_same_for_ten_thousand_tools_as_for_a_hundred() -> None:
    """Finding mentions is a few lookups per token of the story, whatever the catalog's size (the time it
    takes is a figure in bench/ingest.py, not an assertion here)."""
    rng = random.Random(7)
    names = [f"Tool{i}{rng.choice(['AI', 'ly', 'io', 'GPT'])}" for i in range(10_000)]
    text = " ".join(rng.choice(["the", "model", "agent", "Tool42ly", "Tool7 AI", "open", "code"]) for _ in range(800))
    small = ToolMatcher(enumerate(names[:100]))
    large = ToolMatcher(enumerate(names))
    assert len(large) == 10_000
    found_small, lookups_small = _lookups(small, text)
    found_large, lookups_large = _lookups(large, text)
    assert found_large == found_small == ([42] if names[42] == "Tool42ly" else [])
    assert lookups_large == lookups_small
    assert lookups_large <= len(tokenize(text)) * MAX_NAME_TOKENS


def test_slugs_read_like_the_title_are_unique_and_never_empty() -> None:
    assert slugify("China's open-source bet") == "chinas-open-source-bet"
    assert slugify("Ça va? L'IA « générative » & vous") == "ca-va-lia-generative-vous"
    assert slugify("امریکی عسکری امداد", fallback="story-1a2b") == "story-1a2b"
    assert len(slugify("word " * 100)) <= 80 and not slugify("word " * 100).endswith("-")
    taken = {"a", "a-2"}
    assert unique_slug("a", taken) == "a-3"
    assert unique_slug("b", taken) == "b"


# --- scheduling -----------------------------------------------------------------------------------------

def test_backoff_doubles_with_jitter_up_to_a_cap() -> None:
    rng = random.Random(1)
    delays = [schedule.backoff_seconds(900, n, rng) for n in range(1, 12)]
    for n, delay in enumerate(delays[:5], start=1):
        assert 900 * 2 ** (n - 1) * 0.8 <= delay <= 900 * 2 ** (n - 1) * 1.2
    assert max(delays) <= schedule.BACKOFF_CAP
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert schedule.next_fetch_after_error(now, 900, 3, retry_after=120, rng=rng) == now + timedelta(seconds=120)
    assert schedule.server_interval(900, max_age=60, ttl_minutes=None) is None
    assert schedule.server_interval(900, max_age=10**9, ttl_minutes=None) == schedule.MAX_INTERVAL


# --- who may point us where --------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed", "http://localhost:8000/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "http://[fe80::1]/", "http://224.0.0.1/",
    "ftp://example.com/feed", "javascript:alert(1)", "file:///etc/passwd", "http:///nohost",
])
def test_public_urls_never_reach_private_or_loopback_addresses(url: str) -> None:
    assert check_public_url(url) is not None


def test_a_public_address_passes_the_guard() -> None:
    assert check_public_url("https://93.184.215.14/feed") is None


def test_a_public_source_on_loopback_is_refused_an_operator_one_is_fetched(server: FeedServer,
                                                                          sqlite_url: str) -> None:
    upgrade_schema(sqlite_url)
    with session_scope(sqlite_url) as session:
        add_source(server.feed("/public", "rd_full.rss"), session=session, added_by="public")
        add_source(server.feed("/operator", "rd_full.rss"), session=session)

    async def run():  # type: ignore[no-untyped-def]
        async with Fetcher() as fetcher:
            return await refresh_sources(db_url=sqlite_url, all_sources=True, fetcher=fetcher)

    outcomes = {f.url.rsplit("/", 1)[-1]: f for f in asyncio.run(run()).feeds}
    assert outcomes["public"].status == "error" and "non-public address" in outcomes["public"].error
    assert outcomes["operator"].status == "ok" and outcomes["operator"].new == 5
    assert server.hits("/public") == []


def test_source_urls_are_normalized_and_bad_ones_refused() -> None:
    assert normalize_source_url("HTTPS://Example.COM:443/feed#top") == "https://example.com/feed"
    assert normalize_source_url("example.com/rss") == "https://example.com/rss"
    for bad in ("", "ftp://x.example/", "http://", "http://user:pw@x.example/"):
        with pytest.raises(BadSourceUrl):
            normalize_source_url(bad)


# --- discovery and sources ----------------------------------------------------------------------------

def test_a_page_announces_its_feeds_with_link_rel_alternate() -> None:
    page = b"""<html><head><base href="https://blog.example/sub/">
    <link rel="stylesheet" href="s.css"><link rel="alternate" type="application/rss+xml" href="feed.xml">
    <link rel="alternate" type="application/atom+xml" href="https://blog.example/atom.xml">
    <link rel="alternate" type="text/html" hreflang="fr" href="/fr/"></head></html>"""
    assert find_feed_links(page, base_url="https://blog.example/") == [
        "https://blog.example/sub/feed.xml", "https://blog.example/atom.xml"]


def test_default_sources_are_real_ai_feeds_loaded_once(session: Session) -> None:
    rows = parse_opml(DEFAULT_SOURCES_OPML.read_bytes())
    assert len(rows) >= 15
    added = load_default_sources(session=session)
    session.commit()
    assert added == len({normalize_source_url(u) for u, _, _ in rows})
    assert load_default_sources(session=session) == 0
    urls = set(session.exec(select(Source.url)).all())
    for host in ("technologyreview.com", "theverge.com", "techcrunch.com", "venturebeat.com", "arstechnica.com",
                 "openai.com", "deepmind.google", "huggingface.co", "microsoft.com", "nvidia.com", "arxiv.org",
                 "simonwillison.net", "latent.space", "deeplearning.ai", "importai"):
        assert any(host in u for u in urls), host
    assert all(u.startswith("https://") for u in urls)


# --- the lifespan loop ----------------------------------------------------------------------------------

def test_the_loop_is_off_when_the_period_is_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_REFRESH_SECONDS", "0")
    asyncio.run(asyncio.wait_for(refresh_loop_module.refresh_loop(StopRequest()), timeout=2))


def test_the_loop_refreshes_then_stops_cleanly_when_cancelled(server: FeedServer, sqlite_url: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade_schema(sqlite_url)
    url = server.feed("/looped", "rd_full.rss")
    with session_scope(sqlite_url) as session:
        add_source(url, session=session)
    monkeypatch.setenv("AGENTOIRE_REFRESH_SECONDS", "3600")
    monkeypatch.setattr(refresh_loop_module, "FIRST_DELAY_SECONDS", (0.0, 0.0))

    async def scenario() -> str:
        task = asyncio.create_task(refresh_loop_module.refresh_loop(StopRequest()))
        status = "never"
        for _ in range(200):
            await asyncio.sleep(0.05)
            with session_scope(sqlite_url) as session:
                status = session.exec(select(Source.last_status)).one()
            if status == "ok":
                break
        task.cancel()
        await asyncio.wait_for(task, timeout=5)  # returns quietly instead of raising CancelledError
        return status

    assert asyncio.run(scenario()) == "ok"
