"""Tools found in the news, end to end on both databases: a refresh of real Hacker News items proposes
candidates with evidence; the moderator approves (a tool dated today, source "found in the news"), rejects
(never proposed again) or merges into a listed tool; `agentoire tools candidates --json` shows the queue."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from directory_seed import categories, tool
from feedserver import FeedServer
from sqlmodel import Session, select
from test_directory_moderation import moderate_state

from agentoire_app.db import session_scope
from agentoire_app.desk.rounds import news_round
from agentoire_app.discovery.store import discover_in_articles_since
from agentoire_app.ingest.fetch import Fetcher
from agentoire_app.models import ArticleTool, Tool, ToolCandidate, utcnow
from agentoire_app.services.candidates import (
    FOUND_IN_THE_NEWS,
    ModerationError,
    approve_candidate,
    list_candidates,
    merge_candidate,
    reject_candidate,
)
from agentoire_app.services.sources import add_source
from agentoire_app.services.stats import status_counts

HN = Path(__file__).resolve().parent / "fixtures" / "news" / "hacker-news.xml"
NOW = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
AGENTOIRE = str(Path(sys.executable).parent / "agentoire")


def refresh_hn(db_url: str, server: FeedServer) -> None:
    url = server.route("/hn.xml", HN.read_bytes(), headers={"Content-Type": "application/rss+xml"})
    with session_scope(db_url) as session:
        add_source(url, session=session)

    async def run() -> None:
        async with Fetcher() as fetcher:
            await news_round(db_url=db_url, now=NOW, all_sources=True, fetcher=fetcher, use_lease=False)

    asyncio.run(run())


def pending(session: Session) -> dict[str, ToolCandidate]:
    session.expire_all()
    return {v.candidate.key: v.candidate for v in list_candidates(session=session)}


@pytest.fixture
def found(session: Session, db_url: str, feeds: FeedServer) -> Session:
    categories(session, "coding-agents", "other", "llm-dev-tools", "observability")
    tool(session, "Vibesbench", repository="https://github.com/firasd/vibesbench")  # already listed
    refresh_hn(db_url, feeds)
    return session


def test_a_refresh_proposes_the_tools_its_stories_point_at_with_evidence(found: Session) -> None:
    views = {v.candidate.key: v for v in list_candidates(session=found)}
    assert set(views) == {"github:bayramannakov/claude-reflect", "github:nibzard/awesome-agentic-patterns",
                          "github:williamofai/c-sentinel", "site:traceformer.io"}  # vibesbench is listed
    reflect = views["github:bayramannakov/claude-reflect"]
    assert (reflect.candidate.name, reflect.candidate.mentions, reflect.candidate.first_seen) == (
        "Claude Reflect", 1, NOW)
    [(slug, _, sentence)] = reflect.evidence
    assert slug.startswith("show-hn-claude-reflect") and sentence.startswith("Show HN: Claude Reflect")


def test_scanning_the_same_articles_again_changes_nothing(found: Session) -> None:
    before = {k: c.mentions for k, c in pending(found).items()}
    assert discover_in_articles_since(NOW, session=found, now=NOW) == 0
    assert {k: c.mentions for k, c in pending(found).items()} == before


def test_approval_lists_the_tool_dated_today_and_moves_added_today(found: Session) -> None:
    today = utcnow()
    before = status_counts(session=found, day_start=today.replace(hour=0, minute=0, second=0))["added_today"]
    candidate = pending(found)["github:bayramannakov/claude-reflect"]
    listed = approve_candidate(candidate.id or 0, session=found, now=today)
    assert (listed.name, listed.source, listed.added_at, listed.repository) == (
        "Claude Reflect", FOUND_IN_THE_NEWS, today, "https://github.com/BayramAnnakov/claude-reflect")
    assert listed.tagline.startswith("Show HN: Claude Reflect")
    assert found.exec(select(ArticleTool).where(ArticleTool.tool_id == listed.id)).all()  # its evidence
    after = status_counts(session=found, day_start=today.replace(hour=0, minute=0, second=0))["added_today"]
    assert after == before + 1
    assert "github:bayramannakov/claude-reflect" not in pending(found)
    with pytest.raises(ModerationError):
        approve_candidate(candidate.id or 0, session=found)


def test_a_rejected_candidate_is_never_proposed_again(found: Session, db_url: str, feeds: FeedServer) -> None:
    candidate = pending(found)["site:traceformer.io"]
    reject_candidate(candidate.id or 0, session=found)
    discover_in_articles_since(datetime(1970, 1, 1, tzinfo=UTC), session=found, now=NOW)
    assert "site:traceformer.io" not in pending(found)
    assert found.get(ToolCandidate, candidate.id).status == "rejected"  # type: ignore[union-attr]


def test_merge_gives_the_evidence_to_a_listed_tool(found: Session) -> None:
    target = tool(found, "Sentinel", homepage="https://sentinel.example/")
    candidate = pending(found)["github:williamofai/c-sentinel"]
    merge_candidate(candidate.id or 0, "sentinel", session=found)
    assert found.exec(select(ArticleTool).where(ArticleTool.tool_id == target.id)).all()
    assert found.exec(select(Tool).where(Tool.slug == "c-sentinel")).first() is None
    with pytest.raises(ModerationError, match="no tool"):
        merge_candidate(pending(found)["site:traceformer.io"].id or 0, "no-such-tool", session=found)


def test_the_cli_prints_the_contract_shape(found: Session, db_url: str) -> None:
    result = subprocess.run([AGENTOIRE, "tools", "candidates", "--json"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "AGENTOIRE_DB_URL": db_url})
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    reflect = next(r for r in rows if r["name"] == "Claude Reflect")
    assert set(reflect) == {"name", "url", "kind", "first_seen", "mentions", "evidence"}
    assert reflect["kind"] == "github" and reflect["evidence"][0]["article_slug"].startswith("show-hn-claude")
    listing = subprocess.run([AGENTOIRE, "tools", "list", "--json"], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "AGENTOIRE_DB_URL": db_url})
    [row] = json.loads(listing.stdout)
    assert {k: row[k] for k in ("stars", "latest_version", "latest_release_at", "archived", "link_status",
                                "checked_at")} == dict.fromkeys(("stars", "latest_version", "latest_release_at",
                                                                 "archived", "link_status", "checked_at"))


def test_the_moderation_screen_shows_candidates_beside_submissions_and_decides(
        found: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", "correct horse battery staple")
    state = moderate_state()
    asyncio.run(state.sign_in({"token": "wrong token, long enough to be one"}))
    assert state.found == []
    asyncio.run(state.sign_in({"token": "correct horse battery staple"}))
    names = {row.name: row for row in state.found}
    assert {"Claude Reflect", "Traceformer"} <= set(names)
    assert names["Claude Reflect"].sentence.startswith("Show HN: Claude Reflect")
    asyncio.run(state.approve_found(names["Claude Reflect"].id))
    assert state.message.startswith("Approved: Claude Reflect is listed at /tools/claude-reflect")
    asyncio.run(state.merge_found({"candidate": names["Traceformer"].id, "into": "vibesbench"}))
    assert state.message.startswith("Merged into Vibesbench")
    asyncio.run(state.reject_found(names["Traceformer"].id))
    assert "already merged" in state.message
    assert "Claude Reflect" not in {row.name for row in state.found}
