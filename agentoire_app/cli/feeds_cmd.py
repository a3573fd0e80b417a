"""`agentoire feeds add|list|import|export`: the news desk's sources.

Each command imports the database and ingest modules it uses inside its function, for start-up time
(not to dodge a cycle): every `agentoire` command, `--help` included, registers these parsers, and at
module level the imports would load SQLAlchemy, httpx and feedparser for all of them (measured with
`python -X importtime -m agentoire_app.cli --help`: about 0.5 s of imports become 4 s).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .output import print_json, print_table

if TYPE_CHECKING:
    from ..ingest.discover import ResolvedFeed


def register(sub: argparse._SubParsersAction) -> None:
    feeds = sub.add_parser("feeds", help="news sources: add, list, import, export")
    commands = feeds.add_subparsers(dest="feeds_command", metavar="SUBCOMMAND", parser_class=type(feeds))
    commands.required = True

    add = commands.add_parser("add", help="add a feed (a site URL discovers its feed); same URL twice is one source")
    add.add_argument("url")
    add.add_argument("--name", default="", help="display name (default: the feed's title)")
    add.add_argument("--no-check", action="store_true", help="add without fetching (no discovery, no validation)")
    add.set_defaults(handler=feeds_add)

    listing = commands.add_parser("list", help="sources with last status, error count and text, next fetch")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=feeds_list)

    imp = commands.add_parser("import", help="add the feeds of an OPML file")
    imp.add_argument("file")
    imp.set_defaults(handler=feeds_import)

    exp = commands.add_parser("export", help="every source as OPML on stdout")
    exp.set_defaults(handler=feeds_export)


def feeds_add(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..ingest.discover import DiscoveryError, resolve_feed
    from ..ingest.fetch import Fetcher
    from ..services.sources import BadSourceUrl, add_source, get_source, normalize_source_url

    try:
        url = normalize_source_url(args.url)
    except BadSourceUrl as exc:
        raise UsageError(str(exc)) from exc
    with session_scope() as session:
        if get_source(url, session=session) is not None:
            print(f"already a source: {url}")
            return 0
    title, site_url = args.name, ""
    if not args.no_check:
        async def resolve() -> ResolvedFeed:
            async with Fetcher(concurrency=4, total_timeout=30.0) as fetcher:
                return await resolve_feed(url, fetcher=fetcher)

        try:
            resolved = asyncio.run(resolve())
        except DiscoveryError as exc:
            raise UsageError(str(exc)) from exc
        if resolved.discovered:
            print(f"discovered feed {resolved.url} on {url}")
        url = normalize_source_url(resolved.url)
        title = args.name or resolved.title
        site_url = resolved.site_url
    with session_scope() as session:
        source, created = add_source(url, session=session, title=title, site_url=site_url)
        print(f"{'added' if created else 'already a source'}: {source.url}" + (f" ({source.title})" if source.title else ""))
    return 0


def feeds_list(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..services.sources import article_counts, list_sources, source_public

    with session_scope() as session:
        counts = article_counts(session=session)
        rows = [source_public(s, articles=counts.get(s.id or 0, 0)) for s in list_sources(session=session)]
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["url", "status", "errors", "next fetch", "articles", "error"],
        [[r["url"], r["last_status"], r["error_count"], r["next_fetch_at"], r["articles"], r["last_error"]]
         for r in rows],
    )
    return 0


def feeds_import(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..ingest.sources import BadOpml, import_opml

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        with session_scope() as session:
            added, skipped = import_opml(data, session=session)
    except BadOpml as exc:
        raise UsageError(f"{path}: {exc}") from exc
    print(f"imported {path}: {added} added, {skipped} already present or unusable")
    return 0


def feeds_export(args: argparse.Namespace) -> int:
    from ..db import session_scope
    from ..models import utcnow
    from ..services.feeds_out import sources_opml
    from ..services.sources import list_sources

    with session_scope() as session:
        sys.stdout.write(sources_opml(list_sources(session=session), now=utcnow()))
    return 0
