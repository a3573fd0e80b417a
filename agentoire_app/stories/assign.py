"""The story decider: a new article joins the best matching open story, or starts one.

Pure and deterministic: the same articles in the same order give the same stories. Articles are taken in
order of their *published* time (then their key), so a late-fetched report lands where its date puts it.

The rule (measured on real news in `bench/stories_quality.py`; see `bench/README.md`):

1. A reprint always joins: the same headline words (syndication, link posts, two URLs of one story).
2. Otherwise only stories *open* around the article's published time are candidates (`StoryRule.window`
   on either side of the story's first and last article), and only those sharing at least one *rare
   name or number* with it: used by at most 13% of the window's articles (at least 8, at most 40 of
   them). Same company is not enough: "Nvidia" is in a dozen of a day's stories; "Rubin" or "3060" is in
   one. The window also decides what is a name (`DocumentFrequencies.names`).
3. Only stories of the article's own kind: a "how to watch" piece or a live blog is not the event's report.
4. Against each member the article scores a blend of TF-IDF cosine (shared words, names weighted up) and
   embedding cosine (`meaning`: same event in other words), or 0 when their headlines *conflict* (numbers
   that differ, or kinds of event that differ: a partnership is not an unveiling).
5. The article joins the story whose members it is on average most like, when that average clears
   `StoryRule.threshold`. The average, not the best single match: one wide roundup in a story must not
   pull in everything it mentions (measured: the best single match loses 5 points of precision for 3 of
   recall).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from .features import ArticleFeatures, DocumentFrequencies, cosine, weighted
from .meaning import alike, meaning


@dataclass(frozen=True)
class StoryRule:
    window: timedelta = timedelta(days=3)
    threshold: float = 0.41  # on the similarity below, averaged over the story's articles
    words_threshold: float = 0.20  # the same, on TF-IDF alone, when the embedding model is not installed
    meaning_share: float = 0.6  # similarity = this share of the meaning cosine + the rest of the TF-IDF cosine
    rare_share: float = 0.13  # a rare name is in at most this share of the window's articles …
    rare_min: int = 8  # … or in this many, whatever the share: a small window has no statistics to go by …
    rare_max: int = 40  # … and never in more: a name in hundreds of articles names no single event
    reprint_jaccard: float = 0.85


DEFAULT_RULE = StoryRule()


@dataclass
class OpenStory:
    key: int
    members: list[ArticleFeatures] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def add(self, article: ArticleFeatures) -> None:
        self.members.append(article)
        at = article.published_at
        self.first_seen = at if self.first_seen is None else min(self.first_seen, at)
        self.last_seen = at if self.last_seen is None else max(self.last_seen, at)

    def is_open_at(self, at: datetime, window: timedelta) -> bool:
        assert self.first_seen is not None and self.last_seen is not None
        return self.first_seen - window <= at <= self.last_seen + window


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def is_reprint(a: ArticleFeatures, b: ArticleFeatures, rule: StoryRule = DEFAULT_RULE) -> bool:
    """The same headline (up to punctuation, case and a word or two): one story under two URLs."""
    if len(a.title_key) < 3 or len(b.title_key) < 3:
        return False
    return a.title_key == b.title_key or _jaccard(a.title_words, b.title_words) >= rule.reprint_jaccard


def _disagree(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not a & b


def conflicting(a: ArticleFeatures, b: ArticleFeatures) -> bool:
    """Headlines that say different things happened: each names numbers and they share none (the RTX
    3060's return is not the RTX 5070's price), or each names a kind of event and they differ (Boston
    Dynamics' partnership with DeepMind is not its unveiling of Atlas)."""
    return _disagree(a.numbers, b.numbers) or _disagree(a.actions, b.actions)


class StoryAssigner:
    """Incremental assignment over a window of open stories.

    `df` is the window's document frequencies (open stories' articles and the new ones), fixed before the
    first decision so that the order of arrival within a batch cannot change what counts as rare.
    `next_key` numbers the stories this assigner starts (the caller maps them to rows).
    """

    def __init__(self, df: DocumentFrequencies, *, rule: StoryRule = DEFAULT_RULE, next_key: int = -1) -> None:
        self.df = df
        self.rule = rule
        self.stories: dict[int, OpenStory] = {}
        self._by_name: dict[str, set[int]] = defaultdict(set)
        self._vectors: dict[int, dict[str, float]] = {}
        self._name_cache: dict[int, frozenset[str]] = {}
        self._meanings: dict[int, np.ndarray | None] = {}
        self._by_title: dict[tuple[str, ...], int] = {}
        self._next_key = next_key

    def load(self, story_key: int, members: Iterable[ArticleFeatures]) -> None:
        """An existing story, with its articles, becomes a candidate."""
        for article in members:
            self._attach(story_key, article)

    def _attach(self, story_key: int, article: ArticleFeatures) -> None:
        story = self.stories.setdefault(story_key, OpenStory(story_key))
        story.add(article)
        self._by_title.setdefault(article.title_key, story_key)
        for name in self._names(article):
            self._by_name[name].add(story_key)

    def _names(self, article: ArticleFeatures) -> frozenset[str]:
        names = self._name_cache.get(article.key)
        if names is None:
            names = self._name_cache[article.key] = self.df.names(article)
        return names

    def _vector(self, article: ArticleFeatures) -> dict[str, float]:
        vector = self._vectors.get(article.key)
        if vector is None:
            vector = self._vectors[article.key] = weighted(article, self.df)
        return vector

    def _meaning(self, article: ArticleFeatures) -> np.ndarray | None:
        if article.key not in self._meanings:
            self._meanings[article.key] = meaning(article.text)
        return self._meanings[article.key]

    def similarity(self, a: ArticleFeatures, b: ArticleFeatures) -> float:
        """How alike two reports are: a blend of what they share word for word (TF-IDF cosine) and what
        they mean (embedding cosine); 0 when their headlines conflict."""
        if conflicting(a, b):
            return 0.0
        words = cosine(self._vector(a), self._vector(b))
        meaning_a, meaning_b = self._meaning(a), self._meaning(b)
        if meaning_a is None or meaning_b is None:
            return words
        share = self.rule.meaning_share
        return (1 - share) * words + share * alike(meaning_a, meaning_b)

    def score(self, article: ArticleFeatures, story: OpenStory) -> float:
        """How much `story` is about what `article` reports: its similarity to the story's articles, averaged."""
        return sum(self.similarity(article, m) for m in story.members) / len(story.members)

    def candidates(self, article: ArticleFeatures) -> list[OpenStory]:
        limit = min(max(self.rule.rare_min, self.rule.rare_share * self.df.n), self.rule.rare_max)
        rare = [n for n in self._names(article) if self.df.df.get(n, 0) <= limit]
        keys = sorted({k for n in rare for k in self._by_name.get(n, ())})
        return [s for k in keys if (s := self.stories[k]).is_open_at(article.published_at, self.rule.window)
                and s.members[0].kind == article.kind]

    def decide(self, article: ArticleFeatures) -> int | None:
        """The key of the story `article` should join, or None to start its own."""
        best: tuple[float, int] | None = None
        same_title = self._by_title.get(article.title_key) if len(article.title_key) >= 3 else None
        if same_title is not None and self.stories[same_title].is_open_at(article.published_at, self.rule.window):
            return same_title
        candidates = self.candidates(article)
        for story in candidates:
            if any(is_reprint(article, m, self.rule) for m in story.members):
                return story.key
        if not candidates:
            return None
        threshold = self.rule.threshold if self._meaning(article) is not None else self.rule.words_threshold
        for story in candidates:
            value = self.score(article, story)
            if value >= threshold and (best is None or value > best[0]):
                best = (value, story.key)
        return best[1] if best else None

    def assign(self, article: ArticleFeatures) -> tuple[int, bool]:
        """Place `article`; returns (story key, whether the story is new)."""
        key = self.decide(article)
        started = key is None
        if key is None:
            key = self._next_key
            self._next_key -= 1
        self._attach(key, article)
        return key, started


def order_for_assignment(articles: Iterable[ArticleFeatures]) -> list[ArticleFeatures]:
    """Published time first, then key: the one order both a refresh and a rebuild use."""
    return sorted(articles, key=lambda a: (a.published_at, a.key))
