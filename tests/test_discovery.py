"""Tools found in the news: the extractor on real articles (golden files), its rules, and its safety."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentoire_app.discovery.extract import classify_link, extract_candidates
from agentoire_app.ingest.parse import parse_feed
from agentoire_app.ingest.prepare import ToolCatalog, prepare_feed

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = FIXTURES / "news" / "candidates"
FEEDS = {"hacker-news": FIXTURES / "news" / "hacker-news.xml",
         "mf_dustri_large": FIXTURES / "feeds" / "mf_dustri_large.rss"}
NOW = datetime(2026, 1, 6, tzinfo=UTC)


def finds_in_feed(path: Path) -> list[dict[str, object]]:
    """What the extractor finds in each stored article of a feed, as the refresh would have stored it."""
    parsed = parse_feed(path.read_bytes(), url=f"https://example.test/{path.name}", headers={})
    prepared = prepare_feed(parsed.entries, now=NOW, catalog=ToolCatalog.empty())
    return [{"title": entry.title, "finds": [asdict(f) for f in found]}
            for entry in prepared.entries
            if (found := extract_candidates(title=entry.title, url=entry.url, content_html=entry.content_html,
                                            summary=entry.summary))]


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_real_articles_yield_the_golden_candidates(name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert finds_in_feed(FEEDS[name]) == expected


def test_show_hn_linking_a_repository_takes_the_name_from_the_title() -> None:
    [found] = extract_candidates(title="Show HN: Claude Reflect – Auto-turn Claude corrections into config",
                                 url="https://github.com/BayramAnnakov/claude-reflect", content_html="")
    assert (found.key, found.kind, found.name) == ("github:bayramannakov/claude-reflect", "github", "Claude Reflect")


def test_show_hn_with_a_description_for_a_name_is_named_after_its_homepage() -> None:
    [found] = extract_candidates(title="Show HN: An LLM-Powered PCB Schematic Checker (Major Update)",
                                 url="https://traceformer.io", content_html="")
    assert (found.key, found.kind, found.name, found.url) == (
        "site:traceformer.io", "launch", "Traceformer", "https://traceformer.io")


def test_a_launch_headline_without_its_homepage_is_only_a_company_in_the_news() -> None:
    assert extract_candidates(title="Agibot Launches 3 Humanoid Robots And Quadruped",
                              url="https://www.forbes.com/sites/x/agibot", content_html="<p>Robots.</p>") == []


def test_a_launch_headline_with_a_link_to_its_site_is_a_candidate() -> None:
    body = '<p>Read more at <a href="https://foocoder.ai/blog">the site</a>. It writes code.</p>'
    [found] = extract_candidates(title="FooCoder launches an agent that writes tests",
                                 url="https://news.example/foocoder", content_html=body)
    assert (found.key, found.name, found.url) == ("site:foocoder.ai", "FooCoder", "https://foocoder.ai")


def test_registry_links_in_the_body_carry_the_sentence_that_links_them() -> None:
    body = ('<p>Teams ship agents daily. The <a href="https://pypi.org/project/Fast_Agent/">fast-agent</a> '
            'package adds tracing. Models are on <a href="https://huggingface.co/acme/tiny-llm">the hub</a>, '
            'a demo at <a href="https://huggingface.co/spaces/acme/demo">a space</a> and '
            '<a href="https://www.npmjs.com/package/@acme/agent-kit">agent-kit</a> for Node.</p>')
    found = extract_candidates(title="Agents everywhere", url="https://news.example/a", content_html=body)
    assert [(f.key, f.name) for f in found] == [
        ("pypi:fast-agent", "Fast_Agent"), ("huggingface:acme/tiny-llm", "tiny-llm"),
        ("huggingface:spaces/acme/demo", "demo"), ("npm:@acme/agent-kit", "@acme/agent-kit")]
    assert found[0].sentence == "The fast-agent package adds tracing."


@pytest.mark.parametrize("url", [
    "https://github.com/features/copilot", "https://github.com/torvalds", "https://huggingface.co/docs/x",
    "https://huggingface.co/datasets/a/b", "https://pypi.org/search/?q=x", "https://example.com/a/b",
    "https://github.com/a/b%00c", "javascript:alert(1)"])
def test_site_pages_and_junk_are_not_tools(url: str) -> None:
    assert classify_link(url) is None


@settings(deadline=200, max_examples=150)
@given(st.text(max_size=3000), st.text(max_size=300))
def test_hostile_text_neither_breaks_nor_slows_the_extractor(body: str, title: str) -> None:
    for found in extract_candidates(title=title, url="https://news.example/x", content_html=body):
        assert len(found.name) <= 80 and len(found.sentence) <= 300


def test_pathological_markup_is_linear() -> None:
    body = "<a " + "x" * 50_000 + ">" + '<a href="' * 5_000 + "Show HN: " + "a " * 10_000
    extract_candidates(title="Show HN: " + "a" * 10_000, url="https://x.example", content_html=body)


if __name__ == "__main__":  # regenerate the golden files (review the diff by hand)
    for feed_name, feed_path in FEEDS.items():
        (GOLDEN / f"{feed_name}.json").write_text(
            json.dumps(finds_in_feed(feed_path), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.exit(0)
