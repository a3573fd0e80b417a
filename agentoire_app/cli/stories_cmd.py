"""`agentoire stories list [--json] [--limit N]` and `agentoire stories rebuild [--json]`.

Handlers import the database side lazily for start-up time: `agentoire --help` and a mistyped argument
answer in about 0.15 s instead of 2.5 s (sqlalchemy, the models and the services load only for a command
that runs).
"""

from __future__ import annotations

import argparse

from .errors import UsageError
from .output import print_json, print_table


def register(sub: argparse._SubParsersAction) -> None:
    stories = sub.add_parser("stories", help="stories: each event's coverage across sources")
    commands = stories.add_subparsers(dest="stories_command", metavar="SUBCOMMAND", parser_class=type(stories))
    commands.required = True
    listing = commands.add_parser("list", help="stories, ranked as the front page ranks them")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--limit", default="20", metavar="N", help="at most N stories (default 20)")
    listing.set_defaults(handler=stories_list)
    rebuild = commands.add_parser("rebuild", help="forget every story and group all articles again")
    rebuild.add_argument("--json", action="store_true")
    rebuild.set_defaults(handler=stories_rebuild)


def stories_list(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..models import utcnow
    from ..services.paging import BadQuery, whole_number
    from ..services.stories import ranked_stories, story_public

    try:
        limit = whole_number(args.limit, "--limit", low=1)
    except BadQuery as exc:
        raise UsageError(str(exc)) from exc
    with session_scope() as session:
        top, _papers, _total = ranked_stories(session=session, now=utcnow(), limit=limit)
        rows = [story_public(view) for view in top]
    if args.json:
        print_json(rows)
        return 0
    print_table(["score", "sources", "articles", "last seen", "title"],
                [[r["score"], r["source_count"], r["article_count"], r["last_seen"], r["title"]] for r in rows])
    return 0


def stories_rebuild(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..models import utcnow
    from ..stories.place import rebuild_stories

    with session_scope() as session:
        count = rebuild_stories(session=session, now=utcnow())
    if args.json:
        print_json({"stories": count})
    else:
        print(f"{count} stories")
    return 0
