"""Environment → typed settings, read in one place.

Every knob the contract names (its "Configuration" table) is parsed here so that the app,
the CLI and the tests agree on defaults. Settings are read on demand (not at import) so tests can point
a subprocess or a fixture at another database by setting the environment.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# The site's name in page titles and link previews.
SITE_NAME = "agentoire"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
# Shorter tokens can be guessed through the sign-in form faster than the attempt limit slows a guesser down.
ADMIN_TOKEN_MIN_LENGTH = 24

ProxyNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def _base_url_env(port: int) -> str:
    """`AGENTOIRE_BASE_URL` without its trailing slash; unset, the address `make run` serves on.

    Absolute links in Atom, OPML and the sitemap are built from this, never from a request's Host header:
    those documents are cached, and a forged Host would otherwise be served to every later reader.
    """
    raw = os.environ.get("AGENTOIRE_BASE_URL", "").strip()
    if not raw:
        return f"http://localhost:{port}"
    try:
        parts = urlsplit(raw)
        _ = parts.port
    except ValueError as exc:
        raise SettingsError(f"AGENTOIRE_BASE_URL is not a valid URL: {raw!r}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(f"AGENTOIRE_BASE_URL must look like https://agentoire.example, got {raw!r}")
    return raw.rstrip("/")


def _trusted_proxies_env() -> tuple[ProxyNetwork, ...]:
    """`AGENTOIRE_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges whose X-Forwarded-For we believe."""
    raw = os.environ.get("AGENTOIRE_TRUSTED_PROXIES", "")
    networks: list[ProxyNetwork] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise SettingsError(f"AGENTOIRE_TRUSTED_PROXIES: {item!r} is not an IP address or CIDR range") from exc
    return tuple(networks)


def semantic_search_on() -> bool:
    """`AGENTOIRE_SEMANTIC`: `0` (or `off`, `false`, `no`) keeps search lexical and never loads the model.

    Read on each call (a dictionary lookup), so a bench or a test can compare both in one process."""
    return os.environ.get("AGENTOIRE_SEMANTIC", "").strip().lower() not in ("0", "off", "false", "no")


def admin_token_problem(token: str | None) -> str | None:
    """Why `token` cannot turn moderation on, or None when it can (or is simply unset)."""
    if token and len(token) < ADMIN_TOKEN_MIN_LENGTH:
        return (f"AGENTOIRE_ADMIN_TOKEN is too short ({len(token)} characters, at least "
                f"{ADMIN_TOKEN_MIN_LENGTH} needed): moderation stays off")
    return None


@dataclass(frozen=True)
class CheckApis:
    """Where the tool checks read each tool's public facts; tests point these at loopback servers."""

    github: str = "https://api.github.com"
    pypi: str = "https://pypi.org"
    npm: str = "https://registry.npmjs.org"
    npm_downloads: str = "https://api.npmjs.org"
    huggingface: str = "https://huggingface.co"
    github_token: str | None = None


def _api_url_env(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an http(s) URL, got {raw!r}")
    return raw.rstrip("/")


def check_apis_env() -> CheckApis:
    """`AGENTOIRE_GITHUB_API_URL`, `AGENTOIRE_PYPI_URL`, `AGENTOIRE_NPM_URL` (and its downloads API,
    `AGENTOIRE_NPM_DOWNLOADS_URL`), `AGENTOIRE_HF_API_URL`, and the optional `GITHUB_TOKEN`."""
    d = CheckApis()
    return CheckApis(
        github=_api_url_env("AGENTOIRE_GITHUB_API_URL", d.github),
        pypi=_api_url_env("AGENTOIRE_PYPI_URL", d.pypi),
        npm=_api_url_env("AGENTOIRE_NPM_URL", d.npm),
        npm_downloads=_api_url_env("AGENTOIRE_NPM_DOWNLOADS_URL", d.npm_downloads),
        huggingface=_api_url_env("AGENTOIRE_HF_API_URL", d.huggingface),
        github_token=os.environ.get("GITHUB_TOKEN", "").strip() or None,
    )


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
    base_url: str
    trusted_proxies: tuple[ProxyNetwork, ...] = ()
    check_apis: CheckApis = field(default_factory=lambda: CheckApis())
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
    port = _int_env("PORT", 3000, minimum=1)
    return Settings(
        db_url=os.environ.get("AGENTOIRE_DB_URL", "").strip() or default_db_url(),
        redis_url=os.environ.get("REDIS_URL", "").strip() or None,
        refresh_seconds=_int_env("AGENTOIRE_REFRESH_SECONDS", 900),
        admin_token=os.environ.get("AGENTOIRE_ADMIN_TOKEN") or None,
        port=port,
        fetch_concurrency=_int_env("AGENTOIRE_FETCH_CONCURRENCY", 16, minimum=1),
        fetch_per_host=_int_env("AGENTOIRE_FETCH_PER_HOST", 2, minimum=1),
        max_body_bytes=_int_env("AGENTOIRE_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024),
        base_url=_base_url_env(port),
        trusted_proxies=_trusted_proxies_env(),
        check_apis=check_apis_env(),
        llm_url=os.environ.get("AGENTOIRE_LLM_URL", "").strip().rstrip("/") or None,
        llm_model=os.environ.get("AGENTOIRE_LLM_MODEL", "").strip(),
        llm_api_key=os.environ.get("AGENTOIRE_LLM_API_KEY", "").strip() or None,
        # Calls at once, seconds per call, and articles per round after a refresh: a local model is slow,
        # and a round that never ends would hold the next refresh's notes back.
        llm_concurrency=_int_env("AGENTOIRE_LLM_CONCURRENCY", 2, minimum=1),
        llm_timeout_seconds=_int_env("AGENTOIRE_LLM_TIMEOUT", 60, minimum=1),
        llm_budget=_int_env("AGENTOIRE_LLM_BUDGET", 50, minimum=0),
    )
