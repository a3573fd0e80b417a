"""Decompression bombs and oversized bodies: the 10 MB cap bounds memory whatever the server sends.

Each bomb is a few KB on the wire and 64 MB decoded; `tracemalloc` watches the fetch, so a decoder that
expands a whole network chunk before counting (64 KB of gzip is 64 MB) fails here.
"""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import brotli
import pytest
from bombs import BOMBS, MB, deflate_bomb, gzip_bomb
from feedserver import FEEDS, RSS, FeedServer, running_server
from sqlmodel import Session, select

from agentoire_app.db import get_engine, session_scope
from agentoire_app.ingest.decode import ACCEPT_ENCODING
from agentoire_app.ingest.fetch import Fetcher, FetchResult
from agentoire_app.ingest.refresh import RefreshReport, refresh_sources
from agentoire_app.models import Article, Source
from agentoire_app.services.sources import add_source

FEED = (FEEDS / "rd_full.rss").read_bytes()  # five entries
CAP = 10 * MB


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


def fetch(url: str, **options: Any) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(**{"read_timeout": 2.0, "total_timeout": 20.0, **options}) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def refresh(db_url: str, **options: Any) -> RefreshReport:
    async def run() -> RefreshReport:
        async with Fetcher(**{"read_timeout": 2.0, "total_timeout": 20.0, **options}) as fetcher:
            return await refresh_sources(db_url=db_url, all_sources=True, fetcher=fetcher)

    return asyncio.run(run())


def add(db_url: str, url: str) -> None:
    with session_scope(db_url) as session:
        add_source(url, session=session)



@pytest.mark.parametrize("encoding", list(BOMBS))
def test_a_bomb_is_an_error_on_the_source_and_nothing_of_it_is_stored(server: FeedServer, db_url: str,
                                                                     encoding: str) -> None:
    add(db_url, server.route("/bomb", BOMBS[encoding](64), headers={"Content-Encoding": encoding}))
    (outcome,) = refresh(db_url).feeds
    assert outcome.status == "error"
    assert outcome.error == "response larger than 10 MB after decompression (the cap)"
    with Session(get_engine(db_url)) as session:
        source = session.exec(select(Source)).one()
        assert (source.last_status, source.last_error, source.error_count) == ("error", outcome.error, 1)
        assert session.exec(select(Article)).all() == []


@pytest.mark.parametrize("encoding", list(BOMBS))
def test_decoding_a_bomb_never_holds_much_more_than_the_cap(server: FeedServer, encoding: str) -> None:
    url = server.route("/bomb", BOMBS[encoding](64), headers={"Content-Encoding": encoding})
    tracemalloc.start()
    try:
        result = fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * CAP
    assert "after decompression" in result.error


@pytest.mark.parametrize(("encoding", "body"), [
    ("gzip", gzip.compress(FEED)), ("x-gzip", gzip.compress(FEED)), ("deflate", zlib.compress(FEED)),
    ("deflate", zlib.compress(FEED, wbits=-zlib.MAX_WBITS)), ("br", brotli.compress(FEED)),
    ("gzip, gzip", gzip.compress(gzip.compress(FEED))), ("deflate, br", brotli.compress(zlib.compress(FEED))),
    ("identity", FEED), ("gzip", gzip.compress(FEED[:1000]) + gzip.compress(FEED[1000:])),
], ids=["gzip", "x-gzip", "deflate", "raw-deflate", "br", "gzip-gzip", "deflate-br", "identity", "two-members"])
def test_a_compressed_feed_is_read_in_every_coding_we_offer(server: FeedServer, encoding: str,
                                                             body: bytes) -> None:
    result = fetch(server.route("/feed", body, headers={"Content-Type": RSS, "Content-Encoding": encoding}))
    assert (result.status, result.content) == ("ok", FEED)
    assert server.hits("/feed")[0].headers["accept-encoding"] == ACCEPT_ENCODING == "gzip, deflate, br"


@pytest.mark.parametrize("encoding", ["zstd", "compress", "x-custom", "gzip, zstd"])
def test_a_coding_we_did_not_offer_is_refused_never_parsed(server: FeedServer, encoding: str) -> None:
    result = fetch(server.route("/odd", FEED, headers={"Content-Type": RSS, "Content-Encoding": encoding}))
    assert result.status == "error" and result.content == b""
    assert "encoding we did not ask for" in result.error


def test_more_than_three_stacked_codings_are_refused(server: FeedServer) -> None:
    body = gzip.compress(gzip.compress(gzip.compress(gzip.compress(FEED))))
    result = fetch(server.route("/deep", body, headers={"Content-Encoding": "gzip, gzip, gzip, gzip"}))
    assert result.status == "error" and "4 stacked content codings" in result.error


def test_a_corrupt_compressed_body_says_so(server: FeedServer) -> None:
    result = fetch(server.route("/bad", b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"}))
    assert result.status == "error" and result.error.startswith("could not decode the body")


def test_a_huge_uncompressed_body_stops_at_the_cap(server: FeedServer) -> None:
    tracemalloc.start()
    try:
        result = fetch(server.route("/huge", endless=True, headers={"Content-Type": RSS}))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "body is over the 10 MB cap"
    assert peak < 2 * CAP


def test_a_declared_length_over_the_cap_is_refused_before_reading(server: FeedServer) -> None:
    result = fetch(server.route("/big", b"x" * (CAP + 1), headers={"Content-Type": RSS}))
    assert result.error == f"body of {CAP + 1} bytes is over the 10 MB cap"


def test_a_bomb_that_trickles_in_hits_the_overall_time_limit(server: FeedServer, db_url: str) -> None:
    add(db_url, server.route("/slow", deflate_bomb(64), trickle=64, headers={"Content-Encoding": "deflate"}))
    add(db_url, server.route("/fine", gzip.compress(FEED), headers={"Content-Type": RSS,
                                                                     "Content-Encoding": "gzip"}))
    report = refresh(db_url, total_timeout=1.5)
    errors = {f.url.rsplit("/", 1)[-1]: f for f in report.feeds}
    assert errors["slow"].error == "gave up after 1.5 s (body never ended?)"
    assert errors["fine"].new == 5


def test_a_smaller_cap_counts_decoded_bytes_too(server: FeedServer) -> None:
    result = fetch(server.route("/bomb", gzip_bomb(2), headers={"Content-Encoding": "gzip"}),
                   max_body_bytes=MB)
    assert result.error == "response larger than 1 MB after decompression (the cap)"
