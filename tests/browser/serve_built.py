"""`agentoire serve` without the frontend build: the app on a port whose frontend `.web` already holds.

`agentoire serve` runs `reflex run --env prod`, which always deletes the built frontend and builds it again
(`npm run export`, 15-25 s on two cores), even when nothing changed. The browser tests that put another app
in place of the session's (another database, Redis and several workers) and then put the session's back
need no new frontend: the build differs only by the port it carries (its websocket URL), and they keep the
port. So this does what `reflex run --env prod` does after its build: the same database preparation as
`agentoire serve`, the same environment, then Reflex's production backend (Granian, as many workers as
Reflex chooses) serving the compiled frontend from `.web`, with nothing compiled again.

    python tests/browser/serve_built.py PORT   (from the work tree, after an `agentoire serve` on PORT)
"""

from __future__ import annotations

import os
import sys

from reflex.utils import exec as reflex_exec
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment

from agentoire_app.bootstrap import prepare_database
from agentoire_app.cli.serve_cmd import reflex_environment
from agentoire_app.settings import PROJECT_ROOT


def serve_built(port: int) -> None:
    summary = prepare_database()
    print(f"agentoire: database ready ({summary}); serving the frontend built for port {port}", flush=True)
    os.environ.update(reflex_environment(port))
    # What `reflex run --env prod --single-port` sets around its build; after it, nothing compiles again.
    os.environ.update({"REFLEX_FRONTEND_PORT": str(port), "REFLEX_BACKEND_PORT": str(port)})
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    os.chdir(PROJECT_ROOT)
    config = get_config()
    reflex_exec.run_backend_prod(config.backend_host, port, config.loglevel.subprocess_level(),
                                 mount_frontend_compiled_app=True)


if __name__ == "__main__":
    serve_built(int(sys.argv[1]))
