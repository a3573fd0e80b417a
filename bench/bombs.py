"""Peak memory of one refresh against each decompression bomb (goal: under 400 MB, whatever the response).

Each case runs in a fresh subprocess: a loopback feed server serves one bomb, one operator source points
at it, `refresh_sources` runs once, and the child reports its RSS high-water mark
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`) and the source's error. The baseline row is the same
refresh of an ordinary 5-entry feed. Bombs are built streaming, so building one costs no memory.

    .venv/bin/python bench/bombs.py [--decoded-mb 1024]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

CASES = ("plain feed", "gzip", "deflate", "br", "gzip, gzip", "identity, endless")


def _child(case: str, decoded_mb: int, db_path: str) -> None:
    from bombs import BOMBS
    from feedserver import FEEDS, RSS, FeedServer

    from agentoire_app.db import session_scope, upgrade_schema
    from agentoire_app.ingest.refresh import refresh_sources
    from agentoire_app.services.sources import add_source

    db_url = f"sqlite:///{db_path}"
    upgrade_schema(db_url)
    server = FeedServer().start()
    if case == "plain feed":
        url = server.feed("/feed", "rd_full.rss")
        wire = len((FEEDS / "rd_full.rss").read_bytes())
    elif case == "identity, endless":
        url = server.route("/feed", endless=True, headers={"Content-Type": RSS})
        wire = -1
    else:
        body = BOMBS[case](decoded_mb)
        wire = len(body)
        url = server.route("/feed", body, headers={"Content-Type": RSS, "Content-Encoding": case})
        del body
    with session_scope(db_url) as session:
        add_source(url, session=session)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = asyncio.run(refresh_sources(db_url=db_url, all_sources=True, use_lease=False))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    server.stop()
    feed = report.feeds[0]
    print(json.dumps({"wire": wire, "before_kb": before, "peak_kb": peak, "status": feed.status,
                      "error": feed.error, "new": feed.new}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoded-mb", type=int, default=1024, help="decoded size of each bomb (MB)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.decoded_mb, args.db)
        return
    from _common import report

    rows = [("case", "wire bytes", "peak RSS (before refresh) · outcome")]
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([sys.executable, __file__, "--child", case, "--decoded-mb", str(args.decoded_mb),
                                   "--db", str(Path(tmp) / "bench.db")], capture_output=True, text=True,
                                  timeout=600, check=False)
        if done.returncode != 0:
            rows.append((case, "?", f"child failed: {done.stderr.strip().splitlines()[-1:]}"))
            continue
        got = json.loads(done.stdout.strip().splitlines()[-1])
        outcome = got["error"] or f"{got['status']}, {got['new']} new"
        wire = "streamed" if got["wire"] < 0 else f"{got['wire']:,}"
        rows.append((case, wire, f"{got['peak_kb'] / 1024:.0f} MB ({got['before_kb'] / 1024:.0f} MB) · {outcome}"))
    print(f"one refresh per case, bombs decode to {args.decoded_mb} MB; goal: peak < 400 MB")
    report(rows)


if __name__ == "__main__":
    main()
