"""Shared fixtures: a fresh database on SQLite and, when `AGENTOIRE_TEST_POSTGRES_URL` is set, on
PostgreSQL too (a throwaway database per test, copied from one migrated once per run, dropped afterwards).

Tests that take `db_url` or `session` run once per database. `.ci/run` sets the PostgreSQL URL, so in CI
nothing is skipped; on a laptop without PostgreSQL those runs skip with the reason.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from feedserver import FeedServer, running_server
from offline import check_apis_closed
from sqlmodel import Session
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

from agentoire_app import db as db_module
from agentoire_app.db import get_engine, normalize_url, upgrade_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = os.environ.get("AGENTOIRE_TEST_POSTGRES_URL", "").strip()
# Search by meaning is off unless a test turns it on (tests/test_meaning.py): the ranking tests specify the
# lexical order, and no test (nor the app a browser test starts) should load a model it does not look at.
os.environ["AGENTOIRE_SEMANTIC"] = "0"
# No test reaches the registries the tool checks read (tests of the checks serve their own): see offline.py.
os.environ.update(check_apis_closed())
os.environ.pop("GITHUB_TOKEN", None)
# Each pytest-xdist worker uses its own Redis database (the given number plus the worker's, below 14: the
# push test keeps 14 and 15 for two sites of its own), so one worker's push signals (whose channel carries
# the database) and Reflex states never reach another's.
XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def _worker_redis(url: str) -> str:
    if not url:
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{(int(number or 0) + XDIST_WORKER) % 14}"


REDIS_URL = _worker_redis(os.environ.get("AGENTOIRE_TEST_REDIS_URL", "").strip())


def _postgres_admin() -> sa.Engine:
    return sa.create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")


def _create_postgres_database(template: str | None = None) -> tuple[str, str]:
    name = f"agentoire_t_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin()
    with admin.connect() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{suffix}'))
    admin.dispose()
    return normalize_url(POSTGRES_URL).rsplit("/", 1)[0] + "/" + name, name


def _drop_postgres_database(url: str, name: str) -> None:
    get_engine(url).dispose()
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Migrate once per run; each test then gets a copy (a file copy, or `CREATE DATABASE … TEMPLATE`).

    Running Alembic per test cost about a second on PostgreSQL; copying a migrated database costs a
    fraction of that, and the migrations themselves are still tested on empty databases (`empty_db_url`).
    """
    templates: dict[str, str] = {}
    sqlite_path = tmp_path_factory.mktemp("template") / "template.db"
    sqlite_template = f"sqlite:///{sqlite_path}"
    upgrade_schema(sqlite_template)
    get_engine(sqlite_template).dispose()
    templates["sqlite"] = str(sqlite_path)
    pg: tuple[str, str] | None = None
    if POSTGRES_URL:
        pg = _create_postgres_database()
        upgrade_schema(pg[0])
        get_engine(pg[0]).dispose()
        templates["postgres"] = pg[1]
    yield templates
    if pg:
        _drop_postgres_database(*pg)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database with no schema at all, also set as `AGENTOIRE_DB_URL`: for migration tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        monkeypatch.setenv("AGENTOIRE_DB_URL", url)
        yield url
        get_engine(url).dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("AGENTOIRE_TEST_POSTGRES_URL is not set")
    url, name = _create_postgres_database()
    monkeypatch.setenv("AGENTOIRE_DB_URL", url)
    try:
        yield url
    finally:
        _drop_postgres_database(url, name)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           migrated_templates: dict[str, str]) -> Iterator[str]:
    """A fresh database with the schema at head and no rows, also set as `AGENTOIRE_DB_URL`."""
    if request.param == "sqlite":
        path = tmp_path / "agentoire.db"
        shutil.copyfile(migrated_templates["sqlite"], path)
        url = f"sqlite:///{path}"
        db_module._upgraded.add(url)
        monkeypatch.setenv("AGENTOIRE_DB_URL", url)
        yield url
        get_engine(url).dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("AGENTOIRE_TEST_POSTGRES_URL is not set")
    url, name = _create_postgres_database(template=migrated_templates["postgres"])
    db_module._upgraded.add(normalize_url(url))
    monkeypatch.setenv("AGENTOIRE_DB_URL", url)
    try:
        yield url
    finally:
        _drop_postgres_database(url, name)


@pytest.fixture
def postgres_url(migrated_templates: dict[str, str]) -> Iterator[str]:
    """A fresh migrated PostgreSQL database only (not set in the environment), for scale-out tests."""
    if not POSTGRES_URL:
        pytest.skip("AGENTOIRE_TEST_POSTGRES_URL is not set")
    url, name = _create_postgres_database(template=migrated_templates["postgres"])
    try:
        yield url
    finally:
        _drop_postgres_database(url, name)


@pytest.fixture
def redis_url() -> str:
    """The test Redis (for push and several workers); skipped only when the environment names none."""
    if not REDIS_URL:
        pytest.skip("AGENTOIRE_TEST_REDIS_URL is not set")
    return REDIS_URL


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 serving feed files (see feedserver.py)."""
    yield from running_server()


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty SQLite database only, for tests about SQLite itself or too slow to run twice."""
    url = f"sqlite:///{tmp_path / 'agentoire.db'}"
    monkeypatch.setenv("AGENTOIRE_DB_URL", url)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """A session on a migrated database (each database kind in turn)."""
    upgrade_schema(db_url)
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        yield s


# The browser tests (marked `browser` there): one folder, so the scheduler, which sees only test ids, and the
# ordering below name them by one rule.
BROWSER_TESTS = "tests/browser/"
BROWSER_GROUP = "browser"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an asyncio loop running in the main thread for
    the whole session, and tests that call `asyncio.run` cannot run after it has started."""
    items.sort(key=lambda item: item.nodeid.startswith(BROWSER_TESTS))


class BrowserWorkerApart(LoadScopeScheduling):
    """How `make test` spreads the suite over pytest-xdist workers: every test is a unit of its own, except
    the browser tests, which are one unit (they share one app server and one built frontend) on a worker of
    their own. It is the longest unit, so it starts first, and its worker takes no test after it (see
    `pytest_collection_modifyitems`); with one worker it is the last unit."""

    def _split_scope(self, nodeid: str) -> str:
        return BROWSER_GROUP if nodeid.startswith(BROWSER_TESTS) else nodeid

    def _assign_work_unit(self, node: WorkerController) -> None:
        if len(self.nodes) == 1 and BROWSER_GROUP in self.workqueue and len(self.workqueue) > 1:
            self.workqueue.move_to_end(BROWSER_GROUP)
        super()._assign_work_unit(node)

    def _reschedule(self, node: WorkerController) -> None:
        if len(self.nodes) == 1 or BROWSER_GROUP not in self.assigned_work.get(node, {}):
            super()._reschedule(node)
        if not self.workqueue:
            for worker, units in self.assigned_work.items():
                if BROWSER_GROUP in units and not worker.shutting_down:
                    worker.shutdown()


@pytest.hookimpl(tryfirst=True)  # instead of pytest-xdist's own
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> BrowserWorkerApart:
    return BrowserWorkerApart(config, log)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per reason with how many tests it skipped, so a run that quietly left PostgreSQL or a
    browser out says so in numbers at the end (`-ra` lists them, but per test location)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        return
    terminalreporter.section(f"{sum(reasons.values())} skipped", sep="-")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{count:5d}  {reason}")
