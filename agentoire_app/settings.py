"""Environment → typed settings, read in one place.

Every knob the contract names (`../shared/CONTRACT.md`, "Configuration") is parsed here so that the app,
the CLI and the tests agree on defaults. Settings are read on demand (not at import) so tests can point
a subprocess or a fixture at another database by setting the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class SettingsError(ValueError):
    """An environment variable that does not parse; the CLI reports it in one line."""


def _int_env(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """What the environment says, with the contract's defaults."""

    db_url: str
    redis_url: str | None
    refresh_seconds: int
    admin_token: str | None
    port: int
    fetch_concurrency: int
    fetch_per_host: int
    max_body_bytes: int
    llm_url: str | None = None
    llm_model: str = ""
    llm_api_key: str | None = None
    llm_concurrency: int = 2
    llm_timeout_seconds: int = 60
    llm_budget: int = 50

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")


def default_db_url() -> str:
    DEFAULT_DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DATA_DIR / 'agentoire.db'}"


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings(
        db_url=os.environ.get("AGENTOIRE_DB_URL", "").strip() or default_db_url(),
        redis_url=os.environ.get("REDIS_URL", "").strip() or None,
        refresh_seconds=_int_env("AGENTOIRE_REFRESH_SECONDS", 900),
        admin_token=os.environ.get("AGENTOIRE_ADMIN_TOKEN") or None,
        port=_int_env("PORT", 3000, minimum=1),
        fetch_concurrency=_int_env("AGENTOIRE_FETCH_CONCURRENCY", 16, minimum=1),
        fetch_per_host=_int_env("AGENTOIRE_FETCH_PER_HOST", 2, minimum=1),
        max_body_bytes=_int_env("AGENTOIRE_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024),
        llm_url=os.environ.get("AGENTOIRE_LLM_URL", "").strip().rstrip("/") or None,
        llm_model=os.environ.get("AGENTOIRE_LLM_MODEL", "").strip(),
        llm_api_key=os.environ.get("AGENTOIRE_LLM_API_KEY", "").strip() or None,
        # Calls at once, seconds per call, and articles per round after a refresh: a local model is slow,
        # and a round that never ends would hold the next refresh's notes back.
        llm_concurrency=_int_env("AGENTOIRE_LLM_CONCURRENCY", 2, minimum=1),
        llm_timeout_seconds=_int_env("AGENTOIRE_LLM_TIMEOUT", 60, minimum=1),
        llm_budget=_int_env("AGENTOIRE_LLM_BUDGET", 50, minimum=0),
    )
