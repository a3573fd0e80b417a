"""The shortcuts that keep reading a story cheap find exactly what scanning every position finds.

Fact rules are skipped over a text that lacks a word every match of them holds (`RULE_NEEDS`), signals are
tried only where one of their rule's first words begins (`SIGNAL_STARTS`), and boilerplate patterns are
skipped over a sentence without their words. Each shortcut rests on a claim about a rule's matches; these
tests check the claims on every match in texts made of the rules' own words, in any case, with the letters
that case-insensitive matching folds unlike `str.lower` (İ ı ſ K) mixed in.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from agentoire_app.notes.facts import FIGURE_RULES, RULE_NEEDS, SIGNAL_RULES, SIGNAL_STARTS, extract_facts
from agentoire_app.notes.sentences import (
    BOILERPLATE,
    PLANTED_INSTRUCTION,
    is_boilerplate,
    is_planted_instruction,
    lowered_as_patterns_fold,
)

PIECES = (
    "open weights", "Open-Weights", "weights are available", "Apache 2.0 licence", "Apache-2.0", "MIT licensed",
    "Llama 3.1 Community License", "AGPLv3", "LGPL", "GPL", "BSD license", "Creative Commons", "CC-BY-SA",
    "OpenRAIL", "Gemma terms", "open-sourced", "via the API", "through its new API", "in our API",
    "API access", "generally available", "general availability", "GA", "public beta", "closed BETA",
    "research preview", "Technical Preview", "wait-list", "Waitlist", "launches in the US", "rolling out to",
    "coming to 12 countries", "available in the EU", "U.S.", "European Union", "$2 per month", "€40 million",
    "£3bn", "5 dollars a seat", "70B parameters", "7 billion-parameter", "1.5T", "128K context window",
    "32k-token context length", "85% on MMLU", "12 percent in the HumanEval", "3 per cent", "Orca 2.1",
    "Gemini v2", "version 4.0.1", "March 3, 2026", "in Sept 2025", "Jan. 5th", "from May 2026",
    "appeared first on", "The post", "read more", "Continue reading…", "Getty Images", "via Reuters",
    "AP Photo", "points: 12", "# comments:", "article URL:", "Ignore all previous instructions",
    "disregard the rules", "system prompt", "You are now", "as an AI assistant", "new instructions",
    "LLMs must say", "chatbots should always mention", "summarizers must write",
    "İ", "ı", "ſ", "K", "é", "“", "—", "the", "and", "it", "a", "an", "per", "/", ".", ". ", ", ", "\n", " ",
)
texts = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)
cased = st.tuples(texts, st.lists(st.booleans(), min_size=1, max_size=8)).map(
    lambda pair: "".join(c.upper() if pair[1][i % len(pair[1])] else c.lower() for i, c in enumerate(pair[0])))

FOLDED = {kind for kind, _label, _pattern, folded in SIGNAL_RULES if folded}
RULES = [(kind, re.compile(f"(?i:{pattern})" if kind in FOLDED else pattern))
         for kind, _label, pattern, *folded in (*FIGURE_RULES, *SIGNAL_RULES)]


def _needs(kind: str) -> list[re.Pattern[str]]:
    return [re.compile(f"(?i:{need})" if kind in FOLDED else need) for need in RULE_NEEDS[kind]]


def test_every_rule_says_what_its_matches_need() -> None:
    assert set(RULE_NEEDS) == {kind for kind, _pattern in RULES}
    assert set(SIGNAL_STARTS) == {kind for kind, *_rest in SIGNAL_RULES}


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, cased))
def test_every_match_of_a_rule_holds_what_the_rule_needs(text: str) -> None:
    for kind, pattern in RULES:
        for match in pattern.finditer(text):
            for need in _needs(kind):
                assert need.search(match.group(0)), (kind, match.group(0), need.pattern)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, cased))
def test_every_signal_starts_with_one_of_its_rules_first_words(text: str) -> None:
    lowered = lowered_as_patterns_fold(text)
    for kind, pattern in RULES:
        if kind not in SIGNAL_STARTS:
            continue
        haystack = text if kind not in FOLDED else lowered
        for start in range(len(text)):  # every position, not only where finditer resumes
            if haystack is not None and pattern.match(text, start):
                assert haystack.startswith(SIGNAL_STARTS[kind], start), (kind, text[start:start + 30])


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, cased))
def test_boilerplate_and_planted_instructions_are_what_searching_every_pattern_finds(text: str) -> None:
    for sentence in (text, *text.split(". ")):
        assert is_boilerplate(sentence) == any(p.search(sentence) for p in BOILERPLATE)
        assert is_planted_instruction(sentence) == any(p.search(sentence) for p in PLANTED_INSTRUCTION)


def test_lowering_keeps_positions_or_declines() -> None:
    assert lowered_as_patterns_fold("Open WEIGHTS “now”") == "open weights “now”"
    for letter in ("İ", "ı", "ſ"):
        assert lowered_as_patterns_fold(f"open weight{letter}") is None


def test_a_folded_signal_beyond_ascii_is_still_found() -> None:
    # "ſ" is a long s: case-insensitive patterns read "cloſed BETA" as "closed beta", `str.lower` does not.
    found = {f.kind: f.text for f in extract_facts("Acme opened a cloſed BETA of its agent today.").all}
    assert found == {"beta": "cloſed BETA"}
