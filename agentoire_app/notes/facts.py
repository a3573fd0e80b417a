"""What a story reports, each fact with the sentence that says it: figures, availability, licences.

Rules as data: every pattern is a flat alternation with bounded repeats (no nested quantifier, so no
catastrophic backtracking) and runs over at most `MAX_TEXT_CHARS` of text, so the cost is linear in a
bounded input; a sentence is segmented only around a match (`SentenceFinder`), and a match in
boilerplate or in an instruction planted for a model is not a fact. A fact's `text` is always a substring of its `sentence`, and the
sentence a substring of the article: that is what makes the notes traceable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from .sentences import MAX_TEXT_CHARS, SentenceFinder, lowered_as_patterns_fold
from .summary import repeats_body

MAX_FACTS = 12

_NUM = r"(?:\d[\d,.]{0,14}\d|\d)"
_SCALE = r"(?:\s?(?:trillion|billion|million|thousand|bn|tn|[kKmMbB])\b)?"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

# (kind, label for the notes, pattern). Order matters: where two kinds match at one place, the earlier wins.
FIGURE_RULES: tuple[tuple[str, str, str], ...] = (
    ("price", "price",
     rf"(?:[$€£]\s?{_NUM}{_SCALE}|{_NUM}{_SCALE}\s?(?:dollars|euros|USD|EUR))\s?(?:per|/|a|an)\s"
     r"(?:month|year|user|seat|million tokens|1M tokens|M tokens|1,000 tokens|token|hour|request)\b"),
    ("money", "amount", rf"(?:[$€£]\s?{_NUM}{_SCALE}|{_NUM}{_SCALE}\s?(?:dollars|euros|USD|EUR)\b)"),
    ("model_size", "model size",
     rf"\b{_NUM}\s?(?:billion|trillion|million|[BMT])[\s-]param(?:eter)?s?\b|\b{_NUM}[BT]\b(?![$%])"),
    ("context", "context length",
     rf"\b{_NUM}\s?[kKM]?(?:[\s-]tokens?)?(?:[\s-]token)?\s(?:context(?: window| length)?)"),
    ("benchmark", "benchmark score",
     rf"\b{_NUM}\s?(?:%|percent)\s(?:on|in)\s(?:the\s)?[A-Z][\w.-]{{1,30}}(?:\s[A-Z][\w.-]{{0,20}})?"),
    ("percent", "percentage", rf"\b{_NUM}\s?(?:%|percent\b|per cent\b)"),
    ("version", "version",
     r"\b(?!Apache[ -])(?:[A-Z][\w]{1,20}[ -])(?:v?\d{1,3}(?:\.\d{1,3}){1,3}|v\d{1,3})\b|\bversion\s\d{1,3}(?:\.\d{1,3}){0,3}\b"),
    ("date", "date", rf"\b{_MONTH}\.?\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s20\d\d)?\b|\b(?:in|by|from)\s{_MONTH}\s20\d\d\b"),
)

# Availability and licence signals: (kind, label, pattern), matched case-insensitively unless capitalised.
SIGNAL_RULES: tuple[tuple[str, str, str, bool], ...] = (
    ("open_weights", "open weights", r"\bopen[\s-]weights?\b|\bweights (?:are|were) (?:available|released)\b",
     True),
    ("licence", "licence", r"\bApache(?:[\s-]2(?:\.0)?)?\s(?:licen[cs]e|licensed)\b|\bApache[\s-]2\.0\b|"
     r"\bMIT(?:[\s-]licen[cs]ed?|\slicen[cs]e)\b|\bLlama \d(?:\.\d)? (?:Community )?Licen[cs]e\b|"
     r"\bLlama (?:Community )?Licen[cs]e\b|\b(?:A|L)?GPL(?:v?\d)?\b|\bBSD licen[cs]e\b|\bCreative Commons\b|"
     r"\bCC[\s-]BY(?:-[A-Z]{2}){0,2}\b|\bOpenRAIL\b|\bGemma terms\b|\bopen[\s-]source(?:d)?\b", False),
    ("api", "API", r"\b(?:via|through|in) (?:the |its |an |our )?(?:\w+ )?API\b|\bAPI access\b|\bAPI\b", False),
    ("ga", "generally available", r"\bgenerally available\b|\bgeneral availability\b|\bGA\b", False),
    ("beta", "beta", r"\b(?:public |private |open |closed )?beta\b", True),
    ("preview", "preview", r"\b(?:research |developer |public |technical )?preview\b", True),
    ("waitlist", "waitlist", r"\bwait[\s-]?list\b", True),
    ("region", "region",
     r"\b(?:available|launch(?:es|ed|ing)?|rolling out|rolls out|roll out|coming)\b[^.]{0,60}?\b(?:in|to) "
     r"(?:the )?(?:US|U\.S\.|UK|EU|European Union|Europe|India|China|Japan|Canada|Australia|"
     r"United States|United Kingdom|\d{1,3} countries)\b", False),
)

# What every match of a rule contains (each pattern in the tuple), under the rule's own case folding. A text
# lacking one cannot match the rule, so the rule is left out of the alternation scanned over that text: a
# scan costs about the sum of its rules at every position, while these checks are literal searches that
# cost almost nothing. Leaving out a rule that cannot match changes no match (test_notes_rule_shortcuts.py
# checks each claim on every match).
RULE_NEEDS: dict[str, tuple[str, ...]] = {
    "price": (r"[$€£]|dollars|euros|USD|EUR",),
    "money": (r"[$€£]|dollars|euros|USD|EUR",),
    "model_size": (r"\d\s?[bmtBMT]",),
    "context": ("context",),
    "benchmark": (r"%|percent",),
    "percent": (r"%|percent|per cent",),
    "version": (r"[ -]v?\d|version",),
    "date": (r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",),
    "open_weights": ("weight",),
    "licence": (r"Apache|MIT|Llama|GPL|BSD|Creative Commons|CC|OpenRAIL|Gemma terms|open",),
    "api": ("API",),
    "ga": (r"general|GA",),
    "beta": ("beta",),
    "preview": ("preview",),
    "waitlist": ("wait",),
    "region": (r"available|launch|roll|coming",
               r"US|U\.S\.|UK|EU|Europe|India|China|Japan|Canada|Australia|United|countries"),
}

# Where a signal can start: every alternative of a signal rule begins at a word boundary with one of its
# rule's words here (in lower case for the case-folded rules). Trying the alternation only where one of these
# words begins finds what a scan of every position finds, the leftmost match first, in a few string searches.
SIGNAL_STARTS: dict[str, tuple[str, ...]] = {
    "open_weights": ("open", "weights"),
    "licence": ("Apache", "MIT", "Llama", "AGPL", "LGPL", "GPL", "BSD", "Creative", "CC", "OpenRAIL", "Gemma",
                "open"),
    "api": ("via ", "through ", "in ", "API"),
    "ga": ("general", "GA"),
    "beta": ("public ", "private ", "open ", "closed ", "beta"),
    "preview": ("research ", "developer ", "public ", "technical ", "preview"),
    "waitlist": ("wait",),
    "region": ("available", "launch", "roll", "coming"),
}

# Each list of rules runs as one alternation, one pass over the text whatever the number of rules.
_FIGURE_GROUPS: dict[str, str] = {kind: f"(?P<{kind}>{pattern})" for kind, _label, pattern in FIGURE_RULES}
_SIGNAL_GROUPS: dict[str, str] = {kind: f"(?P<{kind}>(?i:{pattern}))" if folded else f"(?P<{kind}>{pattern})"
                                  for kind, _label, pattern, folded in SIGNAL_RULES}
_FOLDED = frozenset(kind for kind, _label, _pattern, folded in SIGNAL_RULES if folded)
_NEEDS: dict[str, tuple[re.Pattern[str], ...]] = {
    kind: tuple(re.compile(f"(?i:{need})" if kind in _FOLDED else need) for need in needs)
    for kind, needs in RULE_NEEDS.items()}
_LABELS: dict[str, str] = ({kind: label for kind, label, _pattern in FIGURE_RULES}
                           | {kind: label for kind, label, _pattern, _folded in SIGNAL_RULES})
_DIGIT = re.compile(r"\d")

_CHECKS: dict[str, str] = {
    "licence": "read the licence's terms before building on it commercially",
    "open_weights": "check the weights' licence and the hardware they need before self-hosting",
    "beta": "it is in beta: expect changes before relying on it in production",
    "preview": "it is a preview: check its limits and terms before relying on it in production",
    "waitlist": "access is through a waitlist, so plan for not having it yet",
    "region": "check that it is offered where you and your users are",
    "price": "compare the quoted price with what your current usage costs",
    "benchmark": "benchmark scores are the maker's own: rerun them on your tasks",
}


@dataclass(frozen=True)
class Fact:
    """One thing the story says: what kind, the words that say it, and the sentence they come from."""

    kind: str
    label: str
    text: str
    sentence: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text, "sentence": self.sentence}


@dataclass(frozen=True)
class StoryFacts:
    figures: tuple[Fact, ...]
    signals: tuple[Fact, ...]

    @property
    def all(self) -> tuple[Fact, ...]:
        return self.figures + self.signals

    def checks(self) -> list[str]:
        """The "what to check" lines the facts support, each at most once, in rule order."""
        kinds = {f.kind for f in self.all}
        return [line for kind, line in _CHECKS.items() if kind in kinds]


@cache
def _alternation(kinds: tuple[str, ...], signals: bool) -> re.Pattern[str]:
    """The rules of `kinds`, in rule order, as one pattern (at most 2⁸ of each list, compiled once)."""
    groups = _SIGNAL_GROUPS if signals else _FIGURE_GROUPS
    return re.compile("|".join(groups[kind] for kind in kinds))


def _possible(kinds: Iterable[str], text: str) -> tuple[str, ...]:
    """The kinds, in order, whose every needed pattern occurs in `text` (see `RULE_NEEDS`)."""
    return tuple(kind for kind in kinds if all(need.search(text) for need in _NEEDS[kind]))


def _signal_starts(kinds: tuple[str, ...], text: str) -> list[int] | None:
    """Every place a signal of `kinds` may start (see `SIGNAL_STARTS`), in order; None when the text has a
    letter that case folding and `str.lower` treat differently (then every position is tried)."""
    folded = _FOLDED.intersection(kinds)
    lowered = lowered_as_patterns_fold(text) if folded else text
    if lowered is None:
        return None
    starts: set[int] = set()
    for kind in kinds:
        haystack = lowered if kind in folded else text
        for word in SIGNAL_STARTS[kind]:
            at = haystack.find(word)
            while at >= 0:
                starts.add(at)
                at = haystack.find(word, at + 1)
    return sorted(starts)


def _matches_from(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, trying only `starts` (all positions when None): from each
    match's end, the next match is the first that succeeds at a later start. No rule matches empty."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            end = match.end()
            yield match


def _figures(text: str, finder: SentenceFinder) -> list[Fact]:
    if not _DIGIT.search(text):
        return []  # every figure has a digit
    kinds = _possible(_FIGURE_GROUPS, text)
    if not kinds:
        return []
    found: list[Fact] = []
    seen: set[str] = set()
    for match in _alternation(kinds, False).finditer(text):
        kind, words = match.lastgroup or "", match.group(0).strip()
        if words in seen:
            continue
        sentence = finder.around(*match.span())
        if sentence is not None:
            seen.add(words)
            found.append(Fact(kind, _LABELS[kind], words, sentence))
            if len(found) == MAX_FACTS:
                break
    return found


def _signals(text: str, finder: SentenceFinder) -> list[Fact]:
    kinds = _possible(_SIGNAL_GROUPS, text)
    found: dict[str, Fact] = {}
    if not kinds:
        return []
    for match in _matches_from(_alternation(kinds, True), text, _signal_starts(kinds, text)):
        kind = match.lastgroup or ""
        if kind in found:
            continue  # one quote per kind of signal
        sentence = finder.around(*match.span())
        if sentence is not None:
            found[kind] = Fact(kind, _LABELS[kind], match.group(0).strip(), sentence)
            if len(found) == len(kinds):
                break  # every later match is of a kind already quoted
    return list(found.values())


def story_text(title: str, summary: str, body: str) -> str:
    """The story's own words as facts and grounding read them: title, the summary unless the body
    starts with it (as a lead taken for the summary does), then the body; capped."""
    parts = [title.strip().rstrip(".") + "." if title.strip() else ""]
    if summary and not repeats_body(summary, body):
        parts.append(summary)
    parts.append(body)
    return " ".join(p for p in parts if p)[:MAX_TEXT_CHARS]


def extract_facts(text: str) -> StoryFacts:
    """The figures and signals of `text` (plain text, capped), in order of appearance."""
    text = text[:MAX_TEXT_CHARS]
    finder = SentenceFinder(text)
    return StoryFacts(tuple(_figures(text, finder)), tuple(_signals(text, finder)))
