"""Notes benchmark: facts notes per article, the grounding check over real items, the model path's rate.

    .venv/bin/python bench/notes.py --items FILE.jsonl [--rounds 3] [--model-articles 60]
                                    [--latency 0.2] [--concurrency 2]

`--items` is a JSON-lines file of news items (`{id, title, description, …}`), e.g. the project's shared
two-day news set; tests/fixtures/notes/items.jsonl (14 items) is the default. Reports:
- facts notes without a model: per-article time of the summary + fact extraction + composing (the
  text already out of its HTML, as ingest has it), p50/p95/max over
  every item and round (goal p95 ≤ 20 ms), beside `html_to_text` alone on the same items;
- grounding: the grounding checker run on every item's facts notes (as plain text) against that item's
  own sources, which it must accept (count checked, failures; goal 0 failures);
- model path: articles noted per minute against a loopback fake OpenAI-compatible server answering after
  `--latency` seconds, with `--concurrency` calls at once (SQLite in a temp dir).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import percentile  # noqa: E402

from agentoire_app.desk.notes_jobs import article_text, facts_for  # noqa: E402
from agentoire_app.ingest.clean import html_to_text  # noqa: E402
from agentoire_app.ingest.parse import ParsedEntry  # noqa: E402
from agentoire_app.ingest.prepare import ToolCatalog, prepare_entry  # noqa: E402
from agentoire_app.models import Article  # noqa: E402
from agentoire_app.notes.compose import ToolFacts, compose_facts_notes  # noqa: E402
from agentoire_app.notes.grounding import Corpus, ungrounded  # noqa: E402
from agentoire_app.notes.sentences import story_sentences  # noqa: E402
from agentoire_app.notes.summary import make_summary  # noqa: E402

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TOOL = ToolFacts(slug="orca", name="Orca", category="Model runtimes", license="Apache-2.0",
                 alternatives=(("ollama", "Ollama"), ("vllm", "vLLM")))
GENERIC = json.dumps({"summary": "The story reports a change worth following for people who build with models.",
                      "paragraphs": ["Read the original before acting on it; the details matter more than the headline.",
                                     "If it touches a tool you use, check its changelog and your own tests."]})


def load_items(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_article(item: dict[str, str]) -> Article:
    entry = ParsedEntry(guid=item["url"], link=item["url"], title=item["title"], content=item["description"],
                        content_is_html=True, summary=item["description"], summary_is_html=True,
                        base_url=item["url"], published=None, updated=None)
    prepared = prepare_entry(entry, now=NOW, catalog=ToolCatalog.empty())
    return Article(slug="x", source_id=1, guid=prepared.guid, title=prepared.title, summary=prepared.summary,
                   content_html=prepared.content_html)


def bench_facts(items: list[dict[str, str]], rounds: int) -> None:
    """The summary (made while preparing entries) and the facts notes (made after storage), timed apart."""
    articles = [as_article(item) for item in items]
    texts = [html_to_text(item["description"]) for item in items]
    summaries, notes, baseline = [], [], []
    for _ in range(rounds):
        for text, article in zip(texts, articles, strict=True):
            start = time.perf_counter()
            make_summary(dek_text=text, body_text=text)
            middle = time.perf_counter()
            compose_facts_notes(facts_for(article), [TOOL])
            end = time.perf_counter()
            summaries.append((middle - start) * 1000)
            notes.append((end - middle) * 1000)
            start = time.perf_counter()
            html_to_text(article.content_html)
            baseline.append((time.perf_counter() - start) * 1000)
    totals = [a + b for a, b in zip(summaries, notes, strict=True)]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus; {len(items)} items × {rounds} rounds")
    for label, values in (("summary", summaries), ("facts notes", notes), ("both", totals)):
        print(f"  {label}: p50 {percentile(values, 50):.2f} ms, p95 {percentile(values, 95):.2f} ms, "
              f"max {max(values):.2f} ms")
    print(f"  goal: facts notes p95 ≤ 20 ms per article; html_to_text alone p95 {percentile(baseline, 95):.3f} ms")


def bench_grounding(items: list[dict[str, str]]) -> None:
    failures = []
    for item in items:
        article = as_article(item)
        facts = facts_for(article)
        notes_text = html_to_text(compose_facts_notes(facts, []))
        corpus = Corpus([article.title, " ".join(story_sentences(article_text(article))),
                         *(f.text for f in facts.all)])
        # The facts notes as a model's answer would be checked: they must pass, or the checker is too strict.
        problems = ungrounded(notes_text, corpus)
        if problems:
            failures.append((item.get("id", "?"), problems))
    print(f"grounding: {len(items)} items checked, {len(failures)} failures (goal 0)")
    for item_id, problems in failures[:10]:
        print(f"  {item_id}: {'; '.join(problems[:5])}")


def bench_model(items: list[dict[str, str]], count: int, latency: float, concurrency: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from fake_llm import FakeLlm, Reply

    from agentoire_app.db import get_engine, session_scope, upgrade_schema
    from agentoire_app.desk.notes_queue import run_model_round
    from agentoire_app.models import Source
    from agentoire_app.settings import get_settings

    with tempfile.TemporaryDirectory() as tmp, FakeLlm(latency=latency) as fake:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade_schema(url)
        with session_scope(url) as session:
            source = Source(url="https://bench.example/feed")
            session.add(source)
            session.flush()
            for n in range(count):
                item = items[n % len(items)]
                session.add(Article(slug=f"a-{n}", source_id=source.id or 0, guid=str(n), title=f"{item['title']} #{n}",
                                    content_html=item["description"], content_hash=f"h{n}"))
            session.commit()
        fake.default = Reply(GENERIC)
        settings = replace(get_settings(), db_url=url, llm_url=fake.url, llm_model="bench",
                           llm_concurrency=concurrency, llm_timeout_seconds=30)
        start = time.perf_counter()
        report = asyncio.run(run_model_round(url, settings=settings, budget=count))
        seconds = time.perf_counter() - start
        get_engine(url).dispose()
    print(f"model path: {report.model} of {count} articles noted by the model in {seconds:.1f} s at concurrency "
          f"{concurrency}, {latency * 1000:.0f} ms per answer: {report.model / seconds * 60:.0f} articles/minute "
          f"(the latency alone allows {concurrency / latency * 60:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=Path, default=ROOT / "tests" / "fixtures" / "notes" / "items.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model-articles", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    items = load_items(args.items)
    bench_facts(items, args.rounds)
    bench_grounding(items)
    bench_model(items, args.model_articles, args.latency, args.concurrency)


if __name__ == "__main__":
    main()
