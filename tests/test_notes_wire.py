"""A model server that misbehaves, on loopback: each behaviour ends in specific stored notes and origin.

Answers are asked for as a stream and may come streamed or whole. A usable answer, however it came, is
stored as `model:NAME`; an answer that cannot be notes (a web page, too big, not UTF-8, cut short, no
choices, the wrong shape) keeps the facts notes and is marked done for this version of the article; a
server that stalls, hangs up or redirects leaves the article pending, and a redirect is never followed,
so the API key only goes to the configured server.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from fake_llm import FakeLlm, Reply, completion_bytes, notes_json, running_fake, sse_events
from test_notes_model import BODY, GOOD, MODEL, run, seed, settings_for, stored

from agentoire_app.db import upgrade_schema
from agentoire_app.desk.notes_queue import notes_key, run_model_round
from agentoire_app.notes.llm import LlmClient
from agentoire_app.notes.llm_wire import MAX_REPLY_BYTES

MODEL_ORIGIN = f"model:{MODEL}"
GOOD_DATA = json.loads(GOOD)
EXTRA_KEYS = json.dumps({**GOOD_DATA, "confidence": 0.9, "tags": ["llm"]})
MISSING_KEYS = json.dumps({"summary": GOOD_DATA["summary"]})

BEHAVIOURS = {
    "streamed-answer": (Reply(GOOD, stream=True, chunks=12), "model"),
    "streamed-one-piece": (Reply(GOOD, stream=True, chunks=1), "model"),
    "stream-stalls-midway": (Reply(GOOD, stream=True, stall_after=3), "pending"),
    "stream-is-cut": (Reply(GOOD, stream=True, cut_after=3), "facts"),
    "stream-cut-at-length-limit": (Reply(GOOD[:80], stream=True, finish_reason="length"), "facts"),
    "stream-labelled-as-json": (Reply(raw=b"".join(sse_events(GOOD, pieces=5))), "model"),
    "whole-answer-labelled-as-text": (Reply(raw=completion_bytes(GOOD), content_type="text/plain"), "model"),
    "html-page-with-200": (Reply(raw=b"<!doctype html><html><body><h1>Sign in</h1></body></html>",
                                 content_type="text/html"), "facts"),
    "huge-answer": (Reply(raw=completion_bytes(GOOD + " " * MAX_REPLY_BYTES)), "facts"),
    "extra-keys": (Reply(raw=completion_bytes(EXTRA_KEYS, usage={"total_tokens": 9}, system_fingerprint="fp")),
                   "model"),
    "missing-keys": (Reply(MISSING_KEYS), "facts"),
    "no-choices": (Reply(raw=b'{"id": "x", "object": "chat.completion", "choices": []}'), "facts"),
    "cut-at-length-limit": (Reply(GOOD, finish_reason="length"), "facts"),
    "not-utf8": (Reply(raw=completion_bytes(GOOD).replace(b"Acme released", b"Acme \xff\xfe released")), "facts"),
    "hangs-up": (Reply(hang_up=True), "pending"),
}


@pytest.fixture
def fake() -> Iterator[FakeLlm]:
    yield from running_fake()


@pytest.fixture
def db(db_url: str) -> str:
    upgrade_schema(db_url)
    return db_url


@pytest.mark.parametrize("behaviour", list(BEHAVIOURS))
def test_each_misbehaviour_ends_in_the_right_stored_notes(db: str, fake: FakeLlm, behaviour: str) -> None:
    reply, outcome = BEHAVIOURS[behaviour]
    ids = seed(db, {"Orca wire": BODY})
    facts_html = stored(db, ids["Orca wire"]).notes_html
    fake.script["Orca wire"] = [reply]
    report = run(db, fake)
    article = stored(db, ids["Orca wire"])
    if outcome == "model":
        assert report.model == 1 and article.notes_origin == MODEL_ORIGIN
        assert "<strong>In short:</strong> Acme released Orca 2.1" in article.notes_html
    elif outcome == "facts":
        assert report.facts == 1 and (article.notes_origin, article.notes_html) == ("facts", facts_html)
        assert article.notes_key == notes_key("hash-0", MODEL)  # done: this version is not asked again
    else:
        assert report.pending == 1 and (article.notes_origin, article.notes_key) == ("facts", "")
    assert fake.requests[0]["stream"] is True


def test_a_redirect_to_another_server_is_not_followed_and_the_key_stays_home(sqlite_url: str, fake: FakeLlm) -> None:
    upgrade_schema(sqlite_url)
    ids = seed(sqlite_url, {"Orca moves": BODY})
    with FakeLlm() as elsewhere:
        elsewhere.default = Reply(GOOD)
        fake.script["Orca moves"] = [Reply(status=307, headers={"Location": elsewhere.url + "/chat/completions"})]

        async def go() -> None:
            client = LlmClient(fake.url, MODEL, api_key="sekret", timeout=1)
            await run_model_round(sqlite_url, settings=settings_for(fake), client=client)
            await client.aclose()

        asyncio.run(go())
        assert elsewhere.requests == [] and fake.headers[0].get("Authorization") == "Bearer sekret"
    assert stored(sqlite_url, ids["Orca moves"]).notes_key == ""  # pending: the configuration needs a look


def test_a_streamed_answer_is_read_to_the_end_before_it_is_checked(db: str, fake: FakeLlm) -> None:
    ids = seed(db, {"Orca streams": BODY})
    invented = notes_json("Acme released Orca 2.1 at $5 per million tokens.",
                          "The open weights make Orca worth a trial on your own hardware.",
                          "Compare the API price with what you pay now before switching.")
    fake.script["Orca streams"] = [Reply(invented, stream=True, chunks=20), Reply(GOOD, stream=True, chunks=20)]
    run(db, fake)
    assert "number '5'" in fake.requests[1]["messages"][-1]["content"]
    assert stored(db, ids["Orca streams"]).notes_origin == MODEL_ORIGIN
