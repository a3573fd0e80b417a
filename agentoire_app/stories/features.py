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
from functools import lru_cache

LEAD_WORDS = 60  # the lead is where a report says what happened; later text wanders off to context
MEANING_LEAD_WORDS = 30  # the embedding averages every word, so it reads only the lead's first sentence or so
TITLE_WEIGHT = 2.0  # a headline term counts twice a lead term
NAME_WEIGHT = 2.0  # a name or number counts twice an ordinary word

_WORD = re.compile(r"[^\W_](?:[\w+]|['’.\-](?=[^\W_]))*", re.UNICODE)
_SENTENCE_ENDS = frozenset(".!?:;\"“”")
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


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """A word as the decider compares it: lowercase, accents off, possessive and plural -s stripped.

    Cached: a refresh folds the same few thousand words hundreds of thousands of times."""
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
    if _spelt_as_name(token):
        return True
    return token[:1].isupper() and not first_in_sentence and not title_case


@lru_cache(maxsize=1 << 16)
def _spelt_as_name(token: str) -> bool:
    """A name wherever it stands: a digit (2026, 3060, X2) or inner capitals (NotePin, CLOiD, RTX)."""
    return bool(_DIGIT.search(token) or _CAMEL.search(token))


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
    capitalised: frozenset[str] = field(default_factory=frozenset)  # spelt with a capital somewhere …
    lowercase: frozenset[str] = field(default_factory=frozenset)  # … and spelt in lower case somewhere
    numbers: frozenset[str] = field(default_factory=frozenset)  # the headline's numbers, years left out
    kind: str = ""  # "preview" (how to watch), "live" (a live blog), "" (a report)
    text: str = ""  # headline and lead as plain text, for `meaning`
    actions: frozenset[str] = field(default_factory=frozenset)  # what the headline says happened


_DIGIT = re.compile(r"\d")
_CAMEL = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}")  # NotePin, iPhone, CLOiD; acronyms (TV, RTX)
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
# A link aggregator's furniture ("Article URL: … Comments URL: … Points: 89 # Comments: 66"): the same
# words under every link post, which would make all of them look alike.
_LINK_POST = re.compile(r"(?:Article URL|Comments URL|Points|# Comments):\s*\d*", re.IGNORECASE)


@dataclass
class _Spelling:
    """How the article spells its words: what `DocumentFrequencies` needs to tell a name set in Title
    Case or at a sentence start ("Rubin", "Mammotion") from an ordinary word ("Things", "Finally")."""

    capitalised: set[str] = field(default_factory=set)
    lowercase: set[str] = field(default_factory=set)


def _scan(text: str, *, weight: float, terms: defaultdict[str, float], names: set[str], headline: bool,
          spelling: _Spelling) -> list[str]:
    text = _LINK_POST.sub(" ", _URL.sub(" ", text))
    tokens = _WORD.findall(text)
    title_case = headline and _looks_title_case(tokens)
    folded_words: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        token = match.group()
        word = fold(token)
        # What stands between the previous word and this one says whether a sentence starts here (a word
        # never ends in punctuation, so the gap alone decides).
        gap = text[end:match.start()].rstrip()
        first = (not gap and end == 0) or bool(gap and gap[-1] in _SENTENCE_ENDS)
        end = match.end()
        if len(word) < 2 or word in STOPWORDS or token.lower() in STOPWORDS:
            continue
        folded_words.append(word)
        (spelling.capitalised if token[:1].isupper() else spelling.lowercase).add(word)
        is_name = _is_name(token, first_in_sentence=first, title_case=title_case)
        if is_name:
            names.add(word)
        terms[word] += weight * (NAME_WEIGHT if is_name else 1.0)
    return folded_words


_YEAR = re.compile(r"(?:19|20)\d\d")
# Pieces that announce or follow an event rather than report it: they form their own story (a "how to
# watch the keynote" piece is not the keynote's news, and a live blog covers the whole show).
_PREVIEW = re.compile(r"\b(?:how|where|when)(?: and where)? to (?:watch|stream|follow)\b|\blive ?stream|"
                      r"\bwhat to expect\b|\bpreview\b", re.IGNORECASE)
_LIVE = re.compile(r"\blive(?: blog|:| -| –| —| updates| coverage)|\bas it happened\b", re.IGNORECASE)


