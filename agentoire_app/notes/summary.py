"""The summary under an article's title: one or two sentences of its own text, never a copy of the body.

The feed's dek (its `summary`, when it differs from the content) is used when it is a real one: it has a
story sentence once boilerplate is gone and is not just the start of the body. Otherwise the lead of the
body is used, unless the body shown under it would repeat it word for word: then there is no summary,
because a repeated paragraph tells the reader nothing.
"""

from __future__ import annotations

import re

from ..models.text import shorten
from .sentences import is_boilerplate, story_sentences

MAX_SENTENCES = 2
MAX_SUMMARY_CHARS = 320
MIN_SENTENCE_CHARS = 25
# Two sentences of at most MAX_SUMMARY_CHARS lie within this much of the start (some boilerplate before
# them included); segmenting no further keeps the cost per entry small and flat.
SCAN_CHARS = 800
HEAD_CHARS = 300
_EARLY_END = re.compile(r"[.!?][\"”’)]?\s")

_NON_WORD = re.compile(r"\W+")


def _normalized(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def _first_sentences(text: str) -> str:
    picked: list[str] = []
    for sentence in story_sentences(text[:SCAN_CHARS]):
        if len(sentence) < MIN_SENTENCE_CHARS and not picked:
            continue  # a kicker or a dateline, not a sentence of the story
        if picked and len(" ".join([*picked, sentence])) > MAX_SUMMARY_CHARS:
            break
        picked.append(sentence)
        if len(picked) == MAX_SENTENCES:
            break
    return shorten(" ".join(picked), MAX_SUMMARY_CHARS)


def repeats_body(summary: str, body_text: str) -> bool:
    """True when `summary` is the body, or the start of it (ignoring case, punctuation and the ellipsis)."""
    wanted = _normalized(summary.rstrip("…"))
    return bool(wanted) and _normalized(body_text).startswith(wanted)


def _lead_is_the_start(body_text: str) -> bool:
    """True when the body's first sentence is surely its lead: no boilerplate near the start and no short
    kicker. Then a summary from the lead would be the body's own start, and no segmenting is needed to
    know it (pysbd costs milliseconds per entry; this costs microseconds)."""
    head = body_text[:HEAD_CHARS]
    early = _EARLY_END.search(head)
    if early and early.start() < MIN_SENTENCE_CHARS:
        return False
    return not is_boilerplate(head)


def make_summary(*, dek_text: str, body_text: str) -> str:
    """One or two sentences for the summary slot, from the dek when it is real, else the body's lead."""
    if dek_text:
        from_dek = _first_sentences(dek_text)
        if from_dek and not repeats_body(from_dek, body_text):
            return from_dek
    if not body_text or _lead_is_the_start(body_text):
        return ""
    from_body = _first_sentences(body_text)
    if not from_body or repeats_body(from_body, body_text):
        return ""
    return from_body
