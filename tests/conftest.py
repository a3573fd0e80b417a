"""Shared fixtures: a fresh database on SQLite and, when `AGENTOIRE_TEST_POSTGRES_URL` is set, on
PostgreSQL too (a throwaway database per test, dropped afterwards).

Tests that take `db_url` or `session` run once per database. `.ci/run` sets the PostgreSQL URL, so in CI
nothing is skipped; on a laptop without PostgreSQL those runs skip with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from agentoire_app.db import get_engine, normalize_url, upgrade_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = os.environ.get("AGENTOIRE_TEST_POSTGRES_URL", "").strip()
REDIS_URL = os.environ.get("AGENTOIRE_TEST_REDIS_URL", "").strip()


def _fresh_postgres_database() -> tuple[str, str]:
    base = normalize_url(POSTGRES_URL)
    name = f"agentoire_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name, name


def _drop_postgres_database(url: str, name: str) -> None:
    get_engine(url).dispose()
    admin = sa.create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database (schema not yet created), also set as `AGENTOIRE_DB_URL`."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'agentoire.db'}"
        monkeypatch.setenv("AGENTOIRE_DB_URL", url)
        yield url
        get_engine(url).dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("AGENTOIRE_TEST_POSTGRES_URL is not set")
    url, name = _fresh_postgres_database()
    monkeypatch.setenv("AGENTOIRE_DB_URL", url)
    try:
        yield url
    finally:
        _drop_postgres_database(url, name)


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
