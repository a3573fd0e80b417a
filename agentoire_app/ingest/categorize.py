"""A story's category from a transparent, ordered rule set, with the reason it was chosen.

The rules are data (`RULES`): each category lists the words that file a story under it. The title is
read first: the first rule (in order) with a word in the title wins. Only when no rule matches the title
is the story text read, the same way. Nothing matched: `FALLBACK`. The order settles conflicts on
purpose: "X raises $50M to launch Y" is funding before product; "a paper on jailbreaks" is safety
before research.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FALLBACK = "industry"

RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("funding", ("raises", "raised", "funding round", "funding", "series a", "series b", "series c", "series d",
                 "seed round", "pre-seed", "valuation", "valued at", "venture capital", "investors", "ipo",
                 "unicorn", "backed by")),
    ("policy", ("regulation", "regulations", "regulator", "regulators", "regulatory", "ai act", "legislation",
                "lawmakers", "congress", "senate", "parliament", "executive order", "government", "governments",
                "lawsuit", "sues", "sued", "court", "judge", "copyright", "antitrust", "ftc", "ban", "bans",
                "banned", "policy", "compliance", "gdpr", "export controls", "white house")),
    ("safety", ("safety", "alignment", "misalignment", "jailbreak", "jailbreaks", "red team", "red-teaming",
                "red teaming", "misuse", "deepfake", "deepfakes", "guardrails", "interpretability",
                "prompt injection", "existential", "catastrophic", "harmful", "bias", "biased",
                "vulnerability", "vulnerabilities", "security", "privacy", "hallucination", "hallucinations")),
    ("research", ("paper", "papers", "arxiv", "study", "researchers", "research", "benchmark", "benchmarks",
                  "dataset", "datasets", "state of the art", "state-of-the-art", "sota", "preprint",
                  "we propose", "we present", "we introduce", "experiments", "neurips", "icml", "iclr",
                  "acl", "cvpr", "theorem", "empirical")),
    ("open-source", ("open source", "open-source", "open sourced", "open-sourced", "open weights",
                     "open-weight", "open-weights", "open model", "github", "apache 2.0", "apache-2.0",
                     "mit license", "permissive license", "weights released", "self-host", "self-hosted")),
    ("hardware", ("gpu", "gpus", "chip", "chips", "chipmaker", "semiconductor", "semiconductors", "tpu", "tpus",
                  "h100", "h200", "b200", "blackwell", "accelerator", "accelerators", "data center",
                  "data centers", "datacenter", "datacenters", "supercomputer", "silicon", "npu")),
    ("business", ("acquires", "acquired", "acquisition", "merger", "partnership", "partners with", "revenue",
                  "earnings", "profit", "layoffs", "lays off", "hires", "ceo", "stock", "shares", "deal",
                  "customers", "enterprise", "market share", "subscribers")),
    ("how-to", ("how to", "tutorial", "guide", "walkthrough", "step-by-step", "step by step", "til",
                "cookbook", "tips", "lessons learned", "notes on")),
    ("product", ("launches", "launched", "launch", "releases", "released", "release", "introduces",
                 "introducing", "announces", "announcing", "unveils", "rolls out", "rolling out", "now available",
                 "available today", "general availability", "beta", "preview", "new feature", "update",
                 "updates", "app", "api", "pricing", "plugin", "extension", "ships")),
)

CATEGORY_DESCRIPTIONS: dict[str, str] = {
    "funding": "money raised, valuations or investors",
    "policy": "laws, regulators, courts or government action",
    "safety": "safety, security, misuse or reliability of AI systems",
    "research": "papers, studies, benchmarks or datasets",
    "open-source": "openly licensed code, models or weights",
    "hardware": "chips, accelerators and data centres",
    "business": "companies, deals, customers and markets",
    "how-to": "a guide or worked example",
    "product": "a launch, release or update of a product",
    FALLBACK: "general AI industry news",
}
CATEGORIES: tuple[str, ...] = (*(name for name, _ in RULES), FALLBACK)
# How much of the title and of the text is read: a story announces its kind early, and the patterns try
# every word at every position, so a bound keeps a hostile megabyte-long "title" cheap.
READ_CHARS = 2000

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                      + r")(?![\w-])", re.IGNORECASE))
    for name, words in RULES
)


@dataclass(frozen=True)
class Categorization:
    category: str
    reason: str


def categorize(title: str, text: str = "") -> Categorization:
    """The category of a story with `title` and plain-text `text`, and why (the rule that filed it)."""
    for where, haystack in (("title", title[:READ_CHARS]), ("text", text[:READ_CHARS])):
        if not haystack:
            continue
        for name, pattern in _PATTERNS:
            found = pattern.search(haystack)
            if found:
                return Categorization(name, f"the {where} says “{found.group(1)}”")
    return Categorization(FALLBACK, "no rule matched")
