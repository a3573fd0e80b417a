"""The palette's name index answers exactly what `name_rank` says row by row, on every path it takes.

`NameIndex` finds rows through sorted words, a vocabulary scan, candidate checks or a scan of the joined
names, switching on how dense the matches are; each path is forced in turn here (`paths`) and every answer
compared with the plain rule over all rows: for each question alone, and for the palette's whole ranking
(`_best`) against `rank_name` plus the description tier.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hostile import finishes_within
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentoire_app.services import name_index
from agentoire_app.services.name_index import NameIndex
from agentoire_app.services.name_rank import FUZZY, NO_MATCH, letters_in_order, rank_name, starts_a_word
from agentoire_app.services.palette import DETAIL, MAX_QUERY_CHARS, _best, _Index

# Letters, every separator, blanks that are not separators, a two-byte and a four-byte character, NUL.
ALPHABET = "abc" + name_index.SEPARATORS + "\xa0é😀\x00"
# (DENSE_WORDS, DENSE_CANDIDATES, _CHUNK_ROWS): the defaults; never dense (words and candidates always);
# always dense (scans); one row per chunk when building and testing letters.
PATHS = [(500, 32, 20_000), (10**9, 0, 20_000), (0, 10**9, 20_000), (3, 1, 1)]
PROPERTY = settings(max_examples=300, deadline=timedelta(milliseconds=500),
                    suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def paths(dense_words: int, dense_candidates: int, chunk_rows: int) -> Iterator[None]:
    """Force the index's choice between its ways to the same rows (thresholds only: the answers must not move)."""
    saved = name_index.DENSE_WORDS, name_index.DENSE_CANDIDATES, name_index._CHUNK_ROWS
    name_index.DENSE_WORDS, name_index.DENSE_CANDIDATES, name_index._CHUNK_ROWS = (dense_words, dense_candidates,
                                                                                   chunk_rows)
    try:
        yield
    finally:
        name_index.DENSE_WORDS, name_index.DENSE_CANDIDATES, name_index._CHUNK_ROWS = saved


def expected_best(rows: list[tuple[str, str]], query: str, limit: int, *, fuzzy: bool,
                  detail: bool) -> list[tuple[int, int]]:
    """The palette's ranking by the plain rule: each row's `rank_name` tier (fuzzy only when asked), else the
    description tier when its description contains the query; best `limit` (tier, row)."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return []
    ranked = []
    for row, (name, description) in enumerate(rows):
        tier = rank_name(name, query)
        if tier == FUZZY and not fuzzy:
            tier = NO_MATCH
        if tier == NO_MATCH and detail and query in description:
            tier = DETAIL
        if tier != NO_MATCH:
            ranked.append((tier, row))
    return sorted(ranked)[:limit]


def best(rows: list[tuple[str, str]], query: str, limit: int, *, fuzzy: bool, detail: bool) -> list[tuple[int, int]]:
    index = _Index([(n, d, n.upper(), d, f"/x/{i}", i) for i, (n, d) in enumerate(rows)])
    return [(hit.rank, int(hit.url.rsplit("/", 1)[1]))
            for hit in _best(index, query, "tools", limit, fuzzy=fuzzy, detail=detail)]


texts = st.text(alphabet=ALPHABET, max_size=12)
names = st.lists(texts, max_size=30)


@st.composite
def names_and_query(draw: st.DrawFn) -> tuple[list[str], str]:
    """Names, and a query: mostly a piece of one of them (so that the tiers fill), sometimes anything."""
    drawn = draw(names)
    if drawn and draw(st.booleans()):
        source = draw(st.sampled_from(drawn))
        start = draw(st.integers(0, len(source)))
        return drawn, source[start:draw(st.integers(start, len(source)))]
    return drawn, draw(texts)


@PROPERTY
@given(names_and_query(), st.sets(st.integers(0, 29), max_size=5), st.integers(1, 8), st.sampled_from(PATHS))
@example((["open-source kit", "x open source", "open source"], "open source"), set(), 8, PATHS[0])
@example((["a\x00b", "ab", "a b"], "a"), set(), 8, PATHS[0])
def test_each_question_has_the_plain_rules_answer(drawn: tuple[list[str], str], exclude: set[int], k: int,
                                                   path: tuple[int, int, int]) -> None:
    rows, query = drawn
    with paths(*path):
        index = NameIndex(rows)

        def plain(rule: object) -> list[int]:
            return [r for r, name in enumerate(rows) if r not in exclude and rule(name)][:k]  # type: ignore[operator]

        assert index.starting(query, k) == (
            [r for r, name in enumerate(rows) if query and name == query][:k],
            [r for r, name in enumerate(rows) if query and name != query and name.startswith(query)][:k])
        assert index.word_starting(query, k, exclude) == (
            plain(lambda n: query in n and starts_a_word(n, query)) if query else [])
        assert index.containing(query, k, exclude) == (plain(lambda n: query in n) if query else [])
        assert index.in_order(query, k, exclude) == (
            plain(lambda n: letters_in_order(n, query)) if query.strip() else [])


@PROPERTY
@given(names_and_query(), st.lists(texts, min_size=30, max_size=30), st.integers(1, 8), st.booleans(),
       st.booleans(), st.sampled_from(PATHS))
def test_the_palette_ranks_as_rank_name_says(drawn: tuple[list[str], str], descriptions: list[str], limit: int,
                                            fuzzy: bool, detail: bool, path: tuple[int, int, int]) -> None:
    rows = list(zip(drawn[0], descriptions, strict=False))
    with paths(*path):
        assert best(rows, drawn[1], limit, fuzzy=fuzzy, detail=detail) == expected_best(
            rows, drawn[1], limit, fuzzy=fuzzy, detail=detail)


def syllable_names(rng: random.Random, count: int) -> list[str]:
    """Names and titles like the bench's: words of a few syllables, some joined by separators."""
    syllables = ["lang", "chain", "open", "source", "vec", "tor", "mind", "deep", "ai", "gpt", "4o", "e"]
    words = ["".join(rng.choices(syllables, k=rng.randint(1, 3))) for _ in range(60)]
    return [rng.choice(" -./_: ").join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(count)]


