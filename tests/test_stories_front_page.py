"""The front page's ranking through the real path, on SQLite and PostgreSQL: loopback feeds, a refresh that
stores and places the stories, and `ranked_stories` reading them back. `test_stories_rank.py` holds the
rule itself; here the database decides which sources are high-volume and who covers what."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

import pytest
from feedserver import RSS, FeedServer, running_server

from agentoire_app.db import session_scope
from agentoire_app.desk.rounds import news_round
from agentoire_app.ingest.fetch import Fetcher
from agentoire_app.services.sources import add_source
from agentoire_app.services.stories import ranked_stories
from agentoire_app.stories.rank import HIGH_VOLUME_PER_DAY

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
COVERED = "Initech and Umbrella agree to share agent safety evaluations"
PAPER_WORDS = ["sparse", "kernel", "lattice", "tensor", "gradient", "quantile", "manifold", "bandit", "spline",
               "wavelet", "entropy", "fractal"]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


def rss(slug: str, items: list[tuple[str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://{slug}.example/{i}</link><guid>{slug}-{i}</guid>"
        f"<description>{escape(title)}.</description><pubDate>{format_datetime(at)}</pubDate></item>"
        for i, (title, at) in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{slug}</title>{entries}</channel></rss>'


def serve(server: FeedServer, db_url: str, feeds: dict[str, list[tuple[str, datetime]]]) -> None:
    for name, items in feeds.items():
        url = server.route(f"/{name}.rss", rss(name, items), headers={"Content-Type": RSS})
        with session_scope(db_url) as session:
            add_source(url, session=session, title=name)


def refresh(db_url: str) -> None:
    async def run() -> None:
        async with Fetcher(read_timeout=2.0, connect_timeout=2.0, total_timeout=10.0) as fetcher:
            await news_round(db_url=db_url, now=NOW, all_sources=True, fetcher=fetcher, candidates=False)

    asyncio.run(run())


def front_page(db_url: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(top stories as (title, sources), papers lane titles)."""
    with session_scope(db_url) as session:
        top, papers, _ = ranked_stories(session=session, now=NOW, limit=10)
    return [(s.title, s.source_count) for s in top], [s.title for s in papers]


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def test_three_sources_this_morning_lead_one_source_a_minute_ago(server: FeedServer, db_url: str) -> None:
    serve(server, db_url, {
        **{outlet: [(COVERED, hours_ago(20))] for outlet in ("wire", "daily", "herald")},
        "scoop": [("Hooli quietly ships a command-line coding agent", hours_ago(0.02))],
    })
    refresh(db_url)
    top, _ = front_page(db_url)
    assert top[:2] == [(COVERED, 3), ("Hooli quietly ships a command-line coding agent", 1)]


def test_a_flood_of_papers_never_displaces_a_three_source_story(server: FeedServer, db_url: str) -> None:
    flood = HIGH_VOLUME_PER_DAY * 3
    papers = [(f"On {PAPER_WORDS[i % 12]} {PAPER_WORDS[(i * 5 + 1) % 12]} estimators, part {i}", hours_ago(i / 60))
              for i in range(flood)]
    serve(server, db_url, {
        "arxiv": papers,
        **{outlet: [(COVERED, hours_ago(12))] for outlet in ("wire", "daily", "herald")},
    })
    refresh(db_url)
    top, lane = front_page(db_url)
    assert top == [(COVERED, 3)]  # every paper went to its lane, however new
    assert len(lane) == 10 and all(title.startswith("On ") for title in lane)
