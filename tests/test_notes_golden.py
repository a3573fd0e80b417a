"""Summaries and facts on real articles, against golden files (tests/fixtures/notes, with provenance).

Each input goes through the ingest's own preparation (parse → prepare) so the golden files pin what a
reader would see, then through fact extraction on the same text the notes read.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agentoire_app.desk.notes_jobs import article_text, facts_for
from agentoire_app.ingest.clean import html_to_text
from agentoire_app.ingest.parse import ParsedEntry, parse_feed
from agentoire_app.ingest.prepare import PreparedEntry, ToolCatalog, prepare_entry
from agentoire_app.models import Article
from agentoire_app.notes.summary import body_without_summary, repeats_body

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOTES = FIXTURES / "notes"
EXPECTED = NOTES / "expected.json"
FEEDS = {"rd_full.rss": 3, "fp_ex_rss20.xml": 1, "mf_heise_rss090_rdf.xml": 3, "mf_dustri_large.rss": 2}
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _article(prepared: PreparedEntry) -> Article:
    return Article(slug="x", source_id=1, guid=prepared.guid, title=prepared.title, summary=prepared.summary,
                   content_html=prepared.content_html)


def _item_entry(item: dict[str, str]) -> ParsedEntry:
    # A news item's feed gives only a <description>, which feedparser reports as both summary and content.
    return ParsedEntry(guid=item["url"], link=item["url"], title=item["title"], content=item["description"],
                       content_is_html=True, summary=item["description"], summary_is_html=True, base_url=item["url"],
                       published=None, updated=None)


def _inputs() -> dict[str, PreparedEntry]:
    prepared: dict[str, PreparedEntry] = {}
    for line in (NOTES / "items.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        prepared[item["id"]] = prepare_entry(_item_entry(item), now=NOW, catalog=ToolCatalog.empty())
    for name, count in FEEDS.items():
        feed = parse_feed((FIXTURES / "feeds" / name).read_bytes(), url=f"https://example.com/{name}")
        for n, entry in enumerate(feed.entries[:count]):
            prepared[f"{name}#{n}"] = prepare_entry(entry, now=NOW, catalog=ToolCatalog.empty())
    return prepared


def _observed() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for key, prepared in _inputs().items():
        facts = facts_for(_article(prepared))
        out[key] = {"title": prepared.title, "summary": prepared.summary,
                    "facts": [{"kind": f.kind, "text": f.text} for f in facts.all]}
    return out


def test_summaries_and_facts_match_the_golden_file() -> None:
    observed = _observed()
    if os.environ.get("AGENTOIRE_REGEN_GOLDEN"):
        EXPECTED.write_text(json.dumps(observed, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert set(observed) == set(expected)
    for key in expected:
        assert observed[key] == expected[key], key


@pytest.mark.parametrize("key", sorted(_inputs()))
def test_every_fact_is_quoted_from_the_story_and_the_page_never_shows_the_summary_twice(key: str) -> None:
    prepared = _inputs()[key]
    text = article_text(_article(prepared))
    for fact in facts_for(_article(prepared)).all:
        assert fact.text in fact.sentence and fact.sentence in text
    shown = html_to_text(body_without_summary(prepared.summary, prepared.content_html))
    assert not prepared.summary or not repeats_body(prepared.summary, shown)
    assert not prepared.summary or _words(prepared.summary.rstrip("…")) not in _words(shown)


def test_a_description_only_item_shows_its_lead_as_the_summary_and_the_rest_as_its_body() -> None:
    prepared = _inputs()["1faf2afd6834b7cb"]
    shown = html_to_text(body_without_summary(prepared.summary, prepared.content_html))
    assert prepared.summary.startswith("Analysts predict a tough period for AI stocks")
    assert shown.startswith("Google's custom AI chips, TPUs, are seen as a significant advantage")


def test_a_body_that_is_only_its_lead_shows_as_the_summary_alone() -> None:
    prepared = _inputs()["mf_heise_rss090_rdf.xml#1"]
    assert prepared.summary.startswith("Giganten-Hochzeit in den USA")
    assert body_without_summary(prepared.summary, prepared.content_html) == ""


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "
