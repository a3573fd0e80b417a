"""Which catalog tools a story mentions: token lookup, fast for ten thousand names.

The text is cut into word tokens once ("llama.cpp", "GPT-4", "Character.AI" stay whole; trailing
punctuation and possessive "'s" do not stick). Every tool name is tokenized the same way and stored under
its lower-cased token tuple, so finding mentions costs a few dictionary lookups per token, whatever the
size of the catalog.

Names that are also ordinary words need care. The rule, applied per name:
- a one-word name that is a common English word (`COMMON_WORDS`) or has at most three letters
  ("Cursor", "Continue", "Jan", "Phoenix", "Haystack", "Copilot", "Pi", "LLM") matches only in the
  catalog's exact case *and* with a qualifier within three tokens on either side: an AI word
  ("AI", "agent", "IDE", "editor", "model", "app", "SDK", …, `QUALIFIERS`) or a version number right
  after it ("Llama 3", "Whisper v3"; not for month names: "Jan 15" is a date);
- a name made only of common words ("Open Notebook", "Magic Eraser") matches only in exact case;
- any other name ("Ollama", "LangChain", "Claude", "llama.cpp") matches regardless of case.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F](?:[0-9A-Za-z\u00C0-\u024F.+#·_-]*[0-9A-Za-z\u00C0-\u024F+#])?")
_VERSION = re.compile(r"^(v\d+(\.\d+)*|\d{1,2}(\.\d+)*[a-z]?|\d+\.\d+(\.\d+)*)$", re.IGNORECASE)
# Month names take no version qualifier: "Jan 15" is a date, not a release of Jan.
_MONTHS = frozenset(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))
WINDOW = 3
MAX_NAME_TOKENS = 6


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())

COMMON_WORDS = _words("""
about above action active agent agents air alpaca answer apollo apple arc arena atlas aura autopilot bard bark
base beacon bee bird blaze bloom blue board bolt book box brain bridge bright buddy builder canvas capture
cascade chain chat clay clear clickable cloud coach code comet compass compose consensus continue copilot
core craft crew cursor dash data dawn deep delta devin dorothy draft dream drift echo edge elicit ember
engine epic exa explorer eye fable falcon fast field fire flash flow flux focus forefront forge frame
gamma garden gemini genie ghost glass glide gpt grace graph grid grok guide harbor harmony haystack helix
hermes hive hub humane idea ink insight iris jan jasper journey keeper kilo lab lantern lavender leap lens
lex light lily linear link llama loom loop lucid ludwig magic manifest map maple mark matrix max mem memo
mentor merlin notebook mercury mind mint mirror mistral mosaic muse napkin nest neural nexus noble north notion nova
oasis ocean octopus olive omni opal open orbit orchestra otter pace palm parrot path pearl phoenix pi pilot
pine pixel plan playground poe polaris prism prompt pulse quest quill radar rain raven ray reach read
reflex relay replica rewind ripple river robin rocket rover runway sage scale scenario scout scribe
sense shadow shell shift signal silk sketch sky slate snap solar sonic spark sphere spirit spring
stack star steel storm story stream studio summit sun surf swift sync tabby tango taskade tempo
terminal thread tide token tower trace trail tree tribe true unity vault vector venture verse vibe
vision voice vortex wave whisper wind wing wise wonder wordtune world write zen zero
""")

QUALIFIERS = _words("""
ai agent agents agentic assistant assistants app apps bot chatbot model models llm llms ide editor
editors tool tools sdk api apis cli framework frameworks library libraries plugin plugins extension
extensions startup platform open-source github repo release released launches launched version vs
coding code copilot gpt openai anthropic google microsoft meta mistral nvidia hugging huggingface
""")


@contextmanager
def collector_paused() -> Iterator[None]:
    """For building or loading a whole catalog: a hundred thousand small objects made at once trigger a full
    garbage collection every few thousand, each walking all made before (superlinear: 2 s to load 100,000
    names against 0.2 s with the collector paused). Nothing made here is garbage, so pausing loses nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


class _Name(NamedTuple):
    """A tuple, not a frozen dataclass: a catalog of 100,000 names is built in every refresh and unpickled
    in every parse worker, and a tuple costs a third of the time both ways."""

    tool_id: int
    tokens: tuple[str, ...]
    exact_case: bool
    needs_qualifier: bool


def _rule_for(tokens: list[str]) -> tuple[bool, bool]:
    lowered = [t.lower() for t in tokens]
    if len(tokens) == 1:
        common = lowered[0] in COMMON_WORDS or (len(lowered[0]) <= 3 and lowered[0].isalpha())
        return common, common
    all_common = all(t in COMMON_WORDS for t in lowered)
    return all_common, False


class ToolMatcher:
    """Built once per refresh from (tool id, name) pairs; `find` returns tool ids in order of mention."""

    def __init__(self, tools: Iterable[tuple[int, str]]) -> None:
        self._by_key: dict[tuple[str, ...], list[_Name]] = {}
        self._first_tokens: set[str] = set()
        self._longest = 1
        for tool_id, name in tools:
            tokens = tokenize(name)
            if not tokens or len(tokens) > MAX_NAME_TOKENS:
                continue
            exact, qualify = _rule_for(tokens)
            key = tuple(t.lower() for t in tokens)
            self._by_key.setdefault(key, []).append(_Name(tool_id, tuple(tokens), exact, qualify))
            self._first_tokens.add(key[0])
            self._longest = max(self._longest, len(key))

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def find(self, text: str) -> list[int]:
        tokens = tokenize(text)
        if not tokens or not self._by_key:
            return []
        lowered = [t.lower() for t in tokens]
        found: list[int] = []
        seen: set[int] = set()
        for i, first in enumerate(lowered):
            if first not in self._first_tokens:
                continue
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                names = self._by_key.get(tuple(lowered[i:i + n]))
                if not names:
                    continue
                for name in names:
                    if name.tool_id in seen or not self._accepts(name, tokens, lowered, i, n):
                        continue
                    seen.add(name.tool_id)
                    found.append(name.tool_id)
        return found

    @staticmethod
    def _accepts(name: _Name, tokens: list[str], lowered: list[str], i: int, n: int) -> bool:
        if name.exact_case and tuple(tokens[i:i + n]) != name.tokens:
            return False
        if not name.needs_qualifier:
            return True
        around = lowered[max(0, i - WINDOW):i] + lowered[i + n:i + n + WINDOW]
        if any(t in QUALIFIERS for t in around):
            return True
        if lowered[i] in _MONTHS:
            return False
        following = lowered[i + n:i + n + 1]
        return bool(following and _VERSION.match(following[0]))
