"""First-run and every-run preparation shared by `agentoire serve` and the app's start-up.

Bring the schema to head, load the shipped tool catalog (idempotent: upsert by slug) and, on first run
only, the default news sources. Safe to run from several processes at once.
"""

from __future__ import annotations

from .catalog.loader import load_default_catalog
from .db import session_scope, upgrade_schema
from .ingest.sources import load_default_sources


def prepare_database(url: str | None = None) -> dict[str, int]:
    """Migrate, load the catalog, seed default sources; returns what changed, for the log line."""
    upgrade_schema(url)
    with session_scope(url) as session:
        catalog = load_default_catalog(session=session)
    with session_scope(url) as session:
        sources_added = load_default_sources(session=session)
    return {**catalog, "sources_added": sources_added}
