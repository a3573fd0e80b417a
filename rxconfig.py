"""Reflex configuration. The database is ours (agentoire_app.db), not Reflex's; Redis comes from REDIS_URL."""

import os

import reflex as rx

config = rx.Config(
    app_name="agentoire_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Reflex reads Redis only from here or REFLEX_REDIS_URL; the contract's variable is REDIS_URL.
    redis_url=os.environ.get("REDIS_URL") or os.environ.get("REFLEX_REDIS_URL") or None,
    plugins=[rx.plugins.SitemapPlugin(), rx.plugins.RadixThemesPlugin()],
)
