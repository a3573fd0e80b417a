"""What the story decider reads from an article: weighted terms, the names and numbers it mentions, and a
key that spots reprints.

Pure functions of the article's title and summary (the feed's lead), no model and no download. Two facts
carry most of the signal: reports of one event share its *names and numbers* (Plaud, NotePin, 800
million, RTX 3060), and they share them in the *headline or the lead*. Everything else (CES, AI, robot)
is shared by half a day's news, which inverse document frequency over the window's articles discounts by
itself, so no hand-made list of "common companies" is needed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

LEAD_WORDS = 60  # the lead is where a report says what happened; later text wanders off to context
TITLE_WEIGHT = 2.0  # a headline term counts twice a lead term
NAME_WEIGHT = 2.0  # a name or number counts twice an ordinary word

_WORD = re.compile(r"[^\W_](?:[\w+]|['’.\-](?=[^\W_]))*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")
# Function words and newsroom furniture: carrying no event, they only add noise to the cosine. IDF would
# discount them too, but not in a small window, where "the" can look rare.
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just me more most my new no nor not now of off
on once only or other our out over own same says said she should so some such than that the their them
then there these they this those through to too under until up very via was we were what when where which
while who whom why will with would you your yours get gets got just like one two may might must now
read more article url comments points continue reading here's link source via full story
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(word: str) -> str:
    """A word as the decider compares it: lowercase, accents off, possessive and plural -s stripped."""
    word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() or word
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'.-")
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def _is_name(token: str, *, first_in_sentence: bool, title_case: bool) -> bool:
    """A proper name or a number, judged from its spelling where it stands.

    A digit makes a number (2026, 3060, X2); inner capitals make a brand (NotePin, CLOiD, iPhone); a
    capital anywhere but at a sentence start makes a name. Headlines in Title Case capitalise every word,
    so there only digits and inner capitals count.
    """
    if any(ch.isdigit() for ch in token):
        return True
    if _CAMEL.search(token):
        return True
    return token[:1].isupper() and not first_in_sentence and not title_case


def _looks_title_case(tokens: list[str]) -> bool:
    long_words = [t for t in tokens if len(t) > 3]
    return bool(long_words) and sum(t[:1].isupper() for t in long_words) / len(long_words) > 0.6


@dataclass(frozen=True)
class ArticleFeatures:
    """One article as the decider sees it. `terms` are raw counts (title terms weighted); `names` the
    folded names and numbers; `title_key` the headline's folded words, for reprints."""

    key: int
    published_at: datetime
    source: str
    terms: dict[str, float]
    names: frozenset[str]
    title_key: tuple[str, ...]
    title_words: frozenset[str] = field(default_factory=frozenset)


_CAMEL = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}")  # NotePin, iPhone, CLOiD; acronyms (TV, RTX)
_URL = re.compile(r"\b(?:https?://|www\.)\S+")


def _scan(text: str, *, weight: float, terms: defaultdict[str, float], names: set[str], headline: bool) -> list[str]:
    text = _URL.sub(" ", text)
    tokens = _WORD.findall(text)
    title_case = headline and _looks_title_case(tokens)
    folded_words: list[str] = []
    first = True
    for match in _WORD.finditer(text):
        token = match.group()
        word = fold(token)
        start = match.start()
        before = text[:start]
        first = not before.strip() or bool(_SENTENCE_END.search(before))
        if len(word) < 2 or word in STOPWORDS or token.lower() in STOPWORDS:
            continue
        folded_words.append(word)
        is_name = _is_name(token, first_in_sentence=first, title_case=title_case)
        if is_name:
            names.add(word)
        terms[word] += weight * (NAME_WEIGHT if is_name else 1.0)
    return folded_words


def article_features(key: int, title: str, summary: str, *, published_at: datetime,
                     source: str) -> ArticleFeatures:
    """Features from the headline and the first `LEAD_WORDS` words of the summary."""
    terms: defaultdict[str, float] = defaultdict(float)
    names: set[str] = set()
    title_words = _scan(title, weight=TITLE_WEIGHT, terms=terms, names=names, headline=True)
    lead = " ".join(summary.split()[:LEAD_WORDS])
    _scan(lead, weight=1.0, terms=terms, names=names, headline=False)
    # A name spelt in Title Case in the headline is still a name when the lead spells it the same way.
    return ArticleFeatures(key=key, published_at=published_at, source=source, terms=dict(terms),
                           names=frozenset(names), title_key=tuple(title_words),
                           title_words=frozenset(title_words))


class DocumentFrequencies:
    """How many of the window's articles use each term: the IDF that tells a rare name from a common one."""

    def __init__(self, articles: Iterable[ArticleFeatures] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for article in articles:
            self.add(article)

    def add(self, article: ArticleFeatures) -> None:
        self.n += 1
        self.df.update(article.terms.keys())

    def idf(self, term: str) -> float:
        """Smoothed IDF; a term no article of the window has yet counts as the rarest."""
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0


def weighted(article: ArticleFeatures, df: DocumentFrequencies) -> dict[str, float]:
    """The article's TF-IDF vector, unit length (sublinear term frequency)."""
    vector = {t: (1.0 + math.log(c)) * df.idf(t) for t, c in article.terms.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
