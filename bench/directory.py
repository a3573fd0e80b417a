"""The directory's queries at scale: 10,000 tools and 100,000 articles, on SQLite and on PostgreSQL.

Usage: .venv/bin/python bench/directory.py [--postgres URL] [--scale 1] [--tools N] [--articles N] [--requests 500]
       [--snapshots 12] [--skip-sqlite] [--no-vacuum]

For each database it builds a fresh, migrated database (through the same Alembic migrations as the app, so
the FTS5 / tsvector triggers do the indexing during the load), fills it with synthetic tools, articles and
mentions, and a history of tool-check snapshots (`--snapshots` reads per source for 70% of the tools: GitHub
for all of those, PyPI for a third, Hugging Face for a tenth), then times p50 / p95 over N requests of:

- floor: a bare primary-key lookup of a tool (`session.get`), in the same run;
- `/tools` filtered and sorted: `query_tools` with a category, a pricing or tag filter and one of the sorts,
  on a random page, with its total count (what the page runs);
- the tag filter's list: `popular_tags` over all tools or one category (every `/tools` load reads it), and a
  whole `/tools?category=…&tag=…` load (its page, its count and the category's tags);
- within a category, a tag filter or a search sorted by stars, release or name, on a random page, with its
  count;
- `/tools?sort=stars|release` and `?activity=…`: on the tool row's summary of the newest snapshots (kept
  by the checks), on a random page, with its count;
- search: `query_tools(q=…)` with a 3–6 letter prefix of a real word (results as you type), with its count;
- tool page: `get_tool` + alternatives + news timeline + mention count (`tool_detail_public`);
- each of the tool page's queries alone (where its time goes);
- the same through HTTP: `GET /api/tools?…` in-process (Starlette's ASGI test client, no network).

Goal: each p95 ≤ 20 ms. PostgreSQL: `--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test` (a
throwaway database is created beside it and dropped afterwards).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from _common import percentile, report
from sqlmodel import Session, select

from agentoire_app.checks.latest import refresh_latest
from agentoire_app.db import get_engine, normalize_url, upgrade_schema
from agentoire_app.models import Tool
from agentoire_app.services.directory import ToolQuery, query_tools
from agentoire_app.services.tools import (
    alternatives,
    get_tool,
    mention_count,
    popular_tags,
    tool_detail_public,
    tool_news,
)

PART_MS: list[float] = []

CATEGORIES = ["agents", "coding", "models", "images", "audio", "video", "writing", "search", "data",
              "devops", "research", "productivity", "design", "education", "health", "finance", "other"]
PRICINGS = ["free", "freemium", "paid", "open-source", "unknown"]
SYLLABLES = ["lang", "chain", "llama", "mind", "flow", "gen", "auto", "deep", "code", "pilot", "vec", "tor",
             "neo", "graph", "mist", "ral", "open", "hub", "spark", "wave", "byte", "sense", "lab", "forge",
             "quill", "nova", "echo", "atlas", "orbit", "pixel", "lumen", "craft", "stack", "sage", "zen"]
WORDS = ["agent", "model", "prompt", "retrieval", "vector", "embedding", "inference", "fine", "tuning", "dataset", "pipeline", "workflow", "assistant", "copilot", "chat", "voice", "image", "video", "speech", "music", "code", "review", "test", "deploy", "monitor", "observe", "evaluate", "benchmark", "reasoning", "planning", "memory", "tool", "browser", "search", "summarize", "translate", "transcribe", "generate", "classify", "extract", "label", "annotate", "secure", "private", "local", "cloud", "open", "source", "api", "sdk", "python", "typescript", "rust", "go", "kubernetes", "serverless", "gpu", "quantize", "distill", "cache", "stream", "realtime", "multimodal"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _snapshots(rng: random.Random, tool_ids: list[int], reads: int, base: datetime) -> list[dict[str, object]]:
    """The check history: `reads` snapshots per (tool, source), a few days apart, stars growing."""
    rows: list[dict[str, object]] = []
    for tid in tool_ids:
        if rng.random() >= 0.7:
            continue  # never read
        kinds = ["github"] + (["pypi"] if rng.random() < 0.33 else []) + (["huggingface"] if rng.random() < 0.1 else [])
        stars = rng.randint(0, 50_000)
        pushed = base - timedelta(days=rng.randint(0, 900))
        for kind in kinds:
            for n in range(reads):
                read_at = base - timedelta(days=3 * (reads - n))
                rows.append({
                    "tool_id": tid, "kind": kind, "read_at": read_at,
                    "stars": stars + 10 * n if kind == "github" else None,
                    "likes": stars // 10 if kind == "huggingface" else None,
                    "pushed_at": pushed if kind == "github" else None,
                    "latest_version": f"1.{n}.0" if kind != "huggingface" else None,
                    "latest_release_at": pushed - timedelta(days=rng.randint(0, 60)),
                    "archived": rng.random() < 0.03 if kind == "github" else None,
                    "topics": [], "link_status": "ok",
                })
    return rows


def populate(url: str, *, tools: int, articles: int, snapshots: int = 12, seed: int = 7, vacuum: bool = True) -> None:
    rng = random.Random(seed)
    engine = get_engine(url)
    base = datetime(2026, 11, 29, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO category(slug, name, description, position) VALUES (:s, :n, '', :p)"),
                     [{"s": c, "n": c.title(), "p": i} for i, c in enumerate(CATEGORIES)])
        names: set[str] = set()
        rows = []
        while len(rows) < tools:
            name = _word(rng).title()
            if name.lower() in names:
                name = f"{name} {len(rows)}"
            names.add(name.lower())
            slug = name.lower().replace(" ", "-")
            tags = sorted(set(rng.sample(WORDS, rng.randint(1, 5))))
            rows.append({
                "slug": slug, "name": name, "tagline": _sentence(rng, 6).capitalize(),
                "description": _sentence(rng, 40), "homepage": f"https://{slug}.example.com/",
                "repository": "", "domain": f"{slug}.example.com", "category": rng.choice(CATEGORIES),
                "tags": tags, "pricing": rng.choice(PRICINGS), "open_source": rng.random() < 0.3,
                "license": "", "source": "bench",
                "added_at": base - timedelta(minutes=rng.randint(0, 60 * 24 * 900)),
                "updated_at": base, "checked_at": None,
            })
        tool_table = sa.Table("tool", sa.MetaData(), autoload_with=conn)
        # A thousand tools per statement, as the ORM writes an import: PostgreSQL's kept counts (migrations
        # 0013, 0014) change once per statement, and once per tool in one transaction would cost its square.
        for start in range(0, len(rows), 1000):
            conn.execute(tool_table.insert().values(rows[start:start + 1000]))
        conn.execute(sa.text("INSERT INTO source(url, title, site_url, last_status, last_error, error_count, "
                             "next_fetch_at, retired, added_by, added_at) VALUES (:u, :t, '', 'ok', '', 0, :n, "
                             "false, 'operator', :n)"),
                     [{"u": f"https://feed{i}.example.org/rss", "t": f"Feed {i}", "n": base} for i in range(50)])
        source_ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM source"))]
        tool_ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM tool"))]
        article_table = sa.Table("article", sa.MetaData(), autoload_with=conn)
        # Mentions follow a power law: a few tools are in the news a lot, most rarely.
        # Cumulative once: `choices(weights=…)` would sum 100,000 weights again for every article.
        cum_weights = list(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(len(tool_ids))))
        batch = 10_000
        for start in range(0, articles, batch):
            chunk = [{
                "slug": f"story-{i}", "source_id": rng.choice(source_ids), "guid": f"g{i}",
                "url": f"https://news.example.org/{i}", "title": _sentence(rng, 8).capitalize(),
                "summary": _sentence(rng, 30), "content_html": "", "notes_html": "", "category": "product",
                "content_hash": "", "published_at": base - timedelta(minutes=i * 7),
                "updated_at": None, "fetched_at": base,
            } for i in range(start, min(start + batch, articles))]
            conn.execute(article_table.insert(), chunk)
        first_article = conn.execute(sa.text("SELECT min(id) FROM article")).scalar_one()
        links = set()
        for i in range(articles):
            for tid in rng.choices(tool_ids, cum_weights=cum_weights, k=rng.randint(0, 3)):
                links.add((first_article + i, tid))
        conn.execute(sa.text("INSERT INTO articletool(article_id, tool_id) VALUES (:a, :t)"),
                     [{"a": a, "t": t} for a, t in links])
        if snapshots:
            fact_table = sa.Table("tool_fact", sa.MetaData(), autoload_with=conn)
            facts = _snapshots(rng, tool_ids, snapshots, base)
            # Read in rounds, as the checks do: ids grow with read_at, not with the tool.
            facts.sort(key=lambda r: (str(r["read_at"]), str(r["tool_id"]).zfill(9), str(r["kind"])))
            for start in range(0, len(facts), batch):
                conn.execute(fact_table.insert(), facts[start:start + batch])
    if snapshots:  # the checks rewrite each tool's summary with its snapshots; the bulk load does it once
        with Session(engine) as session:
            refresh_latest(list(session.exec(select(Tool)).all()), session=session)
            session.commit()
    # What autovacuum leaves after a bulk load (the test server runs with it off): statistics, and on
    # PostgreSQL the visibility map, without which no count is answered from an index alone. `--no-vacuum`
    # keeps the summaries' rewrite as dead rows: a table the checks churned since autovacuum last ran.
    postgres = engine.dialect.name == "postgresql"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE" if postgres and vacuum else "ANALYZE"))


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    for _ in range(10):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return percentile(samples, 50), percentile(samples, 95)


def run(url: str, label: str, *, requests: int) -> list[tuple[str, str, str]]:
    rng = random.Random(11)
    engine = get_engine(url)
    os.environ["AGENTOIRE_DB_URL"] = url
    with Session(engine) as session:
        tool_ids = [r[0] for r in session.execute(sa.text("SELECT id FROM tool"))]
        slugs = [r[0] for r in session.execute(sa.text("SELECT slug FROM tool"))]
        names = [r[0] for r in session.execute(sa.text("SELECT name FROM tool"))]

        def pk() -> None:
            session.get(Tool, rng.choice(tool_ids))
            session.expunge_all()

        def listing() -> None:
            q = ToolQuery(category=rng.choice(CATEGORIES),
                          pricing=rng.choice([None, *PRICINGS]),
                          tag=rng.choice([None, None, *WORDS[:20]]),
                          sort=rng.choice(["newest", "name", "mentions"]))
            query_tools(q, session=session, limit=50, offset=50 * rng.randint(0, 3))
            session.expunge_all()

        def tag_list() -> None:
            popular_tags(session=session, limit=40, category=rng.choice([None, *CATEGORIES]))

        def tag_load() -> None:
            q = ToolQuery(category=rng.choice([None, *CATEGORIES]), tag=rng.choice(WORDS[:20]))
            query_tools(q, session=session, limit=50)
            popular_tags(session=session, limit=40, category=q.category)
            session.expunge_all()

        def in_category() -> None:
            word = rng.choice(names).split()[0].lower()[: rng.randint(3, 6)]
            q = ToolQuery(category=rng.choice(CATEGORIES), sort=rng.choice(["stars", "release", "name"]),
                          now=datetime(2026, 11, 29, tzinfo=UTC),
                          **rng.choice([{"tag": rng.choice(WORDS[:20])}, {"q": word}]))
            query_tools(q, session=session, limit=30, offset=30 * rng.randint(0, 3))
            session.expunge_all()

        def unfiltered() -> None:
            q = ToolQuery(sort=rng.choice(["newest", "name", "mentions"]))
            query_tools(q, session=session, limit=50, offset=50 * rng.randint(0, 190))
            session.expunge_all()

        def by_standing() -> None:
            q = ToolQuery(sort=rng.choice(["stars", "release"]), now=datetime(2026, 11, 29, tzinfo=UTC))
            query_tools(q, session=session, limit=30, offset=30 * rng.randint(0, 10))
            session.expunge_all()

        def by_activity() -> None:
            q = ToolQuery(activity=rng.choice(["active", "quiet", "stale", "archived"]),
                          sort=rng.choice(["newest", "stars"]), now=datetime(2026, 11, 29, tzinfo=UTC))
            query_tools(q, session=session, limit=30)
            session.expunge_all()

        def search() -> None:
            word = rng.choice(names).split()[0].lower()
            query_tools(ToolQuery(q=word[: rng.randint(3, 6)]), session=session, limit=50)
            session.expunge_all()

        def tool_page() -> None:
            tool = get_tool(rng.choice(slugs), session=session)
            assert tool is not None
            tool_detail_public(tool, session=session)
            session.expunge_all()

        def part(fn: Callable[[Tool], object]) -> Callable[[], None]:
            """One query of the tool page alone, to see where its time goes."""
            def timed_part() -> None:
                tool = get_tool(rng.choice(slugs), session=session)
                assert tool is not None
                t0 = time.perf_counter()
                fn(tool)
                PART_MS.append((time.perf_counter() - t0) * 1000)
                session.expunge_all()
            return timed_part

        rows = []
        floor = timed(pk, requests)
        rows.append((f"{label}: primary-key lookup (floor)", f"{floor[0]:.2f} / {floor[1]:.2f}", "floor"))
        for what, fn in (("/tools filtered + sorted + count", listing),
                         ("/tools tag list (popular_tags, all or a category)", tag_list),
                         ("/tools?category&tag load (page + count + tag list)", tag_load),
                         ("category + tag|q by stars|release|name + count", in_category),
                         ("/tools unfiltered, sorted, deep page", unfiltered),
                         ("/tools?sort=stars|release + count", by_standing),
                         ("/tools?activity=… (+ sort) + count", by_activity),
                         ("search as you type (prefix) + count", search),
                         ("tool page (tool, alternatives, news, mentions)", tool_page)):
            p50, p95 = timed(fn, requests)
            rows.append((f"{label}: {what}", f"{p50:.2f} / {p95:.2f}",
                         f"goal ≤ 20 ms p95; {p95 / floor[1]:.0f}× floor"))
        for what, fn in (("get_tool (by slug)", lambda t: get_tool(t.slug, session=session)),
                         ("mention_count", lambda t: mention_count(t.id or 0, session=session)),
                         ("alternatives", lambda t: alternatives(t, session=session)),
                         ("tool_news", lambda t: tool_news(t.id or 0, session=session))):
            PART_MS.clear()
            timed(part(fn), requests)
            ms = PART_MS[10:]
            rows.append((f"{label}:   tool page part: {what}",
                         f"{percentile(ms, 50):.2f} / {percentile(ms, 95):.2f}", ""))
    from starlette.testclient import TestClient

    from agentoire_app.api import build_api

    with TestClient(build_api()) as client:
        def http_listing() -> None:
            params = {"category": rng.choice(CATEGORIES), "sort": rng.choice(["newest", "name", "mentions"])}
            assert client.get("/api/tools", params=params).status_code == 200

        def http_search() -> None:
            word = rng.choice(names).split()[0].lower()[:4]
            assert client.get("/api/tools", params={"q": word}).status_code == 200

        for what, fn in (("GET /api/tools?category&sort (in-process HTTP)", http_listing),
                         ("GET /api/tools?q= (in-process HTTP)", http_search)):
            p50, p95 = timed(fn, requests)
            rows.append((f"{label}: {what}", f"{p50:.2f} / {p95:.2f}", "goal ≤ 20 ms p95"))
    return rows


def main() -> int:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("AGENTOIRE_TEST_POSTGRES_URL", ""))
    parser.add_argument("--tools", type=int, default=None, help="default 10,000 × scale")
    parser.add_argument("--articles", type=int, default=None, help="default 100,000 × scale")
    parser.add_argument("--scale", type=int, default=1, help="multiply the default sizes (10: how cost grows)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--snapshots", type=int, default=12, help="reads per (tool, source) in the check history")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--no-vacuum", action="store_true",
                        help="PostgreSQL: skip the VACUUM after loading (every page's visibility unknown)")
    args = parser.parse_args()
    args.tools = args.tools if args.tools is not None else 10_000 * args.scale
    args.articles = args.articles if args.articles is not None else 100_000 * args.scale
    rows: list[tuple[str, str, str]] = [("query", "p50 / p95 ms", "goal / floor")]
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            upgrade_schema(url)
            t0 = time.monotonic()
            populate(url, tools=args.tools, articles=args.articles, snapshots=args.snapshots)
            print(f"sqlite: loaded {args.tools} tools, {args.articles} articles in {time.monotonic() - t0:.0f} s",
                  flush=True)
            rows += run(url, "sqlite", requests=args.requests)
            get_engine(url).dispose()
    if args.postgres:
        base = normalize_url(args.postgres)
        name = f"agentoire_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = base.rsplit("/", 1)[0] + "/" + name
        try:
            upgrade_schema(url)
            t0 = time.monotonic()
            populate(url, tools=args.tools, articles=args.articles, snapshots=args.snapshots,
                     vacuum=not args.no_vacuum)
            print(f"postgres: loaded in {time.monotonic() - t0:.0f} s", flush=True)
            rows += run(url, "postgres", requests=args.requests)
        finally:
            get_engine(url).dispose()
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        print("postgres: skipped (pass --postgres URL or set AGENTOIRE_TEST_POSTGRES_URL)")
    report(rows)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs; other work on the machine inflates the p95s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
