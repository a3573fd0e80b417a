"""Is a model's text grounded? Every number, version and proper name in it must come from our sources.

The sources are the story's own sentences (planted instructions already removed), the facts drawn from
them and the catalog entries of the tools it mentions. What is checked:
- numbers (amounts, percentages, sizes, versions, years): the digits must appear in the sources;
- proper names: runs of two or more capitalised words, and single capitalised words inside a sentence,
  must appear in the sources (case-insensitively), unless they are ordinary capitalised words
  (`ALWAYS_ALLOWED`);
- links: any URL or domain must appear in the sources.
Anything else is the model's own wording and is fine. Patterns are flat, inputs capped: linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_CHECK_CHARS = 8000

_NUMBER = re.compile(r"\d[\d,.]{0,20}\d|\d")
_NAME_RUN = re.compile(r"[A-Z][\w'’&-]{0,40}(?:[ ](?:of |de |for |and |& )?[A-Z][\w'’&-]{0,40}){1,6}")
_WORD = re.compile(r"\b[A-Z][\w'’-]{2,40}")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?:])|(?<=[.!?:][\"”’)]))\s")
_URL = re.compile(r"\bhttps?://[^\s<>\"')]{1,200}|\b[a-z0-9-]{1,60}\.(?:com|org|net|io|ai|dev|app|co)\b",
                  re.IGNORECASE)
_SPACES = re.compile(r"\s+")

# Capitalised words a practitioner's paragraph may use without a source: pronouns and sentence openers
# that start a run ("The", "For"), and the trade's common nouns.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LEADING_WORDS = _words("""
a an the this that these those it its their there here for in on at as if when while with without and but or
so to of by from after before teams developers builders practitioners anyone readers users you your we our
""")
ALWAYS_ALLOWED = _words("""
ai api apis llm llms gpu gpus cpu cpus npu ml sdk sdks cli ide rag json http https url urls open source
i you we they he she it teams developers practitioners builders users readers note check what why how
english european american chinese cloud
""")


def _normalized(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("’", "'")).strip()


def _digits(number: str) -> str:
    return number.replace(",", "").rstrip(".")


class Corpus:
    """The texts a model's notes may draw names and numbers from, indexed once per article."""

    def __init__(self, texts: Iterable[str]) -> None:
        joined = " \n ".join(t for t in texts if t)
        self.text = _normalized(joined)
        self.numbers = {_digits(n) for n in _NUMBER.findall(joined)}

    def has_number(self, number: str) -> bool:
        return _digits(number) in self.numbers

    def has_phrase(self, phrase: str) -> bool:
        return _normalized(phrase) in self.text


_POSSESSIVE = re.compile(r"['’]s\b")


def _strip_leading(run: str) -> str:
    words = _POSSESSIVE.sub("", run).split(" ")
    while words and words[0].lower() in LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


def ungrounded(output: str, corpus: Corpus) -> list[str]:
    """What in `output` our sources do not support (empty: grounded), each named once, in order."""
    text = output[:MAX_CHECK_CHARS]
    problems: list[str] = []

    def flag(kind: str, value: str) -> None:
        item = f"{kind} {value!r}"
        if item not in problems:
            problems.append(item)

    for number in _NUMBER.findall(text):
        if not corpus.has_number(number):
            flag("number", number)
    for url in _URL.findall(text):
        if not corpus.has_phrase(url):
            flag("link", url)
    for match in _NAME_RUN.finditer(text):
        name = _strip_leading(match.group(0).rstrip(".'’-"))
        if " " in name and not corpus.has_phrase(name):
            words = [w for w in name.split(" ") if w.lower() not in ALWAYS_ALLOWED and w.lower() not in LEADING_WORDS]
            if any(not corpus.has_phrase(w) for w in words):
                flag("name", name)
        elif name and name.lower() not in ALWAYS_ALLOWED and not corpus.has_phrase(name):
            flag("name", name)
    for sentence in _SENTENCE_END.split(text):
        for match in _WORD.finditer(sentence.strip()):
            if match.start() == 0:
                continue  # a sentence's first word is capitalised anyway
            word = _POSSESSIVE.sub("", match.group(0)).rstrip(".'’-")
            if word.lower() in ALWAYS_ALLOWED or word.lower() in LEADING_WORDS or corpus.has_phrase(word):
                continue
            flag("name", word)
    return problems
