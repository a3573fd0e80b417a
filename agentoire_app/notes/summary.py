"""The summary under an article's title: one or two sentences of its own text, never a copy of the body.

The feed's dek (its `summary`, when it differs from the content) is used when it is a real one: it has a
story sentence once boilerplate is gone and is not just the start of the body. Otherwise the lead of the
body is used (most news feeds send only a description, so the lead is all the summary they have), and
the article page shows the body without it (`body_without_summary`): the same words are never shown
twice, and a body that was only its lead shows as the summary alone.
"""

from __future__ import annotations

import html
import re

from ..models.text import shorten
from .sentences import story_sentences

MAX_SENTENCES = 2
MAX_SUMMARY_CHARS = 320
MIN_SENTENCE_CHARS = 25
# Two sentences of at most MAX_SUMMARY_CHARS lie within this much of the start (some boilerplate before
# them included); segmenting no further keeps the cost per entry small and flat.
SCAN_CHARS = 800

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
    # Normalizing only shrinks text, and markup-free text is rarely more than a quarter punctuation.
    return bool(wanted) and _normalized(body_text[:len(summary) * 4 + 200]).startswith(wanted)


def make_summary(*, dek_text: str, body_text: str) -> str:
    """One or two sentences for the summary slot, from the dek when it is real, else the body's lead."""
    if dek_text:
        from_dek = _first_sentences(dek_text)
        if from_dek and not repeats_body(from_dek, body_text):
            return from_dek
    return _first_sentences(body_text) if body_text else ""


_TAG = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"\w+")
_SENTENCE_TAIL = re.compile(r"[^\w\s]*\s*")
_EMPTY_ELEMENT = re.compile(r"<(p|a|b|i|em|strong|span|h[1-6]|li|blockquote|div)\b[^>]*>\s*</\1>")
# The lead is looked for near the start only: a summary comes from the first sentences, after at most a
# kicker or some boilerplate, and a bounded search keeps a long body cheap.
LEAD_SEARCH_WORDS = 200


def body_without_summary(summary: str, content_html: str) -> str:
    """The body to show under `summary`: its HTML without the words the summary already gives.

    The summary's words are found in order among the body's first words (ignoring case, punctuation and
    markup) and cut from the text between the tags, which stay; elements left empty go. A summary cut
    short with an ellipsis takes the rest of its last sentence with it. When nothing but markup is left,
    the body is "" (only the summary is shown). A summary not found at the start leaves the body whole.
    """
    wanted = _normalized(summary.rstrip("…")).split()
    if not wanted or not content_html:
        return content_html
    parts = _TAG.split(content_html)  # text at even indexes, tags at odd ones
    texts = {i: html.unescape(parts[i]) for i in range(0, len(parts), 2)}
    words = [(i, m.start(), m.end(), m.group().lower()) for i, text in texts.items() for m in _WORD.finditer(text)]
    start = _find_words(wanted, words, shortened=summary.endswith("…"))
    if start is None:
        return content_html
    end = start + len(wanted)
    if summary.endswith("…"):
        while end < len(words) and not _ends_sentence(texts, words[end - 1]):
            end += 1
    first, last = words[start], words[end - 1]
    tail = _SENTENCE_TAIL.match(texts[last[0]], last[2])
    cut_to = tail.end() if tail else last[2]
    for i in range(first[0], last[0] + 1, 2):
        text = texts[i]
        begin = first[1] if i == first[0] else 0
        stop = cut_to if i == last[0] else len(text)
        parts[i] = html.escape(text[:begin] + text[stop:], quote=False)
    shown = "".join(parts)
    while (emptied := _EMPTY_ELEMENT.sub("", shown)) != shown:
        shown = emptied
    return shown if _WORD.search(html.unescape(_TAG.sub("", shown))) else ""


def _find_words(wanted: list[str], words: list[tuple[int, int, int, str]], *, shortened: bool) -> int | None:
    """Where `wanted` starts in `words` (the last word may be cut short when the summary was)."""
    for start in range(min(len(words) - len(wanted) + 1, LEAD_SEARCH_WORDS)):
        if all(words[start + k][3] == w for k, w in enumerate(wanted[:-1])):
            last = words[start + len(wanted) - 1][3]
            if last == wanted[-1] or (shortened and last.startswith(wanted[-1])):
                return start
    return None


def _ends_sentence(texts: dict[int, str], word: tuple[int, int, int, str]) -> bool:
    after = texts[word[0]][word[2]:word[2] + 2]
    return after[:1] in {".", "!", "?"} and (len(after) == 1 or after[1].isspace())
