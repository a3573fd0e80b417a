"""Stories in the database, on SQLite and PostgreSQL: a refresh places what it stores, a later refresh
joins the open story, a rebuild gives the same stories, and the CLI and API show the contract's shapes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

import pytest
from feedserver import RSS, FeedServer, running_server
from sqlmodel import col, select
from starlette.testclient import TestClient
from stories_items import item

from agentoire_app.api import build_api
from agentoire_app.cli.main import main as cli
from agentoire_app.db import session_scope
from agentoire_app.desk.rounds import news_round
from agentoire_app.ingest.fetch import Fetcher
from agentoire_app.models import Article, Story
from agentoire_app.services.sources import add_source
from agentoire_app.stories.place import rebuild_stories

NOW = datetime(2026, 1, 6, 0, 0, tzinfo=UTC)
SNAPDRAGON = ["Meet Snapdragon X2 Plus", "CES 2026: Qualcomm Introduces Snapdragon X2 Plus",
              "CES 2026: Qualcomm brings Snapdragon X2 Plus"]
OTHER_NEWS = ["Samsung Unveils AI-Powered Home Ecosystem", "Microsoft Edge is getting a Copilot"]


def rss(titles: list[str]) -> str:
    entries = "".join(
        f"<item><title>{escape(raw['title'])}</title><link>{escape(raw['url'])}</link>"
        f"<guid>{escape(raw['url'])}</guid><description>{escape(raw['description'])}</description>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(raw['published']))}</pubDate></item>"
        for raw in (item(t) for t in titles))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


def refresh(db_url: str) -> None:
    async def run() -> None:
        async with Fetcher(read_timeout=2.0, connect_timeout=2.0, total_timeout=6.0) as fetcher:
            await news_round(db_url=db_url, now=NOW, all_sources=True, fetcher=fetcher)

    asyncio.run(run())


def serve(server: FeedServer, db_url: str, feeds: dict[str, list[str]]) -> None:
    for path, titles in feeds.items():
        url = server.route(path, rss(titles), headers={"Content-Type": RSS})
        with session_scope(db_url) as session:
            add_source(url, session=session, title=path.strip("/"))


def groups(db_url: str) -> dict[str, str]:
    """article slug → story slug."""
    with session_scope(db_url) as session:
        return dict(session.exec(select(Article.slug, Story.slug).join(Story, col(Story.id) == Article.story_id)).all())


def test_a_refresh_places_every_article_and_groups_one_event_across_sources(server: FeedServer, db_url: str) -> None:
    serve(server, db_url, {"/pcworld": [SNAPDRAGON[0], OTHER_NEWS[0]], "/gadgets": [SNAPDRAGON[1]],
                           "/neowin": [SNAPDRAGON[2], OTHER_NEWS[1]]})
    refresh(db_url)
    with session_scope(db_url) as session:
        articles = session.exec(select(Article)).all()
        stories = session.exec(select(Story).order_by(col(Story.source_count).desc())).all()
    assert len(articles) == 5 and all(a.story_id is not None for a in articles)
    assert [(s.source_count, s.article_count) for s in stories] == [(3, 3), (1, 1), (1, 1)]
    assert "Snapdragon X2 Plus" in stories[0].title


def test_a_later_refresh_joins_the_open_story(server: FeedServer, db_url: str) -> None:
    serve(server, db_url, {"/pcworld": [SNAPDRAGON[0]], "/gadgets": [SNAPDRAGON[1]]})
    refresh(db_url)
    serve(server, db_url, {"/neowin": [SNAPDRAGON[2]]})
    refresh(db_url)
    assert len(set(groups(db_url).values())) == 1


def test_a_rebuild_gives_the_same_stories(server: FeedServer, db_url: str) -> None:
    serve(server, db_url, {"/pcworld": [SNAPDRAGON[0], OTHER_NEWS[0]], "/gadgets": [SNAPDRAGON[1]],
                           "/neowin": [SNAPDRAGON[2], OTHER_NEWS[1]]})
    refresh(db_url)
    before = groups(db_url)
    with session_scope(db_url) as session:
        rebuild_stories(session=session, now=NOW)
    assert groups(db_url) == before
    with session_scope(db_url) as session:
        rebuild_stories(session=session, now=NOW)
    assert groups(db_url) == before


def test_the_cli_and_the_api_show_stories_in_the_contract_shape(server: FeedServer, db_url: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    serve(server, db_url, {"/pcworld": [SNAPDRAGON[0], OTHER_NEWS[0]], "/gadgets": [SNAPDRAGON[1]],
                           "/neowin": [SNAPDRAGON[2]]})
    refresh(db_url)
    # These stories are from January: the front page's "today" is then the newest story's day.
    assert cli(["stories", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert set(listed[0]) == {"slug", "title", "score", "source_count", "article_count", "first_seen",
                              "last_seen", "articles"}
    assert listed[0]["source_count"] == 3
    assert set(listed[0]["articles"][0]) == {"slug", "url", "source_url", "title"}
    assert cli(["news", "list", "--json"]) == 0
    news = json.loads(capsys.readouterr().out)
    by_slug = {s["slug"]: s for s in listed}
    assert all(article["story"] in by_slug for article in news)
    with TestClient(build_api(), base_url="http://agentoire.test") as client:
        body = client.get("/api/stories", params={"per_page": 1}).json()
    assert body["total"] == 2 and body["pages"] == 2
    assert body["items"][0]["slug"] == listed[0]["slug"]
    # the sources are on loopback: private addresses never reach the open web
    assert body["items"][0]["articles"][0]["source_url"] == ""
    assert cli(["stories", "list", "--limit", "many"]) == 2
