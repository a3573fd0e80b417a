"""`agentoire tools list|candidates|check`: the directory as scripts and people read it, the tools found in
the news, and one round of the checks at each tool's source (`cli.tools_check_cmd`).

The JSON objects are exactly the contract's public shape (`services.tools.tool_public`), so a script
reading this and one reading `/api/tools` see the same keys.

Handlers import the database side lazily for start-up time: `agentoire --help` and a mistyped argument
answer in about 0.15 s instead of 2.5 s (sqlalchemy, the models and the services load only for a command
that runs).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from . import tools_check_cmd


def register(sub: argparse._SubParsersAction) -> None:
    tools = sub.add_parser("tools", help="the tool directory")
    commands = tools.add_subparsers(dest="tools_command", metavar="SUBCOMMAND", parser_class=type(tools))
    commands.required = True
    listing = commands.add_parser("list", help="tools, newest first")
    listing.add_argument("--json", action="store_true", help="a JSON list of objects with the contract's keys")
    listing.add_argument("--category", default=None, help="only this category slug")
    listing.add_argument("--limit", type=int, default=None, help="at most N tools")
    listing.set_defaults(handler=tools_list)
    candidates = commands.add_parser("candidates", help="tools found in the news, not yet in the directory")
    candidates.add_argument("--json", action="store_true", help="a JSON list: name, url, kind, first_seen, "
                            "mentions, evidence")
    candidates.add_argument("--scan", action="store_true", help="first scan every stored article again")
    candidates.add_argument("--limit", type=int, default=100, help="at most N candidates (default 100)")
    candidates.set_defaults(handler=tools_candidates)
    tools_check_cmd.register(commands)


def tools_list(args: argparse.Namespace) -> int:
    from ..catalog.taxonomy import CATEGORY_SLUGS
    from ..db import session_scope
    from ..services.tools import list_tools, tool_public
    from .errors import UsageError
    from .output import print_json, print_table

    if args.category is not None and args.category not in CATEGORY_SLUGS:
        raise UsageError(f"unknown category {args.category!r} (one of: {', '.join(sorted(CATEGORY_SLUGS))})")
    if args.limit is not None and args.limit < 0:
        raise UsageError(f"--limit must be 0 or more, got {args.limit}")
    from ..settings import get_settings

    # The URL is passed explicitly: `get_engine()` caches its no-argument call per process.
    with session_scope(get_settings().db_url) as session:
        tools = list_tools(session=session, limit=args.limit, category=args.category)
        rows = [tool_public(tool) for tool in tools]
    if args.json:
        print_json(rows)
        return 0
    print_table(("slug", "name", "category", "pricing", "added_at", "source"),
                ([r["slug"], r["name"], r["category"], r["pricing"], r["added_at"], r["source"]] for r in rows))
    return 0


def tools_candidates(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..discovery.store import discover_in_articles_since
    from ..models import utcnow
    from ..services.candidates import candidate_public, list_candidates
    from ..settings import get_settings
    from .errors import UsageError
    from .output import print_json, print_table

    if args.limit < 0:
        raise UsageError(f"--limit must be 0 or more, got {args.limit}")
    with session_scope(get_settings().db_url) as session:
        if args.scan:
            discover_in_articles_since(datetime(1970, 1, 1, tzinfo=UTC), session=session, now=utcnow())
        rows = [candidate_public(view) for view in list_candidates(session=session, limit=args.limit)]
    if args.json:
        print_json(rows)
        return 0
    print_table(("name", "kind", "mentions", "first_seen", "url"),
                ([r["name"], r["kind"], r["mentions"], r["first_seen"], r["url"]] for r in rows))
    return 0
