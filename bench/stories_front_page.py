"""The front page's top ten for the labelled news window, through the real refresh.

    python bench/stories_front_page.py [--items tests/fixtures/stories/items.jsonl]

Each outlet's items become one RSS feed on a loopback server; a fresh SQLite database imports them as
sources, one news round (`desk.rounds.news_round`) stores them and places them into stories, and the ranking the front page
uses (`services.stories.ranked_stories`) prints its top ten and the papers lane.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import defaultdict
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from feedserver import RSS, running_server  # noqa: E402

from agentoire_app.db import session_scope, upgrade_schema  # noqa: E402
from agentoire_app.desk.rounds import news_round  # noqa: E402
from agentoire_app.ingest.fetch import Fetcher  # noqa: E402
from agentoire_app.services.sources import add_source  # noqa: E402
from agentoire_app.services.stories import ranked_stories  # noqa: E402


def feeds(items: list[dict[str, str]]) -> dict[str, str]:
    by_source: dict[str, list[dict[str, str]]] = defaultdict(list)
    for raw in items:
        by_source[raw["source"]].append(raw)
    return {name: '<?xml version="1.0"?><rss version="2.0"><channel><title>' + escape(name) + "</title>" + "".join(
        f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link><guid>{escape(r['url'])}</guid>"
        f"<description>{escape(r['description'])}</description>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(r['published']))}</pubDate></item>" for r in rows)
        + "</channel></rss>" for name, rows in by_source.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=Path, default=ROOT / "tests" / "fixtures" / "stories" / "items.jsonl")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.items.read_text().splitlines() if line.strip()]
    now = max(datetime.fromisoformat(i["published"]) for i in items)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/front.db"
        upgrade_schema(db_url)
        for server in running_server():
            with session_scope(db_url) as session:
                for n, (name, body) in enumerate(sorted(feeds(items).items())):
                    url = server.route(f"/feed/{n}", body, headers={"Content-Type": RSS})
                    add_source(url, session=session, title=name)

            async def run() -> None:
                async with Fetcher() as fetcher:
                    await news_round(db_url=db_url, now=now, all_sources=True, fetcher=fetcher, use_lease=False)

            asyncio.run(run())
        with session_scope(db_url) as session:
            top, papers, total = ranked_stories(session=session, now=now, limit=10)
    print(f"top ten of {total} stories at {now.isoformat()}:")
    for rank, view in enumerate(top, 1):
        lead = view.lead
        print(f"{rank:2}. [{view.score:.2f}, {view.source_count} sources] {view.title}  ({lead.source_name if lead else ''})")
        others = ", ".join(a.source_name for a in view.also)
        if others:
            print(f"      also covered by: {others}")
    print(f"papers lane: {len(papers)} stories")


if __name__ == "__main__":
    main()
