"""An open front page re-ranks live: a refresh run from outside the page (`agentoire refresh --once`, its
own process) lands a story more sources cover than the one on top, and the page shows it first without a
reload.

The module serves its own database (`server_in_place_of`: the session's server steps aside and is put
back afterwards): the stories it lands are dated today and would lead every other module's pages.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pytest
from feedserver import RSS, FeedServer

from agentoire_app.db import session_scope
from agentoire_app.services.sources import add_source

from .conftest import VENV_BIN, AppServer, seed_database, server_in_place_of, wait_live

pytestmark = pytest.mark.browser

# Reports of one event under the same headline are one story (a reprint always joins): the number of feeds
# carrying a headline is the number of sources covering its story.
ON_TOP = "Acme Robotics opens its agent lab to outside researchers"
RISING = "Globex releases an open model that three outlets covered"
TOP_STORIES = "[data-list=stories] [data-testid=story-item]"


def rss(slug: str, items: list[tuple[str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://{slug}.example/{i}</link><guid>{slug}-{i}</guid>"
        f"<description>{escape(title)}. What practitioners should know.</description>"
        f"<pubDate>{format_datetime(published)}</pubDate></item>"
        for i, (title, published) in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{slug}</title>{entries}</channel></rss>'


@pytest.fixture(scope="module")
def own_server(app_server: AppServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    workdir = tmp_path_factory.mktemp("rerank")
    db_url = f"sqlite:///{workdir / 'agentoire.db'}"
    seed_database(db_url)
    with server_in_place_of(app_server, db_url=db_url, log_path=workdir / "serve.log") as server:
        yield server


def add_feeds(server: AppServer, feeds: FeedServer, names: list[str], items: list[tuple[str, datetime]]) -> None:
    for name in names:
        url = feeds.route(f"/{name}.rss", rss(name, items), headers={"Content-Type": RSS})
        with session_scope(server.db_url) as session:
            add_source(url, session=session, title=name.title(), added_by="operator")


def refresh_from_outside(server: AppServer) -> None:
    """What cron would run: another process, no Redis, nothing shared with the app but the database."""
    env = {k: v for k, v in server.env.items() if k != "REDIS_URL"}
    result = subprocess.run([str(VENV_BIN / "agentoire"), "refresh", "--once", "--json"], env=env,
                            capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stderr
    assert {feed["status"] for feed in json.loads(result.stdout)["feeds"]} == {"ok"}, result.stdout


def top_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator(f"{TOP_STORIES} .ag-row-title").all_inner_texts()]


def test_a_refresh_from_outside_re_ranks_an_open_front_page(own_server: AppServer, feeds: FeedServer,
                                                             page) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC).replace(microsecond=0)
    add_feeds(own_server, feeds, ["wire", "daily"], [(ON_TOP, now - timedelta(hours=1))])
    refresh_from_outside(own_server)

    page.goto(own_server.base_url + "/")
    wait_live(page)
    page.locator(TOP_STORIES).first.filter(has_text=ON_TOP).wait_for()
    assert "2 sources" in page.locator(TOP_STORIES).first.inner_text()
    page.evaluate("window.__agSamePage = true")

    # Older than the story on top, but covered by three sources: coverage beats recency within a day.
    add_feeds(own_server, feeds, ["herald", "gazette", "courier"], [(RISING, now - timedelta(hours=2))])
    refresh_from_outside(own_server)

    page.locator(TOP_STORIES).first.filter(has_text=RISING).wait_for(timeout=30000)  # pushed within a second or two; a busy CI machine takes longer
    assert top_titles(page)[:2] == [RISING, ON_TOP]
    assert "3 sources" in page.locator(TOP_STORIES).first.inner_text()
    assert page.evaluate("window.__agSamePage === true"), "the page was reloaded"
