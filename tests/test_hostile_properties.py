"""Properties of every reader of untrusted text, over generated hostile inputs, each example with a deadline.

Inputs are mostly a short run of markup fragments repeated many times with a random tail: the shape that
sends a backtracking regular expression exponential. Sizes (up to ~10 KB for a whole feed, more for the
rest) are far beyond the few hundred bytes an exponential rule needs to blow any deadline, while a linear
rule answers in milliseconds. Each example also runs under the hard guard, so a regression fails instead
of hanging the suite.
"""

from __future__ import annotations

from datetime import timedelta

from hostile import MARKUP_UNITS, finishes_within
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentoire_app.ingest.clean import clean_html, html_to_text, text_to_html
from agentoire_app.ingest.discover import find_feed_links
from agentoire_app.ingest.parse import NotAFeed, ParsedFeed, parse_feed
from agentoire_app.ingest.sources import BadOpml, parse_opml
from agentoire_app.services.name_rank import letters_in_order, rank_name
from agentoire_app.services.palette import MAX_QUERY_CHARS
from agentoire_app.services.search import MAX_TERM_LENGTH, MAX_TERMS, fts5_query, query_terms, tsquery

FRAGMENTS = ("<!--", "-->", "--", "-", "<!---->", "<", ">", "</", "<!", "<?", "?>", "<![CDATA[", "]]>", "'", '"',
             "=", "&", "&#", ";", " ", "\n", "\t", "a", "b", "html", "<html>", "<body", "<a href=", "<p>", "</p>",
             "<b>", "<i>", "<rss>", "<item>", "<outline ", "xmlUrl=", "<!DOCTYPE", "<!ENTITY", "<script>", "0", ".")
GUARD = 10.0
PROPERTY = settings(deadline=timedelta(milliseconds=500), max_examples=100,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def hostile_text(max_repeats: int) -> st.SearchStrategy[str]:
    """A run of fragments repeated up to `max_repeats` times, between a random head and tail."""
    unit = st.one_of(st.sampled_from(tuple(MARKUP_UNITS.values())),
                     st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("".join))
    loose = st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join)
    head = st.one_of(st.sampled_from(("", " ", "\n")), loose)
    return st.one_of(
        st.tuples(head, unit, st.integers(1, max_repeats), loose).map(lambda p: p[0] + p[1] * p[2] + p[3]),
        st.text(max_size=2_000),
    )


@PROPERTY
@given(st.one_of(hostile_text(1_000).map(str.encode), st.binary(max_size=4_000)))
@example(b"<!---->" * 300 + b"x")  # the input that froze the refresh: always tried, whatever is drawn
def test_parse_feed_returns_a_feed_or_says_why_not(body: bytes) -> None:
    with finishes_within(GUARD, "parse_feed"):
        try:
            result = parse_feed(body, url="https://hostile.example/feed")
        except NotAFeed as refused:
            assert str(refused)
        else:
            assert isinstance(result, ParsedFeed)


@PROPERTY
@given(hostile_text(5_000))
def test_feed_links_are_absolute_http_urls(page: str) -> None:
    with finishes_within(GUARD, "find_feed_links"):
        links = find_feed_links(page, base_url="https://site.example/")
    assert all(link.startswith(("http://", "https://")) for link in links)


@PROPERTY
@given(hostile_text(5_000))
def test_cleaning_never_lets_a_script_through(fragment: str) -> None:
    with finishes_within(GUARD, "clean_html/html_to_text/text_to_html"):
        cleaned = clean_html(fragment, base_url="https://hostile.example/")
        text = html_to_text(fragment)
        paragraphs = text_to_html(fragment)
    assert "<script" not in cleaned.lower()
    assert "\n" not in text
    assert "<script" not in paragraphs


@PROPERTY
@given(st.one_of(hostile_text(5_000).map(str.encode), st.binary(max_size=4_000),
                 hostile_text(1_000).map(lambda t: f'<opml><body><outline xmlUrl="{t}"/>{t}</body></opml>'.encode())))
def test_the_opml_reader_returns_outlines_or_a_reason(data: bytes) -> None:
    with finishes_within(GUARD, "parse_opml"):
        try:
            rows = parse_opml(data)
        except BadOpml as refused:
            assert str(refused)
        else:
            assert all(url for url, _title, _site in rows)


@PROPERTY
@given(st.one_of(hostile_text(20_000), st.text(max_size=5_000)))
def test_search_queries_become_bounded_quoted_words(query: str) -> None:
    with finishes_within(GUARD, "query_terms"):
        terms = query_terms(query)
    assert len(terms) <= MAX_TERMS
    assert all(term.isalnum() and len(term) <= MAX_TERM_LENGTH for term in terms)
    assert fts5_query(terms).count('"*') == len(terms)
    assert tsquery(terms).count("':*") == len(terms)


def runs(max_run: int) -> st.SearchStrategy[str]:
    """A few runs of one letter ("aaaa…b"): where a backtracking "letters in order" match explodes."""
    run = st.tuples(st.sampled_from("ab "), st.integers(1, max_run)).map(lambda r: r[0] * r[1])
    return st.lists(run, min_size=1, max_size=3).map("".join)


@PROPERTY
@given(st.one_of(runs(120), hostile_text(100), st.text(alphabet="ab ", max_size=300)),
       st.one_of(runs(60), st.text(alphabet="ab -", max_size=MAX_QUERY_CHARS)).map(lambda q: q[:MAX_QUERY_CHARS]))
@example("a" * 80, "a" * 40 + "b")
def test_fuzzy_matching_is_an_in_order_subsequence(name: str, query: str) -> None:
    with finishes_within(GUARD, "letters_in_order/rank_name"):
        found = letters_in_order(name, query)
        rank = rank_name(name, query) if query else 0
    remaining = iter(name)
    assert found == all(ch in remaining for ch in query if not ch.isspace())
    assert (rank == -1) == (not found and query not in name)
