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
from agentoire_app.models import Category, Tool, ToolCheck
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


def extraction_cost(entries: int = 20_000) -> float:
    """Microseconds per article for candidate extraction, on real Hacker News items (bodies with links)."""
    import feedparser

    path = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "news" / "hacker-news.xml"
    items = [(e.get("title", ""), e.get("link", ""), e.get("summary", "")) for e in feedparser.parse(path.read_bytes()).entries]
    body = ('<p>A story about agents. The <a href="https://github.com/acme/agentkit">agentkit</a> repository '
            'and <a href="https://pypi.org/project/agentkit/">its package</a> ship today.</p>' * 5)
    samples = [(t, u, s + body) for t, u, s in items]
    started = time.perf_counter()
    for i in range(entries):
        title, url, content = samples[i % len(samples)]
        extract_candidates(title=title, url=url, content_html=content)
    return (time.perf_counter() - started) / entries * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer (real time)")
    parser.add_argument("--hours", type=float, default=30, help="simulated hours")
    parser.add_argument("--round-minutes", type=float, default=15)
    parser.add_argument("--round-limit", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    print(f"candidate extraction: {extraction_cost():.0f} µs per article (× 20,000 entries of the 1,000 × 20 "
          f"refresh: compare with bench/ingest.py's first-refresh time)")
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        seed(db_url, args.tools)
        result = asyncio.run(simulate(args, db_url))
        get_engine(db_url).dispose()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
