"""`agentoire refresh --once [--all] [--json]`: one refresh, here and now.

Without `--once` the command exits 2 and says why: the periodic refresh lives inside the app (`make run`,
`agentoire serve`), where a database lease keeps it to one process at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from .errors import UsageError
from .output import print_json, print_table

LEASE_WAIT_SECONDS = 120.0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("refresh", help="fetch due feeds once (--all: every feed)")
    parser.add_argument("--once", action="store_true", help="one refresh, then exit (required)")
    parser.add_argument("--all", action="store_true", help="every live source, due or not")
    parser.add_argument("--source", default=None, metavar="URL", help="only this source")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=refresh)


def refresh(args: argparse.Namespace) -> int:
    if not args.once:
        raise UsageError("refresh needs --once: the periodic refresh runs inside the app (agentoire serve), "
                         "every AGENTOIRE_REFRESH_SECONDS")
    from ..ingest.refresh import UnknownSource, refresh_sources
    from ..services.sources import BadSourceUrl, normalize_source_url

    url = None
    if args.source:
        try:
            url = normalize_source_url(args.source)
        except BadSourceUrl as exc:
            raise UsageError(str(exc)) from exc
    try:
        report = asyncio.run(refresh_sources(url=url, all_sources=args.all, lease_wait_seconds=LEASE_WAIT_SECONDS))
    except UnknownSource as exc:
        raise UsageError(str(exc)) from exc
    if report.skipped:
        sys.stderr.write(f"agentoire: {report.skipped}; try again later\n")
        return 1
    if args.json:
        print_json(report.to_json())
        return 0
    print_table(["url", "status", "new", "updated", "error"],
                [[f.url, f.status, f.new, f.updated, f.error] for f in report.feeds])
    print(f"{len(report.feeds)} feeds, {report.new} new, {report.updated} updated in {report.seconds:.1f} s")
    return 0
