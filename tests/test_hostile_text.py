"""No text from a feed, a page, a file or a user can freeze the process: every rule that reads it is linear.

Regression tests on crafted inputs (a unit repeated to 50-200 KB, see `tests/hostile.py`), each under a
guard that fails rather than hangs; the property-based tests are in `test_hostile_properties.py`.
"""

from __future__ import annotations

import contextlib

import pytest
from directory_seed import categories, tool
from hostile import MARKUP_UNITS, finishes_within, repeated
from sqlmodel import Session

from agentoire_app.ingest.categorize import categorize
from agentoire_app.ingest.clean import clean_html, html_to_text, text_to_html
from agentoire_app.ingest.discover import find_feed_links
from agentoire_app.ingest.mentions import tokenize
from agentoire_app.ingest.parse import HtmlPage, NotAFeed, looks_like_html, parse_feed
from agentoire_app.ingest.sources import BadOpml, parse_opml
from agentoire_app.services.name_rank import letters_in_order, rank_name
from agentoire_app.services.palette import palette_search
from agentoire_app.services.search import MAX_TERMS, fts5_query, query_terms, tsquery
from agentoire_app.state._format import plain_text

UNITS = pytest.mark.parametrize("unit", list(MARKUP_UNITS.values()), ids=list(MARKUP_UNITS))
RSS_HEAD = "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>x</title><description>"


def test_a_body_of_comment_markup_is_refused_as_not_a_feed_without_freezing() -> None:
    body = repeated("<!---->", 100_000).encode()
    with finishes_within(what="parse_feed on 100 KB of empty comments"), pytest.raises(NotAFeed) as refused:
        parse_feed(body, url="https://hostile.example/feed")
    assert not isinstance(refused.value, HtmlPage)


def test_comments_before_the_html_tag_still_mark_an_html_page() -> None:
    page = b"\n<!-- generated -->\n<!-- by a CMS -- with dashes -->\n<!DOCTYPE  html>\n<html><body>hi</body></html>"
    assert looks_like_html(page)
    assert looks_like_html(b"  <!----><HEAD><title>x</title>")
    assert not looks_like_html(b"<!-- unclosed <html>")
    assert not looks_like_html(b"<!doctypehtml>")
    assert not looks_like_html(b"<!---->" * 400 + b"<html>")  # past the sniffed head: not a page by its start
    with pytest.raises(HtmlPage):
        parse_feed(page, url="https://site.example/")


@UNITS
def test_parse_feed_finishes_on_repeated_markup(unit: str) -> None:
    for body in (repeated(unit, 60_000), RSS_HEAD + repeated(unit, 60_000) + "</description></item></channel></rss>"):
        with finishes_within(what=f"parse_feed on {unit!r} × n"), contextlib.suppress(NotAFeed):
            parse_feed(body.encode(), url="https://hostile.example/feed")


@UNITS
def test_feed_discovery_reads_any_page_in_one_pass(unit: str) -> None:
    with finishes_within(what=f"find_feed_links on {unit!r} × n"):
        find_feed_links(repeated(unit, 200_000), base_url="https://site.example/")


def test_feed_discovery_still_finds_announcements_after_hostile_markup() -> None:
    page = ("<html><head><base href='/blog/'><script>var s = '<link rel=alternate type=application/rss+xml "
            "href=/trap>';</script><!-- <link rel=alternate type=application/atom+xml href=/commented> -->"
            + "<b><i>" * 20_000
            + "<link rel='alternate' type='application/rss+xml; charset=utf-8' href='feed.xml?a=1&amp;b=2'>"
            + '<a rel="alternate nofollow" type="application/atom+xml" href="https://other.example/atom">a</a>'
            + '<link rel="alternate" type="application/rss+xml" href="feed.xml?a=1&amp;b=2">')
    with finishes_within(what="find_feed_links"):
        found = find_feed_links(page, base_url="https://site.example/")
    assert found == ["https://site.example/blog/feed.xml?a=1&b=2", "https://other.example/atom"]


