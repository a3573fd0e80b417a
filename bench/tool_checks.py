"""Tool checks at scale: N tools against a loopback GitHub fake with latency, under the hourly budget.

Time is simulated (the checks take their clock as an argument): a round every `--round-minutes` of
simulated time, the fake answering each request after `--latency` of real time. Reported: the most
requests in any simulated hour (sliding, per minute) against the budget, the time until every tool was
checked once, and the real seconds spent. Also: what candidate extraction costs per article, set against
the per-entry cost of the 1,000 × 20 refresh (`bench/ingest.py` measures that pipeline).

    python bench/tool_checks.py --tools 10000 --latency 0.1 --hours 30
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from agentoire_app.checks.client import ApiClient, HourlyBudget
from agentoire_app.checks.run import check_round, github_budget
from agentoire_app.db import get_engine, upgrade_schema
from agentoire_app.discovery.extract import extract_candidates
from agentoire_app.discovery.store import discover_candidates
from agentoire_app.ingest.parse import parse_feed
from agentoire_app.ingest.prepare import ToolCatalog, prepare_feed
from agentoire_app.models import Article, Category, Source, Tool, ToolCheck
from agentoire_app.settings import CheckApis

START = datetime(2026, 12, 1, tzinfo=UTC)


class SimClock:
    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at


def fake_github(clock: SimClock, latency: float) -> tuple[ThreadingHTTPServer, list[datetime]]:
    """Any /repos/o/r and /repos/o/r/releases/latest, GitHub's shapes, ETags honoured (304), with latency."""
    seen: list[datetime] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with lock:
                seen.append(clock())
            time.sleep(latency)
            parts = self.path.strip("/").split("/")
            etag = f'"{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            if parts[-1] == "latest":
                body = {"tag_name": "v1.0.0", "published_at": "2026-11-01T00:00:00Z"}
            else:
                body = {"full_name": f"{parts[1]}/{parts[2]}", "stargazers_count": 10, "forks_count": 1,
                        "open_issues_count": 0, "pushed_at": "2026-11-20T00:00:00Z", "archived": False,
                        "license": {"spdx_id": "MIT"}, "topics": []}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", etag)
            self.send_header("X-RateLimit-Remaining", "4000")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def seed(db_url: str, tools: int) -> None:
    upgrade_schema(db_url)
    engine = get_engine(db_url)
    with engine.begin() as connection:
        if not connection.execute(sa.select(Category.slug).where(Category.slug == "other")).first():
            connection.execute(sa.insert(Category.__table__), [{"slug": "other", "name": "Other",  # type: ignore[attr-defined]
                                                                 "description": "", "position": 0}])
        connection.execute(sa.insert(Tool.__table__), [{  # type: ignore[attr-defined]
            "slug": f"t{i}", "name": f"T{i}", "tagline": "", "description": "", "homepage": f"https://github.com/o{i}/r{i}",
            "repository": f"https://github.com/o{i}/r{i}", "domain": "github.com", "category": "other", "tags": [],
            "pricing": "unknown", "open_source": True, "license": "", "source": "bench", "added_at": START,
            "updated_at": START} for i in range(tools)])


def max_per_hour(stamps: list[datetime]) -> int:
    ordered = sorted(stamps)
    return max((bisect.bisect_left(ordered, t + timedelta(hours=1)) - i for i, t in enumerate(ordered)), default=0)


async def simulate(args: argparse.Namespace, db_url: str) -> dict[str, object]:
    clock = SimClock()
    server, seen = fake_github(clock, args.latency)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    apis = CheckApis(github=base, github_token="bench")
    budget: HourlyBudget = github_budget(apis, clock=clock)
    client = ApiClient(github_token="bench", clock=clock, concurrency=args.concurrency)
    covered_at: datetime | None = None
    started = time.monotonic()
    engine = get_engine(db_url)
    try:
        while clock.at < START + timedelta(hours=args.hours):
            report = await check_round(apis=apis, db_url=db_url, clock=clock, budget=budget, client=client,
                                       limit=args.round_limit)
            if covered_at is None:
                with engine.connect() as connection:
                    never = connection.execute(sa.select(sa.func.count()).select_from(ToolCheck)
                                               .where(ToolCheck.last_checked_at.is_(None))).scalar()  # type: ignore[union-attr]
                if never == 0:
                    covered_at = clock.at
            if report.checked or report.not_modified:
                print(f"  {clock.at:%d %H:%M} sim: {report.checked} read, {report.not_modified} unchanged, "
                      f"{report.deferred} left for later; {time.monotonic() - started:.0f} s real", flush=True)
            clock.at += timedelta(minutes=args.round_minutes)
    finally:
        await client.aclose()
        server.shutdown()
    return {"requests": len(seen), "max_requests_in_any_hour": max_per_hour(seen), "budget_per_hour": budget.per_hour,
            "github_quota_per_hour": 5000,
            "full_coverage_after_hours": round((covered_at - START).total_seconds() / 3600, 2) if covered_at else None,
            "real_seconds": round(time.monotonic() - started, 1)}


