"""Page numbers and sizes from a URL or a command line: one parser and one cap for api, state and cli.

The API answers a bad value with 400 and a message naming it (`page_params`); a page of the site shows the
first page instead (`page_or_first`), since a hand-edited URL should still show something; the CLI turns
the same `BadQuery` into its one-line usage error. Every reader caps the page at `MAX_PAGE`, so no offset
grows past what the indexes walk cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100


class BadQuery(ValueError):
    """A filter or paging parameter that does not parse; the message names it."""


def whole_number(raw: object, name: str, *, low: int, high: int | None = None) -> int:
    """`raw` as an int in `low…high`; BadQuery naming `name` when it is not a whole number or out of range."""
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise BadQuery(f"{name} must be a whole number, got {raw!r}") from exc
    if value < low or (high is not None and value > high):
        raise BadQuery(f"{name} must be between {low} and {high}" if high is not None
                       else f"{name} must be at least {low}, got {value}")
    return value


def page_params(params: Mapping[str, str], *, default_per_page: int = 50) -> tuple[int, int]:
    """`page` (1…MAX_PAGE) and `per_page` (1…MAX_PAGE_SIZE) from the URL; BadQuery when they do not parse."""
    page = whole_number(params.get("page") or 1, "page", low=1, high=MAX_PAGE)
    per_page = whole_number(params.get("per_page") or default_per_page, "per_page", low=1, high=MAX_PAGE_SIZE)
    return page, per_page


def page_or_first(raw: object) -> int:
    """A site page's `page` parameter: the first page when it does not parse, capped at MAX_PAGE."""
    try:
        return max(1, min(int(str(raw or "1").strip()), MAX_PAGE))
    except ValueError:
        return 1
