"""`agentoire tools check [--once] [--json]`: one round of the tool checks (repository, registries, homepage).

A progress bar on a terminal (rich), plain numbers under `--json` or in a pipe. The round takes the refresh
lease like the app's loop does, so it never runs beside a refresh. SIGTERM or SIGINT stops it between tools
(`signals`): the tools under way are read and stored, the rest stay due, one line on stderr says how many,
and the command exits `EXIT_STOPPED`.

Handlers import the database side lazily for start-up time: `agentoire --help` and a mistyped argument
answer in about 0.15 s instead of 2.5 s (sqlalchemy, the models and the services load only for a command
that runs).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from .signals import EXIT_STOPPED, until_signalled


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check", help="one round of the tool checks (repository, registries, homepage)",
        epilog=f"Exit status: 0 done (or skipped: a refresh holds the lease); {EXIT_STOPPED} stopped early by "
               "SIGTERM or SIGINT (the tools under way were stored, the rest left due for the next run).")
    check.add_argument("--once", action="store_true", help="one round, then exit (the only mode for now)")
    check.add_argument("--json", action="store_true", help='print {"checked", "not_modified", "failed", '
                       '"deferred", "skipped", "stopped", "left"}')
    check.set_defaults(handler=tools_check)


def tools_check(args: argparse.Namespace) -> int:
    from ..desk.tool_checks import check_tools_under_lease
    from ..ingest.stop import StopRequest
    from ..settings import get_settings
    from .output import print_json

    settings = get_settings()
    if args.json or not sys.stderr.isatty():
        report = asyncio.run(until_signalled(check_tools_under_lease, StopRequest(), db_url=settings.db_url,
                                             apis=settings.check_apis))
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("checking tools", total=None)
            report = asyncio.run(until_signalled(
                check_tools_under_lease, StopRequest(), db_url=settings.db_url, apis=settings.check_apis,
                progress=lambda done, total: bar.update(task, completed=done, total=total)))
    if args.json:
        print_json(report.to_json())
    elif report.skipped:
        print(f"skipped: {report.skipped}")
    else:
        print(f"checked {report.checked}, unchanged {report.not_modified}, failed {report.failed}, "
              f"left for later {report.deferred}")
    if report.stopped:
        sys.stderr.write(f"agentoire: tool checks stopped early by a signal: {report.left} left for the next run\n")
        return EXIT_STOPPED
    return 0
