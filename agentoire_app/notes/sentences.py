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


BOILERPLATE = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"^the post\b.{0,400}\bappeared first on\b",
    r"\bappeared first on\b",
    r"^(?:subscribe|sign up|click here|follow us|share this|advertisement)\b",
    r"^(?:read more|continue reading|read the full|keep reading)\b",
    r"(?:read more|continue reading)\W{0,5}$",
    r"^by [A-Z][\w.'-]{0,40}(?: [A-Z][\w.'-]{0,40}){0,3}\W{0,3}$",
    r"^(?:image|photo|photograph|illustration|video)(?: credit)?s?\s?:",
    r"\b(?:getty images|shutterstock|via reuters|ap photo)\b\W{0,3}$",
    r"^(?:article url|comments url|points|# comments)\s?:",
    r"\b(?:article|comments) url\s?:|\bpoints\s?:\s?\d|#\s?comments\s?:",
))

# Sentences that speak to a model rather than to readers: instructions planted in a story. They are not the
# story, so neither the facts nor the model's prompt nor the grounding corpus contain them; whatever a
# model copies from them is then unsupported and refused.
PLANTED_INSTRUCTION = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|guidelines)\b",
    r"\b(?:system prompt|developer message|you are now|as an ai (?:model|assistant)|new instructions)\b",
    r"\b(?:language models?|llms?|ai assistants?|chatbots?|summari[sz]ers?)\b.{0,60}\b(?:must|should)\b"
    r".{0,40}\b(?:say|write|state|claim|mention|include|recommend|tell)\b",
))


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
    return any(p.search(sentence) for p in BOILERPLATE)


def is_planted_instruction(sentence: str) -> bool:
    return any(p.search(sentence) for p in PLANTED_INSTRUCTION)


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
