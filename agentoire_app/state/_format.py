"""Formatting shared by the states: dates as the seed page shows them, plain-text excerpts."""

from __future__ import annotations

from datetime import date

from ..ingest.clean import html_to_text


def short_date(value: date | None) -> str:
    """`apr 21` (list rows; a datetime is a date too)."""
    return f"{value:%b} {value.day}".lower() if value else ""


def plain_text(html: str, limit: int = 240) -> str:
    """The words of a stored (already sanitized) HTML fragment, cut to `limit` characters for a list row."""
    text = html_to_text(html)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def slug_from_path(path: str) -> str:
    """The last path segment: `/news/some-story` → `some-story` (query and trailing slash dropped)."""
    return path.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
