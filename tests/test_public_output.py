"""Public output uses the configured base URL whatever Host a request claims, and never shows a private
source's address or the raw error text the operator sees in `agentoire feeds list`. Both databases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from directory_seed import article, categories, source, tool
from sqlmodel import Session, select
from starlette.testclient import TestClient

from agentoire_app.api import build_api
from agentoire_app.models import Source
from agentoire_app.services.news import list_articles
from agentoire_app.services.sources import (
    public_reason,
    source_public,
    source_status_public,
    url_is_publishable,
)
from agentoire_app.settings import SettingsError, get_settings
from agentoire_app.state.news import SourceStateRow, _source_state
from agentoire_app.state.rows import article_row

BASE_URL = "https://agentoire.example"
HOSTILE_HOST = "evil.attacker.example"
RAW_ERROR = "cannot connect: [Errno 111] Connect call failed ('10.9.8.7', 8123) via db-internal.corp"
PRIVATE_MARKS = ("127.0.0.1", "intranet.corp", "10.9.8.7", "db-internal", "Errno", "Traceback")


@pytest.fixture
def seeded(session: Session) -> Session:
    categories(session)
    mentioned = tool(session, "Alpha Agent", category="agents")
    public = source(session)
    article(session, public, "Public story about Alpha Agent", days=2, mentions=(mentioned,))
    private = Source(url="http://127.0.0.1:8123/feed.xml", title="", site_url="http://intranet.corp/news",
                     last_status="error", last_error=RAW_ERROR, error_count=3)
    session.add(private)
    session.commit()
    story = article(session, private, "Internal memo about Alpha Agent", days=3, mentions=(mentioned,))
    story.url = "http://127.0.0.1:8123/memo"
    session.add(story)
    session.commit()
    return session


@pytest.fixture
def client(seeded: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", BASE_URL)
    with TestClient(build_api(), base_url="http://agentoire.test") as c:
        yield c


@pytest.mark.parametrize("path", ["/feed.xml", "/tools/feed.xml", "/sitemap.xml"])
def test_a_hostile_host_header_never_reaches_the_links(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": HOSTILE_HOST, "X-Forwarded-Host": HOSTILE_HOST})
    assert response.status_code == 200
    assert HOSTILE_HOST not in response.text and "agentoire.test" not in response.text
    assert f"{BASE_URL}/" in response.text


def test_the_news_feed_links_to_the_base_url(client: TestClient) -> None:
    root = ET.fromstring(client.get("/feed.xml", headers={"Host": HOSTILE_HOST}).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    hrefs = [link.get("href") or "" for link in root.iter("{http://www.w3.org/2005/Atom}link")
             if link.get("rel") in ("self", "alternate")]
    assert hrefs and all(href.startswith(BASE_URL + "/") for href in hrefs)
    assert root.findtext("a:id", namespaces=ns) == f"{BASE_URL}/feed.xml"


def test_without_a_base_url_links_use_localhost_and_the_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTOIRE_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8080")
    assert get_settings().base_url == "http://localhost:8080"


@pytest.mark.parametrize("bad", ["agentoire.example", "ftp://agentoire.example", "https://", "https://a.example/?x=1"])
def test_a_base_url_that_is_not_one_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", bad)
    with pytest.raises(SettingsError, match="AGENTOIRE_BASE_URL"):
        get_settings()


@pytest.mark.parametrize("path", ["/sources.opml", "/feed.xml", "/api/news", "/api/tools/alpha-agent",
                                  "/api/news?q=memo", "/api/health"])
def test_private_sources_and_raw_errors_stay_out_of_public_output(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    for mark in PRIVATE_MARKS:
        assert mark not in response.text, (path, mark)


def test_the_opml_lists_only_public_sources(client: TestClient) -> None:
    outlines = ET.fromstring(client.get("/sources.opml").content).findall("./body/outline")
    assert [o.get("xmlUrl") for o in outlines] == ["https://news.example.org/feed.xml"]


def test_a_private_sources_story_keeps_its_title_but_not_its_addresses(client: TestClient) -> None:
    items = {i["title"]: i for i in client.get("/api/news").json()["items"]}
    memo = items["Internal memo about Alpha Agent"]
    assert (memo["url"], memo["source_url"]) == ("", "")
    public = items["Public story about Alpha Agent"]
    assert public["source_url"] == "https://news.example.org/feed.xml" and public["source"] == "Example News"


def test_pages_name_a_source_as_public_output_does(client: TestClient, seeded: Session) -> None:
    untitled = Source(url="https://www.untitled.example/feed.xml", title="", site_url="")
    seeded.add(untitled)
    seeded.commit()
    article(seeded, untitled, "Untitled source story", days=4)
    on_pages = {a.title: article_row(a, s).source for a, s in list_articles(session=seeded)}
    in_the_api = {i["title"]: i["source"] for i in client.get("/api/news").json()["items"]}
    assert on_pages == in_the_api
    assert on_pages["Internal memo about Alpha Agent"] == "a private source"  # not its site's private host
    assert on_pages["Untitled source story"] == "untitled.example"
    assert on_pages["Public story about Alpha Agent"] == "Example News"


def test_the_news_empty_state_shows_a_short_reason_and_no_private_address(seeded: Session) -> None:
    private = seeded.exec(select(Source).where(Source.url == "http://127.0.0.1:8123/feed.xml")).one()
    shown = _source_state(private)
    assert shown == SourceStateRow(name="a private source", url="", state="failing", reason="could not connect")
    assert not any(mark in str(source_status_public(private)) for mark in PRIVATE_MARKS)


def test_the_operator_still_sees_everything_in_feeds_list(seeded: Session) -> None:
    private = seeded.exec(select(Source).where(Source.url == "http://127.0.0.1:8123/feed.xml")).one()
    listed = source_public(private)
    assert listed["url"] == "http://127.0.0.1:8123/feed.xml" and listed["last_error"] == RAW_ERROR


@pytest.mark.parametrize(("stored", "shown"), [
    ("HTTP 404 Not Found", "the feed answered 404"),
    ("HTTP 503 Service Unavailable (retry after 120 s)", "the feed answered 503"),
    ("connect timeout", "timed out"),
    ("read timeout: the server stalled", "timed out"),
    ("an HTML page, not a feed", "not a feed"),
    ("not an RSS or Atom feed (root element <html>)", "not a feed"),
    ("refused: host feeds.example.com resolves to a non-public address (10.0.0.5)", "refused: not a public address"),
    ("internal error: KeyError: 'entries' at /srv/agentoire/ingest/store.py", "could not be read"),
    ("could not store: OperationalError: server at db-internal.corp:5432 closed the connection", "could not be stored"),
    ("", ""),
])
def test_stored_errors_become_short_public_reasons(stored: str, shown: str) -> None:
    assert public_reason(stored) == shown


@pytest.mark.parametrize(("url", "public"), [
    ("https://news.example.org/feed.xml", True),
    ("http://203.0.113.10/feed", False),  # documentation range: not global
    ("http://8.8.8.8/feed", True),
    ("http://127.0.0.1:8123/feed.xml", False),
    ("http://[::1]/feed", False),
    ("http://192.168.1.4/feed", False),
    ("http://localhost/feed", False),
    ("http://feeds.intranet/rss", False),
    ("http://wiki.corp/rss", False),
    ("http://nas/rss", False),
    ("not a url", False),
])
def test_which_source_addresses_may_be_published(url: str, public: bool) -> None:
    assert url_is_publishable(url) is public
