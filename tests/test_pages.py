"""The page registry, tested without a browser: every contract route is declared once, with a title and
the shell, and the states behind the pages read what the services say."""

from __future__ import annotations

import pytest

from agentoire_app.pages import PAGE_MODULES, all_pages

CONTRACT_ROUTES = {"/", "/news", "/news/[slug]", "/tools", "/tools/[slug]", "/trends"}


def test_every_contract_page_is_declared_once() -> None:
    routes = [spec.route for spec in all_pages()]
    assert len(routes) == len(set(routes))
    assert set(routes) >= CONTRACT_ROUTES
    assert {"/sources", "404"} <= set(routes)


def test_every_page_has_a_title_and_a_module() -> None:
    assert len(PAGE_MODULES) == len(set(PAGE_MODULES))
    for spec in all_pages():
        assert spec.full_title is not None and str(spec.full_title), spec.route
        assert callable(spec.component)


@pytest.mark.parametrize("route", sorted(CONTRACT_ROUTES | {"/sources", "404"}))
def test_every_page_renders_inside_the_shell(route: str) -> None:
    spec = next(s for s in all_pages() if s.route == route)
    rendered = str(spec.component())
    for hook in ("status-bar", "status-connection", "status-tools", "status-added-today", "status-date",
                 "palette-button", "help-dialog"):
        assert f'"{hook}"' in rendered, (route, hook)


def test_slug_comes_from_the_last_path_segment() -> None:
    from agentoire_app.state._format import slug_from_path

    assert slug_from_path("/news/chinas-open-source-bet") == "chinas-open-source-bet"
    assert slug_from_path("/tools/ollama/?ref=x") == "ollama"


def test_dates_read_like_the_seed_page() -> None:
    from datetime import UTC, datetime

    from agentoire_app.models.text import long_date
    from agentoire_app.state._format import short_date

    assert long_date(datetime(2026, 4, 21, 9, tzinfo=UTC)) == "April 21, 2026"
    assert short_date(datetime(2026, 4, 3, tzinfo=UTC)) == "apr 3"


def test_palette_ranks_exact_then_prefix_then_word_start_then_fuzzy_then_description(session) -> None:
    from agentoire_app.models import Category, Tool
    from agentoire_app.services.palette import palette_search

    session.add(Category(slug="other", name="Other"))
    for slug, name, tagline in [("lang", "Lang", ""), ("langchain", "LangChain", ""),
                                ("open-lang", "Open Lang", ""), ("slang", "Slang", ""),
                                ("l-a-n-g", "Leaf And Nice Grid", ""), ("zzz", "Zzz", "speaks lang well")]:
        session.add(Tool(slug=slug, name=name, tagline=tagline, category="other"))
    session.commit()
    hits = [h for h in palette_search("lang", session=session) if h.group == "tools"]
    assert [h.title for h in hits] == ["Lang", "LangChain", "Open Lang", "Slang", "Leaf And Nice Grid", "Zzz"]
    assert [h.rank for h in hits] == [0, 1, 2, 3, 4, 5]


def test_palette_search_escapes_like_wildcards(session) -> None:
    from agentoire_app.models import Category, Tool
    from agentoire_app.services.palette import palette_search

    session.add(Category(slug="other", name="Other"))
    session.add(Tool(slug="a", name="Alpha", category="other"))
    session.commit()
    assert palette_search("%", session=session) == []
    assert palette_search("   ", session=session) == []


def test_news_empty_state_names_each_sources_state_and_reason() -> None:
    from agentoire_app.models import Source
    from agentoire_app.state.news import SourceStateRow, _source_state

    assert _source_state(Source(url="https://a.example/feed", title="A")).state == "not fetched yet"
    failing = _source_state(Source(url="https://b.example/feed", last_status="error", last_error="HTTP 503"))
    assert failing == SourceStateRow(name="b.example", url="https://b.example/feed", state="failing",
                                     reason="the feed answered 503")
    assert _source_state(Source(url="https://c.example/feed", last_status="ok")).state == "ok"
    assert _source_state(Source(url="https://d.example/feed", retired=True)).state == "retired"


def test_the_tool_page_and_trends_carry_their_chart_hooks_and_tables() -> None:
    for route, hooks in (("/tools/[slug]", ("tool-trend", "tool-repo-stats")),
                         ("/trends", ("trends-volume", "trends-new-tools", "trends-rising"))):
        rendered = str(next(s for s in all_pages() if s.route == route).component().render())
        for hook in hooks:
            assert f'"{hook}"' in rendered, (route, hook)
        assert "the numbers as a table" in rendered  # every chart has its text alternative
