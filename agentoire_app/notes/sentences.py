"""Sentences of plain text, with the boilerplate feeds wrap around stories taken out.

One linear rule splits sentences everywhere (summaries, facts, the model's corpus): a sentence ends at
. ! or ? before a space and a capital, a digit or an opening quote, unless the word before it is an
initial or a common abbreviation, so decimals, "U.S." and "Dr. Smith" do not end one. pysbd was tried and
dropped: it recompiles its own patterns on every call (milliseconds per entry, several times the cost of
parsing the whole feed), and on real news leads it agreed with this rule on 224 of 243 items, the rest
mostly URLs ("item?id=…") that it cut in two. The input is capped: we only ever read an article's start.
"""

from __future__ import annotations

import re

MAX_TEXT_CHARS = 6000
WINDOW_CHARS = 250

# Sentences that are the feed's wrapping, not the story: WordPress footers, calls to action, bylines,
# image credits, link-post scaffolding (Hacker News). Each is anchored and has no nested quantifier.
# A sentence ends at . ! or ? (maybe closed by a quote or bracket) before a space and a capital, digit or
# opening quote (or a "|" that sets off a caption); not after an initial ("U.S.", "J. Smith") or a common
# abbreviation. Every quantifier is bounded, so the scan stays linear.
_BOUNDARY = re.compile(r"[.!?][\"'”’)]{0,2}\s{1,5}(?=(?:\|\s{0,3})?[\"'“‘(]?[A-Z0-9])")
_NOT_AN_END = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Inc|Ltd|Co|Corp|St|vs|etc|No|Jr|Sr|Gen|Sen|Rep))\.$")


def ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether a `_BOUNDARY` match in `text` really ends a sentence (not an initial or an abbreviation)."""
    return not _NOT_AN_END.search(text[max(0, match.start() - 6):match.start() + 1])


# Each pattern with the words (lower case) one of which every match of it contains, for the patterns that may
# match anywhere: a sentence holding none of them skips that pattern's scan of every position, which is
# most of the cost of reading a story. Anchored patterns ("^…") are tried at the start only and need none.
_BOILERPLATE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"^the post\b.{0,400}\bappeared first on\b", ()),
    (r"\bappeared first on\b", ("appeared first on",)),
    (r"^(?:subscribe|sign up|click here|follow us|share this|advertisement)\b", ()),
    (r"^(?:read more|continue reading|read the full|keep reading)\b", ()),
    (r"(?:read more|continue reading)\W{0,5}$", ("read more", "continue reading")),
    (r"^by [A-Z][\w.'-]{0,40}(?: [A-Z][\w.'-]{0,40}){0,3}\W{0,3}$", ()),
    (r"^(?:image|photo|photograph|illustration|video)(?: credit)?s?\s?:", ()),
    (r"\b(?:getty images|shutterstock|via reuters|ap photo)\b\W{0,3}$",
     ("getty images", "shutterstock", "via reuters", "ap photo")),
    (r"^(?:article url|comments url|points|# comments)\s?:", ()),
    (r"\b(?:article|comments) url\s?:|\bpoints\s?:\s?\d|#\s?comments\s?:", ("url", "points", "comments")),
)
BOILERPLATE = tuple(re.compile(p, re.IGNORECASE) for p, _words in _BOILERPLATE_RULES)

# Sentences that speak to a model rather than to readers: instructions planted in a story. They are not the
# story, so neither the facts nor the model's prompt nor the grounding corpus contain them; whatever a
# model copies from them is then unsupported and refused.
_PLANTED_INSTRUCTION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|guidelines)\b",
     ("ignore", "disregard", "forget", "override")),
    (r"\b(?:system prompt|developer message|you are now|as an ai (?:model|assistant)|new instructions)\b",
     ("system prompt", "developer message", "you are now", "as an ai ", "new instructions")),
    (r"\b(?:language models?|llms?|ai assistants?|chatbots?|summari[sz]ers?)\b.{0,60}\b(?:must|should)\b"
     r".{0,40}\b(?:say|write|state|claim|mention|include|recommend|tell)\b",
     ("language model", "llm", "ai assistant", "chatbot", "summari")),
)
PLANTED_INSTRUCTION = tuple(re.compile(p, re.IGNORECASE) for p, _words in _PLANTED_INSTRUCTION_RULES)

# The only characters a case-insensitive pattern takes for an ASCII letter that `str.lower` does not make one:
# dotted and dotless i, long s (`İ` also lowers to two characters, which would shift positions).
_FOLDS_BEYOND_LOWER = re.compile("[\u0130\u0131\u017f]")


def lowered_as_patterns_fold(text: str) -> str | None:
    """`text.lower()`, position for position, in which an ASCII word (lower case) occurs wherever a
    case-insensitive pattern finds it in `text`; None when `text` holds a letter the two fold apart."""
    return None if _FOLDS_BEYOND_LOWER.search(text) else text.lower()


def _matches_any(patterns: tuple[re.Pattern[str], ...], rules: tuple[tuple[str, tuple[str, ...]], ...],
                 sentence: str) -> bool:
    lowered = lowered_as_patterns_fold(sentence)
    for pattern, (_source, words) in zip(patterns, rules, strict=True):
        if words and lowered is not None and not any(word in lowered for word in words):
            continue  # the pattern cannot match without one of its words
        if pattern.search(sentence):
            return True
    return False


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` (capped), stripped, without empty ones; one pass over the text."""
    text = text[:MAX_TEXT_CHARS].strip()
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if ends_sentence(text, match):
            sentences.append(text[start:match.end()].strip())
            start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def is_boilerplate(sentence: str) -> bool:
    return _matches_any(BOILERPLATE, _BOILERPLATE_RULES, sentence)


def is_planted_instruction(sentence: str) -> bool:
    return _matches_any(PLANTED_INSTRUCTION, _PLANTED_INSTRUCTION_RULES, sentence)


def story_sentences(text: str) -> list[str]:
    """The sentences of `text` that belong to the story: no boilerplate, no instructions aimed at a model."""
    return [s for s in split_sentences(text) if not is_boilerplate(s) and not is_planted_instruction(s)]




class SentenceFinder:
    """The sentence around a span of `text`, found by looking only near it.

    Facts are found by scanning the whole text with flat patterns, so a sentence is only needed where one
    matches; quoting a fact needs only its sentence's two ends, which the sentence rule finds in a bounded
    window around it.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def around(self, start: int, end: int) -> str | None:
        """The sentence holding text[start:end], or None when it is boilerplate or a planted instruction."""
        text = self.text
        lo, hi = max(0, start - WINDOW_CHARS), min(len(text), end + WINDOW_CHARS)
        first = lo
        if lo > 0:  # start on a word, not inside one
            space = text.find(" ", lo, start)
            first = space + 1 if space >= 0 else lo
        for match in _BOUNDARY.finditer(text, lo, start):
            if ends_sentence(text, match):
                first = match.end()
        last = hi
        for match in _BOUNDARY.finditer(text, end, hi):
            if ends_sentence(text, match):
                last = match.end()
                break
        sentence = text[first:last].strip()
        if is_boilerplate(sentence) or is_planted_instruction(sentence):
            return None
        return sentence
