"""One page parser and one cap: the API refuses a bad page with a message naming it, a site page shows the
first page instead, and both stop at the same MAX_PAGE."""

from __future__ import annotations

import pytest

from agentoire_app.services.paging import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    BadQuery,
    page_or_first,
    page_params,
    whole_number,
)


def test_page_params_default_to_the_first_page() -> None:
    assert page_params({}) == (1, 50)
    assert page_params({"page": "3", "per_page": "10"}) == (3, 10)


@pytest.mark.parametrize(("params", "named"), [
    ({"page": "x"}, "page must be a whole number"),
    ({"page": "0"}, f"page must be between 1 and {MAX_PAGE}"),
    ({"page": str(MAX_PAGE + 1)}, f"page must be between 1 and {MAX_PAGE}"),
    ({"per_page": str(MAX_PAGE_SIZE + 1)}, f"per_page must be between 1 and {MAX_PAGE_SIZE}"),
])
def test_a_bad_page_parameter_is_refused_by_name(params: dict[str, str], named: str) -> None:
    with pytest.raises(BadQuery, match=named):
        page_params(params)


@pytest.mark.parametrize(("raw", "page"), [
    (None, 1), ("", 1), ("x", 1), ("-4", 1), ("7", 7), (" 7 ", 7), (str(MAX_PAGE * 10), MAX_PAGE),
])
def test_a_site_page_shows_the_first_page_for_what_does_not_parse(raw: str | None, page: int) -> None:
    assert page_or_first(raw) == page


def test_the_site_and_the_api_share_the_cap() -> None:
    assert page_or_first(str(MAX_PAGE)) == page_params({"page": str(MAX_PAGE)})[0] == MAX_PAGE


def test_a_command_limit_names_its_flag() -> None:
    assert whole_number("5", "--limit", low=1) == 5
    with pytest.raises(BadQuery, match="--limit must be a whole number, got 'five'"):
        whole_number("five", "--limit", low=1)
    with pytest.raises(BadQuery, match="--limit must be at least 1, got 0"):
        whole_number("0", "--limit", low=1)
