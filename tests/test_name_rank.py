"""One ranking of names: the palette's Python tiers and the directory's SQL tiers agree, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from agentoire_app.services.name_rank import (
    ELSEWHERE,
    EXACT,
    FUZZY,
    NO_MATCH,
    PREFIX,
    SUBSTRING,
    WORD_START,
    name_tier,
    rank_name,
)

NAMES = ["chain", "chain reactor", "langchain", "open chain tools", "lang-chain-x", "x-a b", "a_b/c.d:e,f",
         "100% chain", "under_score", "ch"]
QUERIES = ["chain", "ch", "lang", "chain x", "a b", "c", "d", "%", "_", "0% c", "score", "ain", "zzz", "c.d"]


def sql_tiers(session: Session, names: list[str], query: str) -> list[int]:
    rows = sa.union_all(*(sa.select(sa.literal(n, sa.String).label("name")) for n in names)).subquery()
    stmt = sa.select(rows.c.name, name_tier(rows.c.name, query))
    return [dict(session.execute(stmt).tuples().all())[n] for n in names]


def python_tiers(names: list[str], query: str) -> list[int]:
    """`rank_name`, with what SQL cannot tell apart (letters in order, nothing at all) as one tier."""
    return [ELSEWHERE if t in (FUZZY, NO_MATCH) else t for t in (rank_name(n, query) for n in names)]


@pytest.mark.parametrize("query", QUERIES)
def test_the_sql_tiers_are_the_python_tiers(session: Session, query: str) -> None:
    assert sql_tiers(session, NAMES, query) == python_tiers(NAMES, query)


def test_exact_then_prefix_then_word_start_then_substring() -> None:
    assert rank_name("chain", "chain") == EXACT
    assert rank_name("chain reactor", "chain") == PREFIX
    assert rank_name("open chain tools", "chain") == WORD_START
    assert rank_name("lang-chain-x", "chain") == WORD_START
    assert rank_name("langchain", "chain") == SUBSTRING
    assert rank_name("langchain", "lch") == FUZZY
    assert rank_name("langchain", "xyz") == NO_MATCH


def test_a_spaced_query_starts_a_word_after_any_separator() -> None:
    assert rank_name("x-a b", "a b") == WORD_START
    assert rank_name("xa b", "a b") == SUBSTRING


def test_like_wildcards_in_the_query_are_text(session: Session) -> None:
    assert sql_tiers(session, ["100% chain", "under_score", "underXscore"], "%") == [SUBSTRING, ELSEWHERE,
                                                                                     ELSEWHERE]
    assert sql_tiers(session, ["under_score", "underXscore"], "r_s") == [SUBSTRING, ELSEWHERE]
