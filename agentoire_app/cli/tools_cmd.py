"""`agentoire tools list [--json]`: the directory as scripts and people read it.

The JSON objects are exactly the contract's public shape (`services.tools.tool_public`), so a script
reading this and one reading `/api/tools` see the same keys.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    tools = sub.add_parser("tools", help="the tool directory")
    commands = tools.add_subparsers(dest="tools_command", metavar="SUBCOMMAND", parser_class=type(tools))
    commands.required = True
    listing = commands.add_parser("list", help="tools, newest first")
    listing.add_argument("--json", action="store_true", help="a JSON list of objects with the contract's keys")
    listing.add_argument("--category", default=None, help="only this category slug")
    listing.add_argument("--limit", type=int, default=None, help="at most N tools")
    listing.set_defaults(handler=tools_list)


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
