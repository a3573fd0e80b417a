"""`agentoire refresh --once [--all] [--json]`: one refresh, here and now.

Without `--once` the command exits 2 and says why: the periodic refresh lives inside the app (`make run`,
`agentoire serve`), where a database lease keeps it to one process at a time.

When another live process holds the lease the command refuses at once with one line saying who and when
the lease expires, and exits 1: nothing was wrong with the input (that is 2), the work just is not ours
now. `--wait [SECONDS]` waits for the lease instead, bounded. A holder that died on this machine (kill -9)
does not block: the lease is taken over at once (see `ingest.lease`).

SIGTERM or SIGINT (Ctrl-C) stops the refresh between sources: the sources under way are fetched and
stored, the others are left untouched, the lease is released, one line on stderr says how many sources
were left, and the command exits `EXIT_STOPPED` (75, sysexits' EX_TEMPFAIL: cron may simply run it again).
A second signal is not caught (`signals`): it ends the process at once, as before (each source's store is
one transaction, so even that leaves nothing half-written; the lease is then taken over, see above).

The ingest and database imports sit inside `refresh` for start-up time, not to dodge a cycle: at module
level they would load SQLAlchemy, httpx and feedparser for every `agentoire` command, `--help` included
(measured: `python -X importtime -m agentoire_app.cli --help`, about 0.5 s of imports become 4 s).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from .errors import UsageError
from .output import print_json, print_table
from .signals import EXIT_STOPPED, until_signalled

MAX_WAIT_SECONDS = 3600.0


def _wait_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--wait takes seconds, not {text!r}") from None
    if not 0 <= value <= MAX_WAIT_SECONDS:
        raise argparse.ArgumentTypeError(f"--wait takes 0 to {MAX_WAIT_SECONDS:.0f} seconds, not {text}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "refresh", help="fetch due feeds once (--all: every feed)",
        epilog=f"Exit status: 0 done; 1 another process holds the refresh lease; 2 bad input; {EXIT_STOPPED} "
               "stopped early by SIGTERM or SIGINT (the sources under way were stored, the rest left for the "
               "next run, the lease released).")
    parser.add_argument("--once", action="store_true", help="one refresh, then exit (required)")
    parser.add_argument("--all", action="store_true", help="every live source, due or not")
    parser.add_argument("--source", default=None, metavar="URL", help="only this source")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--wait", nargs="?", type=_wait_seconds, const=None, default=0.0, metavar="SECONDS",
                        help="when another process holds the lease, wait for it (default: its TTL and a bit)")
    parser.set_defaults(handler=refresh)


def refresh(args: argparse.Namespace) -> int:
    if not args.once:
        raise UsageError("refresh needs --once: the periodic refresh runs inside the app (agentoire serve), "
                         "every AGENTOIRE_REFRESH_SECONDS")
    from ..desk.rounds import news_round
    from ..ingest.lease import LEASE_TTL_SECONDS
    from ..ingest.refresh import UnknownSource
    from ..ingest.stop import StopRequest
    from ..services.sources import BadSourceUrl, normalize_source_url

    url = None
    if args.source:
        try:
            url = normalize_source_url(args.source)
        except BadSourceUrl as exc:
            raise UsageError(str(exc)) from exc
    try:
        wait = LEASE_TTL_SECONDS + 10.0 if args.wait is None else args.wait
        report = asyncio.run(until_signalled(news_round, StopRequest(), url=url, all_sources=args.all,
                                             lease_wait_seconds=wait))
    except UnknownSource as exc:
        raise UsageError(str(exc)) from exc
    if report.skipped:
        if report.stopped:
            sys.stderr.write("agentoire: refresh stopped by a signal before it began\n")
            return EXIT_STOPPED
        hint = "try again later" if args.wait else "or use --wait to wait for it"
        sys.stderr.write(f"agentoire: {report.skipped}; {hint}\n")
        return 1
    if args.json:
        print_json(report.to_json())
    else:
        print_table(["url", "status", "new", "updated", "error"],
                    [[f.url, f.status, f.new, f.updated, f.error] for f in report.feeds])
        print(f"{len(report.feeds)} feeds, {report.new} new, {report.updated} updated in {report.seconds:.1f} s")
    if report.stopped:
        sys.stderr.write(f"agentoire: refresh stopped early by a signal: {len(report.feeds)} sources stored, "
                         f"{report.left} left for the next run\n")
        return EXIT_STOPPED
    return 0