def headline_kind(title: str) -> str:
    """"preview", "live" or "" (a report): announcements of an event and live blogs are stories apart."""
    if _PREVIEW.search(title):
        return "preview"
    return "live" if _LIVE.search(title) else ""


# What kind of thing a headline says happened, from its verb or noun. Two reports whose headlines each
# say and disagree (a partnership, a product unveiling) are two events even when the same companies
# and the same words fill both; a headline that says neither decides nothing.
_ACTION_WORDS = {
    "deal": "partner partnership partnering team deal alliance collaborate collaboration acquire acquisition "
            "merger merge",
    "money": "raise raised funding valuation ipo",
    "legal": "sue sued lawsuit court judge fine fined ban banned probe investigate investigation regulator "
             "watchdog",
    "launch": "launch launched unveil unveiled debut introduce announce reveal release",
}
ACTIONS = {fold(word): kind for kind, words in _ACTION_WORDS.items() for word in words.split()}


def headline_actions(words: Iterable[str]) -> frozenset[str]:
    """The kinds of event ("deal", "money", "legal", "launch") the headline's folded words name."""
    return frozenset(ACTIONS[w] for w in words if w in ACTIONS)


def headline_numbers(words: Iterable[str]) -> frozenset[str]:
    """The headline's numbers and model numbers (3060, 800, x2), years left out: every CES report says 2026."""
    return frozenset(w for w in words if any(ch.isdigit() for ch in w) and not _YEAR.fullmatch(w))


def _plain(title: str, summary: str) -> str:
    """Headline and the lead's first words as plain text, link furniture and URLs left out."""
    headline = " ".join(_URL.sub(" ", title).split())
    lead = _LINK_POST.sub(" ", _URL.sub(" ", summary)).split()[:MEANING_LEAD_WORDS]
    return f"{headline}. {' '.join(lead)}"


def article_features(key: int, title: str, summary: str, *, published_at: datetime,
                     source: str) -> ArticleFeatures:
    """Features from the headline and the first `LEAD_WORDS` words of the summary."""
    terms: defaultdict[str, float] = defaultdict(float)
    names: set[str] = set()
    spelling = _Spelling()
    title_words = _scan(title, weight=TITLE_WEIGHT, terms=terms, names=names, headline=True, spelling=spelling)
    lead = " ".join(summary.split()[:LEAD_WORDS])
    _scan(lead, weight=1.0, terms=terms, names=names, headline=False, spelling=spelling)
    return ArticleFeatures(key=key, published_at=published_at, source=source, terms=dict(terms),
                           names=frozenset(names), title_key=tuple(title_words),
                           title_words=frozenset(title_words), capitalised=frozenset(spelling.capitalised),
                           lowercase=frozenset(spelling.lowercase), numbers=headline_numbers(title_words),
                           kind=headline_kind(title), actions=headline_actions(title_words),
                           text=_plain(title, summary))


class DocumentFrequencies:
    """How many of the window's articles use each term: the IDF that tells a rare name from a common one."""

    def __init__(self, articles: Iterable[ArticleFeatures] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.lowercase: set[str] = set()
        self.n = 0
        for article in articles:
            self.add(article)

    def add(self, article: ArticleFeatures) -> None:
        self.n += 1
        self.df.update(article.terms.keys())
        self.lowercase.update(article.lowercase)

    def names(self, article: ArticleFeatures) -> frozenset[str]:
        """The article's names: those its own spelling shows, and the words it capitalises that no article
        of the window ever spells in lower case ("Rubin" in a Title Case headline, "Mammotion" opening a
        sentence). The window decides, so no list of common words is needed."""
        return article.names | (article.capitalised - self.lowercase)

    def idf(self, term: str) -> float:
        """Smoothed IDF; a term no article of the window has yet counts as the rarest."""
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0


def weighted(article: ArticleFeatures, df: DocumentFrequencies) -> dict[str, float]:
    """The article's TF-IDF vector, unit length (sublinear term frequency); a name only the window shows
    to be one is weighted up like the names the article's own spelling shows."""
    found = df.names(article) - article.names
    vector = {t: (1.0 + math.log(c * (NAME_WEIGHT if t in found else 1.0))) * df.idf(t)
              for t, c in article.terms.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