@UNITS
def test_cleaning_and_text_extraction_finish_on_repeated_markup(unit: str) -> None:
    text = repeated(unit, 200_000)
    with finishes_within(what=f"clean/html_to_text/text_to_html/plain_text on {unit!r} × n"):
        assert "<script" not in clean_html(text, base_url="https://hostile.example/").lower()
        html_to_text(text)
        text_to_html(text)
        plain_text(text)


def test_a_run_of_open_brackets_becomes_plain_text_in_one_pass() -> None:
    with finishes_within(what="plain_text on 200 KB of '<'"):
        assert len(plain_text("<" * 200_000 + "x", limit=10)) <= 10  # no ">": every "<" once scanned to the end
    assert plain_text("<p>a</p><p>b <a href='/x'>c</a></p>") == "a b c"


@UNITS
def test_categories_and_mentions_finish_on_repeated_markup(unit: str) -> None:
    text = repeated(unit, 200_000)
    with finishes_within(what=f"categorize/tokenize on {unit!r} × n"):
        categorize(text, text)
        tokenize(text)
        tokenize("a" + "." * 200_000 + "b" + "-" * 200_000)


def test_deeply_nested_opml_is_read_in_one_pass() -> None:
    data = ('<opml version="2.0"><body>' + '<outline text="folder">' * 20_000
            + '<outline text="Feed" xmlUrl="https://a.example/feed"/>' + "</outline>" * 20_000
            + "</body></opml>").encode()
    with finishes_within(what="parse_opml on 20,000 nested folders"):
        assert parse_opml(data) == [("https://a.example/feed", "Feed", "")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_entity_declaration_is_refused_wherever_it_stands(encoding: str) -> None:
    padding = "<!--" + " " * 8_000 + "-->"  # past the first KB, where a byte search would have looked
    laughs = '<!ENTITY a "haha">' + "".join(f'<!ENTITY a{i} "{"&a;" * 10}">' for i in range(3))
    data = (f"<!DOCTYPE opml [{padding}{laughs}]><opml><body>"
            '<outline text="&a2;" xmlUrl="https://a.example/feed"/></body></opml>').encode(encoding)
    with finishes_within(what="parse_opml"), pytest.raises(BadOpml, match="entity declarations"):
        parse_opml(data)


def test_a_huge_search_query_becomes_a_few_bounded_words() -> None:
    query = repeated('"*-(OR NEAR)_\' a', 200_000)
    with finishes_within(what="query_terms on 200 KB"):
        terms = query_terms(query)
    assert 0 < len(terms) <= MAX_TERMS
    assert fts5_query(terms).count('"*') == len(terms)
    assert tsquery(terms).count("':*") == len(terms)


def test_fuzzy_letters_are_matched_in_one_scan() -> None:
    name, query = "a" * 120, "a" * 60 + "b"
    with finishes_within(what="letters_in_order"):
        assert not letters_in_order(name, query)
        assert rank_name(name, query) == -1
    assert letters_in_order("langchain", "lch")
    assert letters_in_order("langchain", "l c h")
    assert not letters_in_order("langchain", "hcl")


def test_the_palette_answers_a_query_of_repeated_letters_at_once(session: Session) -> None:
    """The palette's fuzzy tier joined the query's letters with `.*?`: on a long name of one repeated letter
    that regex tries every placement of the letters (C(80, 40) of them) before failing."""
    categories(session)
    tool(session, "a" * 80, tagline="letters")
    tool(session, "LangChain", tagline="chains")
    with finishes_within(what="palette_search"):
        assert palette_search("a" * 40 + "b", session=session) == []
        assert [h.title for h in palette_search("lchn", session=session) if h.group == "tools"] == ["LangChain"]


def test_a_list_row_reads_the_same_words_as_the_rest_of_the_desk() -> None:
    """One HTML-to-text rule: a row's excerpt is `html_to_text` cut to length (entities decoded, scripts dropped)."""
    fragment = "<p>R&amp;D <b>notes</b></p><script>alert(1)</script><p>for &lt;you&gt;</p>"
    assert plain_text(fragment) == html_to_text(fragment) == "R&D notes for <you>"