def real_articles(corpus: Path | None = None) -> list[tuple[str, str, str, str]]:
    """(title, url, content_html, summary) of real stories, as the refresh stores them (parse + prepare):
    the feeds of `corpus` (a folder of .xml/.rss files), else the test fixtures (Hacker News items and a
    long-form blog full of repository links, a worst case)."""
    fixtures = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
    paths = (sorted([*corpus.glob("*.xml"), *corpus.glob("*.rss")]) if corpus else
             [fixtures / "news" / "hacker-news.xml", fixtures / "feeds" / "mf_dustri_large.rss"])
    found = []
    for path in paths:
        parsed = parse_feed(path.read_bytes(), url=f"https://bench.test/{path.name}", headers={})
        found += [(e.title, e.url, e.content_html, e.summary)
                  for e in prepare_feed(parsed.entries, now=START, catalog=ToolCatalog.empty()).entries]
    return found


def extraction_cost(entries: int = 20_000, corpus: Path | None = None) -> dict[str, float]:
    """Candidate discovery over `entries` stored articles (the 1,000 × 20 refresh's worth): the extractor
    alone, and the whole refresh hook (read the articles back, extract, write candidates) on SQLite."""
    samples = real_articles(corpus)
    started = time.perf_counter()
    for i in range(entries):
        title, url, content, summary = samples[i % len(samples)]
        extract_candidates(title=title, url=url, content_html=content, summary=summary)
    extractor = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/discover.db"
        upgrade_schema(db_url)
        with get_engine(db_url).begin() as connection:
            source_id = connection.execute(sa.insert(Source.__table__).returning(Source.__table__.c.id), [{  # type: ignore[attr-defined]
                "url": "https://bench.test/feed", "title": "", "site_url": "", "last_status": "ok", "last_error": "",
                "error_count": 0, "next_fetch_at": START, "retired": False, "added_by": "operator",
                "added_at": START}]).scalar_one()
            connection.execute(sa.insert(Article.__table__), [{  # type: ignore[attr-defined]
                "slug": f"a{i}", "source_id": source_id, "guid": f"g{i}", "url": samples[i % len(samples)][1],
                "title": samples[i % len(samples)][0], "summary": samples[i % len(samples)][3],
                "content_html": samples[i % len(samples)][2], "notes_html": "", "category": "product",
                "content_hash": "", "published_at": START, "fetched_at": START} for i in range(entries)])
        started = time.perf_counter()
        discover_candidates(db_url, START)
        hook = time.perf_counter() - started
        get_engine(db_url).dispose()
    return {"articles": entries, "distinct_real_articles": len(samples),
            "extractor_us_per_article": round(extractor / entries * 1e6, 1),
            "refresh_hook_seconds": round(hook, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer (real time)")
    parser.add_argument("--hours", type=float, default=30, help="simulated hours")
    parser.add_argument("--round-minutes", type=float, default=15)
    parser.add_argument("--round-limit", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--skip-extraction", action="store_true")
    parser.add_argument("--corpus", type=Path, default=None, help="a folder of real feeds for the extraction cost")
    parser.add_argument("--only-extraction", action="store_true")
    args = parser.parse_args()
    if not args.skip_extraction:
        print("candidate discovery:", json.dumps(extraction_cost(corpus=args.corpus)), flush=True)
    if args.only_extraction:
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        seed(db_url, args.tools)
        result = asyncio.run(simulate(args, db_url))
        get_engine(db_url).dispose()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
