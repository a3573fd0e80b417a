"""Redirects and discovery into private space: a public feed may not lead us to the machine or its network.

The "internet" here is a feed server on 127.0.0.1, declared public through the one seam the rule has
(`PublicAddressRule.also_public`); "the private network" is a second server on 127.0.0.2, and
`localhost` names the public server itself, so a missing check would really fetch and store.
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from feedserver import FEEDS, RSS, FeedServer, running_server
from sqlmodel import Session, select
from starlette.testclient import TestClient

from agentoire_app.api import build_api
from agentoire_app.db import get_engine, session_scope
from agentoire_app.ingest.discover import DiscoveryError, resolve_feed
from agentoire_app.ingest.fetch import Fetcher, FetchResult
from agentoire_app.ingest.refresh import RefreshReport, refresh_sources
from agentoire_app.models import Article, Source
from agentoire_app.net.addresses import PublicAddressRule
from agentoire_app.services.sources import add_source

LOOPBACK_IS_PUBLIC = PublicAddressRule(also_public=(ipaddress.ip_network("127.0.0.1/32"),))
FEED = (FEEDS / "rd_full.rss").read_bytes()  # five entries


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


@pytest.fixture
def private() -> Iterator[FeedServer]:
    yield from running_server("127.0.0.2")


def fetcher(**options: Any) -> Fetcher:
    return Fetcher(public_rule=LOOPBACK_IS_PUBLIC, connect_timeout=2.0, read_timeout=2.0, total_timeout=6.0,
                   **options)


def refresh(db_url: str) -> RefreshReport:
    async def run() -> RefreshReport:
        async with fetcher() as f:
            return await refresh_sources(db_url=db_url, all_sources=True, fetcher=f)

    return asyncio.run(run())


def fetch(url: str, *, allow_private: bool = True) -> FetchResult:
    async def run() -> FetchResult:
        async with fetcher() as f:
            return await f.fetch(url, allow_private=allow_private)

    return asyncio.run(run())


def add(db_url: str, url: str, **kwargs: Any) -> str:
    with session_scope(db_url) as session:
        source, _ = add_source(url, session=session, **kwargs)
        return source.url


def source_urls(db_url: str) -> set[str]:
    with Session(get_engine(db_url)) as session:
        return set(session.exec(select(Source.url)).all())


def article_count(db_url: str) -> int:
    with Session(get_engine(db_url)) as session:
        return len(session.exec(select(Article.id)).all())


def opml_urls() -> list[str | None]:
    with TestClient(build_api(), base_url="http://agentoire.test") as client:
        opml = ET.fromstring(client.get("/sources.opml").content)
    return [o.get("xmlUrl") for o in opml.iter("outline")]


@pytest.mark.parametrize("code", [301, 302, 307, 308])
@pytest.mark.parametrize("hop", [1, 3])
def test_every_hop_of_a_redirect_chain_from_a_public_feed_is_kept_out_of_private_space(
        server: FeedServer, private: FeedServer, db_url: str, code: int, hop: int) -> None:
    private.route("/feed", FEED, headers={"Content-Type": RSS})
    inside = private.url("/feed")
    # /start → /b → /c → inside, with `code` on the hop that leaves public space and 302s before it
    steps = ["/start", "/b", "/c"][:hop]
    for here, there in itertools.pairwise(steps):
        server.redirect(here, 302, server.url(there))
    server.redirect(steps[-1], code, inside)
    url = add(db_url, server.url("/start"))
    (outcome,) = refresh(db_url).feeds
    assert outcome.status == "error"
    assert "refused" in outcome.error and "non-public address" in outcome.error
    assert [len(server.hits(step)) for step in steps] == [1] * hop
    assert private.hits("/feed") == []
    assert source_urls(db_url) == {url}
    assert article_count(db_url) == 0


@pytest.mark.parametrize("target", [
    "http://localhost:{port}/feed", "http://a.localhost:{port}/feed", "http://0.0.0.0:{port}/feed",
    "http://[::]:{port}/feed", "http://127.0.0.2:{pport}/feed", "http://2130706434:{pport}/feed",
    "http://0177.0.0.2:{pport}/feed", "http://0x7f.0.0.2:{pport}/feed", "http://0x7f000002:{pport}/feed",
    "http://127.2:{pport}/feed", "http://[::ffff:127.0.0.2]:{pport}/feed", "http://10.0.0.1/feed",
    "http://172.16.0.1/feed", "http://192.168.1.1/feed", "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/feed", "http://224.0.0.1/feed", "http://[fd00::1]/feed", "http://[fe80::1]/feed",
])
def test_private_space_is_refused_in_every_spelling(server: FeedServer, private: FeedServer, target: str) -> None:
    server.route("/feed", FEED, headers={"Content-Type": RSS})
    private.route("/feed", FEED, headers={"Content-Type": RSS})
    location = target.format(port=server.port, pport=private.port)
    result = fetch(server.redirect("/start", 307, location))
    assert result.status == "error"
    # httpx itself rejects some spellings (leading zeros in dotted form) before we are asked
    assert result.error.startswith("refused: redirect 307 to") or "Invalid IPv4 address" in result.error
    assert server.hits("/feed") == [] and private.hits("/feed") == []


def test_a_permanent_redirect_into_private_space_leaves_the_stored_url_and_the_opml_alone(
        server: FeedServer, private: FeedServer, db_url: str) -> None:
    private.route("/feed", FEED, headers={"Content-Type": RSS})
    url = add(db_url, server.redirect("/moved", 301, private.url("/feed")))
    assert refresh(db_url).feeds[0].status == "error"
    assert source_urls(db_url) == {url}
    # The OPML lists only sources it may publish; whatever it lists, the private target is not among them.
    assert private.url("/feed") not in opml_urls()


def test_a_permanent_redirect_between_public_addresses_still_moves_the_source(server: FeedServer,
                                                                              db_url: str) -> None:
    target = server.route("/new", FEED, headers={"Content-Type": RSS})
    add(db_url, server.redirect("/old", 308, target))
    assert refresh(db_url).feeds[0].new == 5
    assert source_urls(db_url) == {target}


def test_an_operator_feed_at_a_private_address_is_read_and_may_move_within_private_space(
        private: FeedServer, db_url: str) -> None:
    target = private.route("/feed", FEED, headers={"Content-Type": RSS})
    add(db_url, private.redirect("/old", 301, target))
    assert refresh(db_url).feeds[0].new == 5
    assert source_urls(db_url) == {target}


def test_a_feed_from_the_public_at_a_private_address_is_never_fetched(private: FeedServer, db_url: str) -> None:
    url = add(db_url, private.route("/feed", FEED, headers={"Content-Type": RSS}), added_by="public")
    (outcome,) = refresh(db_url).feeds
    assert outcome.status == "error" and "non-public address" in outcome.error
    assert private.hits("/feed") == []
    assert source_urls(db_url) == {url}


def test_a_public_page_cannot_announce_a_private_feed(server: FeedServer, private: FeedServer) -> None:
    private.route("/feed", FEED, headers={"Content-Type": RSS})
    page = (f'<html><head><link rel="alternate" type="application/rss+xml" href="{private.url("/feed")}">'
            "</head><body>a blog</body></html>")
    url = server.route("/", page, headers={"Content-Type": "text/html; charset=utf-8"})

    async def run() -> None:
        async with fetcher() as f:
            await resolve_feed(url, fetcher=f)

    with pytest.raises(DiscoveryError, match="refused") as caught:
        asyncio.run(run())
    assert private.url("/feed") in str(caught.value)
    assert private.hits("/feed") == []


def test_a_private_page_may_announce_a_private_feed(private: FeedServer) -> None:
    feed = private.route("/feed", FEED, headers={"Content-Type": RSS})
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}"></head></html>'
    url = private.route("/", page, headers={"Content-Type": "text/html; charset=utf-8"})

    async def run() -> str:
        async with fetcher() as f:
            return (await resolve_feed(url, fetcher=f)).url

    assert asyncio.run(run()) == feed
