"""One ranking of names against a query, in Python and in SQL, from one tier table.

Best first: the name is the query (`EXACT`), starts with it (`PREFIX`), a word of the name starts with it
(`WORD_START`), the name contains it (`SUBSTRING`); below those, the palette's letters-in-order match
(`FUZZY`) and the directory's "matched somewhere else" (`ELSEWHERE`). Words are split on `SEPARATORS`, an
explicit set so that the database's `replace` and Python's `str.translate` split names the same way (a query
with a space, "a b", starts a word in "x-a b").

`rank_name` ranks in memory (the palette's in-process index and its commands); `name_tier` builds the same
tiers as a SQL `CASE` over a lower-cased name column (the directory's search). Both take the query already
cut to length; `tests/test_name_rank.py` holds them to each other on both databases.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

EXACT, PREFIX, WORD_START, SUBSTRING, FUZZY = 0, 1, 2, 3, 4
ELSEWHERE = FUZZY  # in SQL, the rest of the matches rank where the palette's fuzzy hits do
NO_MATCH = -1

SEPARATORS = " \t\n\r-/_.:,"
_TO_SPACE = str.maketrans({ch: " " for ch in SEPARATORS})


def letters_in_order(name: str, query: str) -> bool:
    """Whether the letters of `query` (blank space aside) appear in `name` in the same order ("fuzzy").

    One forward scan of `name`: the obvious regular expression, the letters joined by `.*?`, backtracks
    through every way of placing them and takes minutes on a long query of repeated letters.
    """
    position = 0
    for ch in query:
        if ch.isspace():
            continue
        position = name.find(ch, position) + 1
        if position == 0:
            return False
    return True


def starts_a_word(name: str, query: str) -> bool:
    """Whether `query` follows a separator in `name` (separators in either read as spaces)."""
    return (" " + query) in (" " + name).translate(_TO_SPACE)


def rank_name(name: str, query: str) -> int:
    """The tier of `name` for `query` (both lower-cased), `NO_MATCH` when not even the letters are in order.
    `state.palette` ranks the palette's commands with it too."""
    if name == query:
        return EXACT
    if name.startswith(query):
        return PREFIX
    if query in name:
        return WORD_START if starts_a_word(name, query) else SUBSTRING
    return FUZZY if letters_in_order(name, query) else NO_MATCH


def name_tier(name: ColumnElement[str], query: str) -> ColumnElement[int]:
    """`rank_name`'s tiers down to `SUBSTRING` as SQL over a lower-cased `name`; every other row is
    `ELSEWHERE`."""
    spaced: ColumnElement[str] = sa.literal(" ", sa.String) + name
    for ch in SEPARATORS[1:]:
        spaced = sa.func.replace(spaced, ch, " ", type_=sa.String)
    inside = name.contains(query, autoescape=True)
    return sa.case(
        (name == query, EXACT),
        (name.startswith(query, autoescape=True), PREFIX),
        (sa.and_(inside, spaced.contains(" " + query, autoescape=True)), WORD_START),
        (inside, SUBSTRING),
        else_=ELSEWHERE,
    )
