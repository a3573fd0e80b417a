"""Machine-readable routes (JSON API, Atom feeds, health), mounted into Reflex's backend as a Starlette app."""

from .routes import build_api

__all__ = ["build_api"]
