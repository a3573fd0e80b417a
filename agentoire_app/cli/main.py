"""Entry point: parse, bring the schema up to date, dispatch; bad input → one line on stderr, exit 2.

Each command group lives in its own module and exposes `register(subparsers)`, which adds its parsers
with `set_defaults(handler=...)`. A handler returns the exit status and raises `UsageError` for input
that is wrong (a missing file, a malformed URL); argparse's own complaints are folded to one line too.

The command modules import the database side inside their handlers for start-up time: `agentoire --help`
and a mistyped argument answer in about 0.15 s instead of 2.5 s (sqlalchemy, the models and the services
load only for a command that runs).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..settings import SettingsError
from .errors import UsageError


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus an error on two or more lines; the contract wants one."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from . import catalog_cmd, feeds_cmd, news_cmd, notes_cmd, refresh_cmd, serve_cmd, stories_cmd, tools_cmd

    parser = _OneLineParser(prog="agentoire", description="agentoire: AI tools directory and news desk")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLineParser)
    sub.required = True
    for module in (serve_cmd, feeds_cmd, refresh_cmd, news_cmd, stories_cmd, notes_cmd, tools_cmd, catalog_cmd):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "needs_db", True):
            from ..db import upgrade_schema

            upgrade_schema()
        return int(args.handler(args) or 0)
    except UsageError as exc:
        sys.stderr.write(f"agentoire: {exc}\n")
        return 2
    except SettingsError as exc:
        sys.stderr.write(f"agentoire: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `agentoire news list | head`: the reader left, which is fine
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
