"""The open-data routes: paging and filters of /api/tools and /api/news, feeds, OPML, sitemap, caching."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from directory_seed import article, categories, snapshot, source, tool
from sqlmodel import Session, select
from starlette.testclient import TestClient

from agentoire_app.api import build_api
from agentoire_app.models import Tool, utcnow
from agentoire_app.services.stats import status_counts


@pytest.fixture
def seeded(session: Session) -> Session:
    categories(session)
    now = utcnow()
    a = tool(session, "Alpha Agent", category="agents", tags=["llm", "rag"], pricing="free", days=1)
    b = tool(session, "Beta Coder", category="coding", tags=["llm"], pricing="paid", open_source=True, days=2)
    c = tool(session, "Gamma <Models>", category="models", tags=["local"], pricing="free", days=3)
    fresh = tool(session, "Fresh Tool", category="agents", tags=["new"], pricing="freemium")
    fresh.added_at = now - timedelta(hours=2)
    session.add(fresh)
    session.commit()
    for i in range(12):
        tool(session, f"Filler {i:02d}", category="other", days=-10 - i)
    src = source(session)
    article(session, src, "Alpha Agent ships memory", days=5, mentions=(a,), category="release")
    article(session, src, "Beta and Alpha compared", days=4, mentions=(a, b))
    article(session, src, "A story about <script>alert(1)</script> & ampersands", days=3, mentions=(c,),
            summary="Bad \x0b control chars and <b>markup</b>")
    return session


@pytest.fixture
def client(seeded: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", "https://agentoire.example/")
    with TestClient(build_api(), base_url="http://agentoire.test") as c:
        yield c


def test_tools_are_paginated_with_links(client: TestClient) -> None:
    first = client.get("/api/tools", params={"per_page": 5}).json()
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (16, 4, 1, 5)
    assert first["prev"] is None and "page=2" in first["next"]
    last = client.get("/api/tools", params={"per_page": 5, "page": 4}).json()
    assert len(last["items"]) == 1 and last["next"] is None
    seen = {t["slug"] for p in range(1, 5)
            for t in client.get("/api/tools", params={"per_page": 5, "page": p}).json()["items"]}
    assert len(seen) == 16


CHECK_FIELDS = ("stars", "latest_version", "latest_release_at", "archived", "link_status", "checked_at")


def test_tools_carry_what_the_checks_read_and_null_until_read(client: TestClient, seeded: Session) -> None:
    alpha = seeded.exec(select(Tool).where(Tool.slug == "alpha-agent")).one()
    read_at = datetime(2026, 11, 30, 8, tzinfo=UTC)
    snapshot(seeded, alpha, "github", read_at=read_at, stars=1234, latest_version="v2.0",
             latest_release_at=datetime(2026, 11, 2, tzinfo=UTC), archived=False, link_status="ok")
    listed = {t["slug"]: t for t in client.get("/api/tools", params={"per_page": 50}).json()["items"]}
    detail = client.get("/api/tools/alpha-agent").json()
    for shape in (listed["alpha-agent"], detail):
        assert {k: shape[k] for k in CHECK_FIELDS} == {
            "stars": 1234, "latest_version": "v2.0", "latest_release_at": "2026-11-02T00:00:00Z",
            "archived": False, "link_status": "ok", "checked_at": "2026-11-30T08:00:00Z"}
    unread = client.get("/api/tools/beta-coder").json()
    assert {k: unread[k] for k in CHECK_FIELDS} == dict.fromkeys(CHECK_FIELDS)
    assert {k: listed["beta-coder"][k] for k in CHECK_FIELDS} == dict.fromkeys(CHECK_FIELDS)


def test_tools_filter_and_sort(client: TestClient) -> None:
    def names(**params: str) -> list[str]:
        return [t["name"] for t in client.get("/api/tools", params=params).json()["items"]]

    assert names(category="agents") == ["Fresh Tool", "Alpha Agent"]
    assert names(tag="llm", sort="name") == ["Alpha Agent", "Beta Coder"]
    assert names(pricing="free", sort="name") == ["Alpha Agent", "Gamma <Models>"]
    assert names(open_source="1") == ["Beta Coder"]
    assert names(new="today") == ["Fresh Tool"]
    assert names(sort="mentions")[:3] == ["Alpha Agent", "Gamma <Models>", "Beta Coder"]  # ties: newer first
    assert names(q="alp") == ["Alpha Agent"]
    assert names(q="gamma", category="agents") == []
    item = client.get("/api/tools", params={"q": "alpha"}).json()["items"][0]
    assert item["mentions"] == 2 and item["tags"] == ["llm", "rag"] and item["added_at"].endswith("Z")


@pytest.mark.parametrize("params", [
    {"sort": "best"}, {"pricing": "cheap"}, {"page": "0"}, {"page": "x"}, {"per_page": "1000"},
    {"open_source": "maybe"}, {"new": "month"},
])
def test_bad_parameters_are_a_400_that_names_them(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/tools", params=params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()["error"]


def test_one_tool_has_alternatives_and_news(client: TestClient) -> None:
    data = client.get("/api/tools/alpha-agent").json()
    assert data["name"] == "Alpha Agent" and data["mentions"] == 2
    assert [n["title"] for n in data["news"]] == ["Alpha Agent ships memory", "Beta and Alpha compared"]
    assert data["alternatives"][0]["slug"] == "fresh-tool"  # same category beats one shared tag
    assert client.get("/api/tools/nope").status_code == 404


def test_news_is_paginated_and_filterable(client: TestClient) -> None:
    page = client.get("/api/news", params={"per_page": 2}).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["next"]
    assert page["items"][0]["title"] == "Alpha Agent ships memory"
    assert set(page["items"][0]) >= {"slug", "title", "url", "source_url", "published_at", "category",
                                     "summary", "content_html"}
    assert [i["title"] for i in client.get("/api/news", params={"category": "release"}).json()["items"]] == [
        "Alpha Agent ships memory"]
    assert client.get("/api/news", params={"tool": "beta-coder"}).json()["total"] == 1
    assert client.get("/api/news", params={"q": "compared"}).json()["items"][0]["title"] == "Beta and Alpha compared"
    assert client.get("/api/news", params={"tool": "nope"}).status_code == 404
    assert client.get("/api/news", params={"source": "https://news.example.org/feed.xml"}).json()["total"] == 3


def test_json_is_cached_briefly_and_revalidates(client: TestClient) -> None:
    response = client.get("/api/tools")
    assert response.headers["cache-control"] == "public, max-age=60"
    etag = response.headers["etag"]
    again = client.get("/api/tools", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/api/health").headers["cache-control"] == "no-store"


def test_the_status_counts_are_read_for_the_readers_day(client: TestClient, seeded: Session) -> None:
    since = utcnow() - timedelta(hours=3)
    response = client.get("/api/status", params={"since": since.isoformat().replace("+00:00", "Z")})
    assert response.json() == status_counts(session=seeded, day_start=since)
    assert response.json()["added_today"] >= 1  # "Fresh Tool", added two hours ago
    assert response.headers["cache-control"] == "public, max-age=10"
    assert client.get("/api/status").json() == status_counts(session=seeded)  # the last 24 hours
    for bad in ("yesterday", "2026-04-23T00:00:00"):  # a day start without its offset is ambiguous
        assert client.get("/api/status", params={"since": bad}).status_code == 400, bad


def test_the_news_feed_is_valid_atom(client: TestClient) -> None:
    response = client.get("/feed.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "max-age" in response.headers["cache-control"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.startswith("agentoire")
    assert feed.entries[0].title == "Alpha Agent ships memory"
    hostile = next(e for e in feed.entries if "script" in e.title)
    assert hostile.title == "A story about <script>alert(1)</script> & ampersands"
    assert hostile.link == "https://agentoire.example/news/" + hostile.id.rsplit("/", 1)[1]
    assert all(e.get("updated") and e.get("id") for e in feed.entries)


def test_the_tools_feed_is_valid_atom_newest_first(client: TestClient) -> None:
    response = client.get("/tools/feed.xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries][:2] == ["Fresh Tool", "Gamma <Models>"]
    assert feed.entries[0].link == "https://agentoire.example/tools/fresh-tool"
    assert {t.term for t in feed.entries[0].tags} == {"agents", "new"}


def test_sources_export_as_opml_and_pages_in_the_sitemap(client: TestClient) -> None:
    import xml.etree.ElementTree as ET

    opml = ET.fromstring(client.get("/sources.opml").content)
    outlines = opml.findall("./body/outline")
    assert [o.get("xmlUrl") for o in outlines] == ["https://news.example.org/feed.xml"]
    assert outlines[0].get("text") == "Example News"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(client.get("/sitemap.xml").content).findall("s:url/s:loc", ns)]
    assert "https://agentoire.example/tools/alpha-agent" in locs and "https://agentoire.example/tools" in locs
    assert sum("/news/" in (loc or "") for loc in locs) == 3
