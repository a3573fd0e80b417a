"""The browser-test harness: the real app, started the way `make run` starts it, driven by Debian's Chromium.

* `app_server` (session): a temporary SQLite database, migrated and seeded with fixture stories (the real
  catalog loads through `agentoire serve`'s own bootstrap), then `.venv/bin/agentoire serve --port <free>`
  in its own process group with `AGENTOIRE_REFRESH_SECONDS=0` (no internet). `stop()`/`start()` let a
  test take the server away under an open page. Only one Reflex build may use `.web` at a time, so the
  session holds an advisory lock (a file in the temp directory named after the work tree) while its server
  lives (other suites that reuse these fixtures queue behind it instead of corrupting each other's build).
* `server_in_place_of(app_server, ...)`: another app (its own database, Redis, workers) on the session
  server's port for a while, then the session's server back. Neither start builds the frontend again
  (`serve_built.py`): the session's build fits any app on its port.
* `browser` (session) and `page` (per test): Playwright's sync API on /usr/bin/chromium (never
  `playwright install`). Every page error and console error fails the test that caused it, unless the
  test declares it expected with `page_errors.allow(pattern)`.
* `open_page(path)` goes to a path and waits for the websocket (`status-connection` = `live`).

axe-core comes from the npm registry at a pinned version, installed once into `tests/browser/.axe/` with
the venv's npm (see `axe_source`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from offline import internet_closed

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE_VERSION = "4.10.3"
AXE_DIR = Path(__file__).resolve().parent / ".axe"
START_TIMEOUT = 300.0
SERVE_BUILT = Path(__file__).resolve().parent / "serve_built.py"

# The fixture stories every browser test can rely on (newest first).
FIXTURE_SOURCE = {"url": "https://fixtures.agentoire.test/feed.xml", "title": "MIT Tech Review",
                  "site_url": "https://www.technologyreview.com"}
FIXTURE_ARTICLE = {
    "slug": "chinas-open-source-bet",
    "title": "China's open-source bet",
    "category": "product",
    "summary": "Chinese labs are releasing open-weight models faster than anyone expected.",
    "content_html": "<p>What it means for AI practitioners: strong open models to run and fine-tune locally.</p>"
                    "<p>Expect more choice, and more evaluation work before adopting any of them.</p>",
    "url": "https://www.technologyreview.com/2026/04/21/1115000/china-open-source-bet/",
    "published_at": datetime(2026, 4, 21, 9, 30, tzinfo=UTC),
}
OLDER_ARTICLE = {"slug": "an-older-story", "title": "An older story about agents", "category": "research",
                 "summary": "Older.", "url": "https://www.technologyreview.com/older",
                 "published_at": datetime(2026, 4, 20, 8, 0, tzinfo=UTC)}
NEWER_ARTICLE = {"slug": "a-newer-story", "title": "A newer story about models", "category": "policy",
                 "summary": "Newer.", "url": "https://www.technologyreview.com/newer",
                 "published_at": datetime(2026, 4, 22, 8, 0, tzinfo=UTC)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 3.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def seed_database(db_url: str) -> None:
    """Schema at head plus the fixture source and stories; the catalog is left to `agentoire serve`."""
    from agentoire_app.db import session_scope, upgrade_schema
    from agentoire_app.models import Article, Source

    upgrade_schema(db_url)
    with session_scope(db_url) as session:
        source = Source(**FIXTURE_SOURCE, last_status="ok", next_fetch_at=datetime.now(UTC) + timedelta(days=30))
        session.add(source)
        session.flush()
        for i, story in enumerate((OLDER_ARTICLE, FIXTURE_ARTICLE, NEWER_ARTICLE)):
            session.add(Article(source_id=source.id, guid=f"fixture-{i}", **story))  # type: ignore[arg-type]


@dataclass
class AppServer:
    """`agentoire serve` on a free port, as `make run` runs it."""

    db_url: str
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    reused: bool = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT, *, build: bool = True) -> None:
        """`agentoire serve`; without `build`, the same app serving the frontend already built for this port
        (`serve_built.py`), which saves the build `reflex run --env prod` makes on every start."""
        command = ([str(VENV_BIN / "agentoire"), "serve", "--port", str(self.port)] if build
                   else [sys.executable, str(SERVE_BUILT), str(self.port)])
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"agentoire serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if _get(self.base_url + "/api/health")[0] == 200 and _get(self.base_url + "/")[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"agentoire serve did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # The port must be free before a restart binds it again.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    break
            time.sleep(0.2)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture(scope="session")
def build_lock() -> Iterator[None]:
    """One Reflex build at a time in this work tree (`.web` is shared)."""
    import hashlib
    import tempfile

    name = "agentoire-web-" + hashlib.sha1(str(REPO_ROOT).encode()).hexdigest()[:12] + ".lock"
    with (Path(tempfile.gettempdir()) / name).open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, build_lock: None) -> Iterator[AppServer]:
    """`AGENTOIRE_BROWSER_PORT` + `AGENTOIRE_BROWSER_DB_URL` reuse a server you started yourself (on a
    database seeded with `seed_database`) while iterating; tests that stop the server then skip."""
    reuse_port = os.environ.get("AGENTOIRE_BROWSER_PORT")
    if reuse_port:
        yield AppServer(db_url=os.environ["AGENTOIRE_BROWSER_DB_URL"], port=int(reuse_port),
                        log_path=Path(os.devnull), reused=True)
        return
    workdir = tmp_path_factory.mktemp("app")
    db_url = f"sqlite:///{workdir / 'agentoire.db'}"
    seed_database(db_url)
    env = dict(os.environ)
    env.update({"AGENTOIRE_DB_URL": db_url, "AGENTOIRE_REFRESH_SECONDS": "0",
                "PATH": str(VENV_BIN) + os.pathsep + env.get("PATH", "")})
    env.pop("REDIS_URL", None)
    server = AppServer(db_url=db_url, port=free_port(), log_path=workdir / "serve.log", env=env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def server_in_place_of(app_server: AppServer, *, db_url: str, log_path: Path,
                       env: Mapping[str, str] | None = None) -> Iterator[AppServer]:
    """Another app on `db_url` (and `env` over the session's environment) in place of the session's server
    while the block runs, then the session's server back, as it was.

    The built frontend carries its server's port (the websocket URL), so the replacement takes the same
    port and both starts reuse the session's build instead of making their own (`AppServer.start`).
    Its refresh loop may run, with every address off this machine closed (`offline.internet_closed`).
    """
    if app_server.reused:
        pytest.skip("the session reuses a server started by hand; this test must stop and restart it")
    server = AppServer(db_url=db_url, port=app_server.port, log_path=log_path,
                       env={**app_server.env, **internet_closed(), "AGENTOIRE_DB_URL": db_url, **(env or {})})
    app_server.stop()
    try:
        server.start(build=False)
        yield server
    finally:
        server.stop()
        app_server.start(build=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageErrors:
    """Page errors and console errors seen by one test; the test fails on any it did not allow."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.seen if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def context_options() -> dict[str, object]:
    """Override in a test module (or parametrize) for another viewport, colour scheme, …"""
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(browser, context_options: dict[str, object], page_errors: PageErrors) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(**context_options)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    tab.on("pageerror", lambda exc: page_errors.seen.append(f"pageerror: {exc}"))
    tab.on("console", lambda msg: msg.type == "error" and page_errors.seen.append(f"console: {msg.text}"))
    yield tab
    context.close()
    unexpected = page_errors.unexpected()
    assert not unexpected, "JavaScript errors on the page:\n" + "\n".join(unexpected)


def wait_live(tab, timeout: float = 20000) -> None:  # type: ignore[no-untyped-def]
    tab.wait_for_function(
        "document.querySelector('[data-testid=status-connection]')?.textContent === 'live'", timeout=timeout)


@pytest.fixture
def open_page(page, app_server: AppServer) -> Callable[[str], object]:  # type: ignore[no-untyped-def]
    def go(path: str):  # type: ignore[no-untyped-def]
        page.goto(app_server.base_url + path)
        wait_live(page)
        return page

    return go


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser bundle, from the npm registry (pinned), cached under tests/browser/.axe/."""
    bundle = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not bundle.exists():
        AXE_DIR.mkdir(exist_ok=True)
        env = dict(os.environ, PATH=str(VENV_BIN) + os.pathsep + os.environ.get("PATH", ""))
        subprocess.run([str(VENV_BIN / "npm"), "install", "--no-audit", "--no-fund", "--no-save",
                        "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
                       check=True, env=env, capture_output=True, timeout=300)
    return bundle.read_text(encoding="utf-8")