@pytest.mark.parametrize("path", PATHS)
def test_a_few_thousand_names_rank_as_rank_name_says(path: tuple[int, int, int]) -> None:
    """Enough rows for every tier to fill and for the dense and sparse ways to both be taken."""
    rng = random.Random(7)
    rows = list(zip(syllable_names(rng, 3000), syllable_names(rng, 3000), strict=True))
    queries = ["l", "e", "4", "ai", "ch", "lang", "chain", "ource", "open source", "open-source", "gpt-4o",
               "vec tor", "deep.", ".ai", "-", "lgc", "zzz", "ecto", "open sourcf", "aie"]
    with paths(*path):
        for query in queries:
            for fuzzy, detail in ((True, True), (False, False)):
                assert best(rows, query, 8, fuzzy=fuzzy, detail=detail) == expected_best(
                    rows, query, 8, fuzzy=fuzzy, detail=detail), query


def test_a_name_holding_nul_is_asked_the_plain_rule() -> None:
    """NUL joins the names; a name that holds one anyway is kept aside and still found in its place."""
    index = NameIndex(["lang\x00chain", "langchain", "x lang"])
    assert index.starting("lang", 8) == ([], [0, 1])
    assert index.containing("g\x00c", 8, ()) == [0]
    assert index.in_order("lc", 8, ()) == [0, 1]
    assert index.word_starting("lang", 8, {0, 1}) == [2]


def test_a_query_with_separators_starts_a_word_only_where_the_name_has_it_literally() -> None:
    """As `starts_a_word`: a separator reads as a space in the name, but the query must also be in it."""
    rows = ["the open-source kit", "an open source kit", "opensource", "open source"]
    assert NameIndex(rows).word_starting("open source", 8, ()) == [1, 3]
    assert NameIndex(rows).word_starting("open-source", 8, ()) == []
    assert NameIndex(rows).containing("open-source", 8, ()) == [0]


@settings(deadline=timedelta(milliseconds=500), max_examples=100,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(st.sampled_from("ab "), st.integers(1, 120)).map(lambda r: r[0] * r[1]), min_size=1,
                max_size=40),
       st.tuples(st.sampled_from("ab "), st.integers(1, 60), st.sampled_from("ab")).map(lambda r: r[0] * r[1] + r[2]))
@example(["a" * 80] * 40, "a" * 40 + "b")
def test_letters_in_order_stay_linear_on_runs_of_one_letter(rows: list[str], query: str) -> None:
    """The regular expression's gaps are atomic: a long query of one letter never backtracks."""
    with finishes_within(10.0, "NameIndex.in_order"):
        found = NameIndex(rows).in_order(query, 8, ())
    assert found == [r for r, name in enumerate(rows) if letters_in_order(name, query)][:8]
