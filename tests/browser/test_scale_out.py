"""Scale-out: PostgreSQL for data, Redis for Reflex state, several Granian workers, one refresher.

With `REDIS_URL` set, Reflex's production server starts several workers and every worker runs the
refresh loop. The database lease must still let exactly one of them fetch at a time, and a story that
lands must reach a page that is already open — whichever worker holds its websocket.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
import sqlalchemy as sa
from feedserver import FEEDS, FeedServer

from agentoire_app.db import get_engine, session_scope
from agentoire_app.services.sources import add_source

from .conftest import VENV_BIN, AppServer, server_in_place_of, wait_live

pytestmark = pytest.mark.browser
FEED_FILE = "rd_full.rss"
REFRESH_SECONDS = 2


def _scaled(postgres_url: str, redis_url: str, app_server: AppServer, tmp_path: Path,
            refresh_seconds: int) -> Iterator[AppServer]:
    """A second app on PostgreSQL + Redis, in place of the session's server (`server_in_place_of`)."""
    with server_in_place_of(app_server, db_url=postgres_url, log_path=tmp_path / "serve.log",
                            env={"REDIS_URL": redis_url,
                                 "AGENTOIRE_REFRESH_SECONDS": str(refresh_seconds)}) as server:
        yield server


@pytest.fixture
def scaled_app(postgres_url: str, redis_url: str, app_server: AppServer, tmp_path: Path) -> Iterator[AppServer]:
    """Several workers, each running the refresh loop every `REFRESH_SECONDS`."""
    yield from _scaled(postgres_url, redis_url, app_server, tmp_path, REFRESH_SECONDS)


@pytest.fixture
def quiet_scaled_app(postgres_url: str, redis_url: str, app_server: AppServer,
                     tmp_path: Path) -> Iterator[AppServer]:
    """Several workers with the refresh loop off: only a refresh run from outside lands stories."""
    yield from _scaled(postgres_url, redis_url, app_server, tmp_path, 0)


def _article_count(db_url: str) -> int:
    with get_engine(db_url).connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM article")).scalar_one())


def test_many_workers_share_state_and_elect_one_refresher(scaled_app: AppServer, feeds: FeedServer,
                                                          page, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    import redis

    entries = feedparser.parse((FEEDS / FEED_FILE).read_bytes()).entries
    a_title = next(e.title for e in entries if e.get("title"))
    page.goto(scaled_app.base_url + "/news")
    wait_live(page)

    # The operator adds a source while the page is open; the loop (in whichever worker wins) fetches it.
    feed_url = feeds.feed("/ai.rss", FEED_FILE, etag='"v1"')
    with session_scope(scaled_app.db_url) as session:
        add_source(feed_url, session=session, title="Loopback AI", added_by="operator")

    page.get_by_text(a_title, exact=False).first.wait_for(timeout=30000)  # no reload
    assert _article_count(scaled_app.db_url) == len(entries)

    time.sleep(4 * REFRESH_SECONDS)
    hits = feeds.hits("/ai.rss")
    assert 1 <= len(hits) <= 8, f"{len(hits)} fetches in {4 * REFRESH_SECONDS} s: the workers did not elect one"
    gaps = [b.at - a.at for a, b in itertools.pairwise(hits)]
    assert all(g >= REFRESH_SECONDS * 0.5 for g in gaps), f"two workers fetched together: gaps {gaps}"
    assert _article_count(scaled_app.db_url) == len(entries), "repeated refreshes duplicated a story"

    client = redis.Redis.from_url(redis_url)
    assert any(client.scan_iter(count=1000)), "Reflex kept no state in Redis"


def test_a_story_landed_by_a_cli_refresh_shows_on_an_open_page_within_two_seconds(
        quiet_scaled_app: AppServer, feeds: FeedServer, page, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    entries = feedparser.parse((FEEDS / FEED_FILE).read_bytes()).entries
    a_title = next(e.title for e in entries if e.get("title"))
    with session_scope(quiet_scaled_app.db_url) as session:
        add_source(feeds.feed("/ai.rss", FEED_FILE), session=session, title="Loopback AI", added_by="operator")
    page.goto(quiet_scaled_app.base_url + "/news")
    wait_live(page)
    # The worker pushes, so the page script does not poll.
    page.locator("[data-testid='status-bar'][data-updates='push']").wait_for(timeout=5000)

    env = {**os.environ, "AGENTOIRE_DB_URL": quiet_scaled_app.db_url, "REDIS_URL": redis_url}
    result = subprocess.run([str(VENV_BIN / "agentoire"), "refresh", "--once"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    page.get_by_text(a_title, exact=False).first.wait_for(timeout=2000)  # no reload, no poll
