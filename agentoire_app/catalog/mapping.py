"""How other lists' categories and headings land on agentoire's taxonomy.

Each list gets an explicit table, read top to bottom by a person: `heading → our slug`. A heading mapped
to `VAGUE` (for instance "AI Agents" or "Other") says nothing precise, so the tool's own words decide
through `KEYWORD_RULES`, with the table's default as the last word. Headings in `NOT_TOOLS` (tables of
contents, reading lists, "more lists") hold no tools and are skipped with everything beneath them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .taxonomy import CATEGORY_SLUGS

VAGUE = "?"  # "look at the tool's words": resolved by `keyword_category`

# Headings whose subtree is not a list of tools.
NOT_TOOLS: frozenset[str] = frozenset({
    "contents", "table of contents", "toc", "recommended reading", "milestones", "learning resources",
    "more lists", "lists on chatgpt", "awesome lists", "related lists", "other lists", "contributing",
    "contribute", "contributors", "license", "licence", "footnotes", "acknowledgements", "citation",
    "star history", "sponsors", "tutorials", "courses", "books", "papers", "articles",
})

# slavakurilyak/awesome-ai-agents: its `categories` values.
AWESOME_AGENTS_CATEGORIES: dict[str, str] = {
    "ai agents": VAGUE,
    "build club": VAGUE,
    "personal assistants": "assistants",
    "hardware (wearables)": "assistants",
    "long-term memory": "agent-frameworks",
    "development frameworks": "agent-frameworks",
    "no-code development frameworks": "agent-frameworks",
    "mobile-friendly frameworks": "agent-frameworks",
    "assistants api": "agent-frameworks",
    "standardization": "agent-frameworks",
    "custom development": "agent-frameworks",
    "real-time": "agent-frameworks",
    "evaluation frameworks": "observability",
    "observability frameworks": "observability",
    "phone calling": "audio-speech",
    "phone number providers": "audio-speech",
    "voice providers": "audio-speech",
    "voice providers (tts models)": "audio-speech",
    "tts models": "audio-speech",
    "transcriber providers": "audio-speech",
    "local inference": "model-runtimes",
    "model providers": "models",
    "model providers with function calling support": "models",
    "model merges": "training",
    "reinforcement learning": "training",
    "reinforcement learning frameworks": "training",
    "function calling": "llm-dev-tools",
    "structured outputs": "llm-dev-tools",
    "ui development": "llm-dev-tools",
    "prompt engineering": "llm-dev-tools",
    "llm-friendly languages": "llm-dev-tools",
    "safety guardrails (safeguarding)": "safety-security",
    "operating system (os)": "browser-automation",
    "web browsing frameworks": "browser-automation",
    "flow engineering (platform engineering)": "coding-agents",
    "terminal-friendly": "coding-agents",
    "bitcoin": "other",
}

# tensorchord/Awesome-LLMOps: headings, deepest first ("security / observability" beats "observability").
LLMOPS_HEADINGS: dict[str, str] = {
    "model / large language model": "models",
    "large language model": "models",
    "cv foundation model": "image-video",
    "audio foundation model": "audio-speech",
    "model": "models",
    "serving": "model-runtimes",
    "large model serving": "model-runtimes",
    "frameworks/servers for serving": "model-runtimes",
    "security": "safety-security",
    "frameworks for llm security": "safety-security",
    "observability": "observability",
    "llmops": VAGUE,
    "search": "vector-databases",
    "vector search": "vector-databases",
    "code ai": "coding-agents",
    "training": "training",
    "ides and workspaces": "training",
    "foundation model fine tuning": "training",
    "frameworks for training": "training",
    "experiment tracking": "training",
    "visualization": "training",
    "model editing": "training",
    "data": "rag-data",
    "data management": "rag-data",
    "data storage": "rag-data",
    "data tracking": "rag-data",
    "feature engineering": "rag-data",
    "data/feature enrichment": "rag-data",
    "large scale deployment": "training",
    "ml platforms": "training",
    "workflow": "other",
    "scheduling": "other",
    "model management": "training",
    "performance": "model-runtimes",
    "ml compiler": "model-runtimes",
    "profiling": "model-runtimes",
    "automl": "training",
    "optimizations": "model-runtimes",
    "federated ml": "training",
}

# steven2358/awesome-generative-ai: "Models" means text models under Text and image models under Image.
GENERATIVE_AI_HEADINGS: dict[str, str] = {
    "text / models": "models",
    "image / models": "image-video",
    "text": VAGUE,
    "chatbots": "assistants",
    "custom interfaces": "assistants",
    "search engines": "research-search",
    "local search engines": "research-search",
    "writing assistants": "productivity",
    "chatgpt extensions": "productivity",
    "productivity": "productivity",
    "meeting assistants": "productivity",
    "academia": "research-search",
    "leaderboards": "observability",
    "other text generators": "productivity",
    "coding": "coding-agents",
    "coding assistants": "coding-agents",
    "developer tools": "llm-dev-tools",
    "playgrounds": "llm-dev-tools",
    "local llm deployment": "model-runtimes",
    "agents": VAGUE,
    "autonomous agents": VAGUE,
    "custom assistants": "assistants",
    "image": "image-video",
    "services": "image-video",
    "graphic design": "image-video",
    "image libraries": "image-video",
    "model libraries": "image-video",
    "stable diffusion resources": "image-video",
    "video": "image-video",
    "avatars": "image-video",
    "animation": "image-video",
    "audio": "audio-speech",
    "text-to-speech": "audio-speech",
    "speech-to-text": "audio-speech",
    "music": "audio-speech",
    "other": VAGUE,
}

# Any other Markdown list: common heading words.
GENERIC_HEADINGS: dict[str, str] = {
    "agents": VAGUE, "frameworks": "agent-frameworks", "agent frameworks": "agent-frameworks",
    "coding": "coding-agents", "coding agents": "coding-agents", "code": "coding-agents",
    "models": "models", "llms": "models", "apis": "models", "inference": "model-runtimes",
    "serving": "model-runtimes", "vector databases": "vector-databases", "rag": "rag-data",
    "observability": "observability", "evaluation": "observability", "evals": "observability",
    "mcp servers": "mcp-servers", "mcp": "mcp-servers", "training": "training", "fine-tuning": "training",
    "browser automation": "browser-automation", "search": "research-search", "research": "research-search",
    "image": "image-video", "video": "image-video", "audio": "audio-speech", "speech": "audio-speech",
    "productivity": "productivity", "security": "safety-security", "safety": "safety-security",
}

# Tried in order on "name + description" when a heading is vague or unknown; first match wins.
KEYWORD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), slug) for pattern, slug in (
        (r"\bmcp\b|model context protocol", "mcp-servers"),
        (r"guardrail|red[- ]team|jailbreak|prompt injection|vulnerabilit|\bllm security\b|\bai safety\b",
         "safety-security"),
        (r"browser automation|automates? (?:the |your )?browser|web browsing|computer use|operate (?:a|your) "
         r"computer|control (?:a|your|the) (?:computer|desktop)", "browser-automation"),
        (r"(?<!low-)(?<!no-)\bcod(?:e|ing)\b|software engineer|programming|pull requests?|\bide\b|\bterminal\b"
         r"|\bcli\b|dev tool|app builder|writes? (?:scalable )?apps", "coding-agents"),
        (r"multi-?agent|multiple (?:ai )?agents|(?:framework|sdk|library|toolkit)\b.{0,40}\bagents?\b"
         r"|\bagents?\b.{0,40}\b(?:framework|sdk|library)\b|build(?:ing)? (?:ai )?agents|agentic", "agent-frameworks"),
        (r"vector (?:db|database|search|store)|embeddings?\b|similarity search", "vector-databases"),
        (r"observab|monitor|tracing|\bevals?\b|evaluat|benchmark|\bexperiment(?:s|ation)?\b", "observability"),
        (r"fine-?tun|\btrain(?:ing)?\b|\brlhf\b|dataset", "training"),
        (r"\brag\b|retrieval|document pars|\bpdf\b|scrap|crawl|knowledge base", "rag-data"),
        (r"speech|voice|\btts\b|text-to-speech|transcri|\baudio\b|music|phone call", "audio-speech"),
        (r"\bimages?\b|\bvideos?\b|text-to-image|\bart\b|photo|avatar|animation|graphic design|3d\b",
         "image-video"),
        (r"\bsearch\b|research|scientific|\bpapers?\b|academ", "research-search"),
        (r"inference|serving|run (?:llms?|models?) locally|local llm|quantiz", "model-runtimes"),
        (r"\bautonomous\b|\bai agents?\b|personal agent", "assistants"),
        (r"machine learning|\bml\b|mlops|kubernetes|pipeline|orchestrat|deploy", "training"),
        (r"langchain|prompt|gateway|structured output|function calling|playground|low-code|no-code|"
         r"framework|\bsdk\b", "llm-dev-tools"),
        (r"sales|marketing|e-?mail|meeting|writing|customer|support|productivity|workflow|\bnotes\b|recruit"
         r"|\btasks?\b", "productivity"),
        (r"assistant|chatbot|\bchat\b|companion", "assistants"),
        (r"language model|\bllm\b|foundation model|\bapi\b", "models"),
    )
)


def keyword_category(text: str, default: str = "other") -> str:
    """The first keyword rule matching `text`, else `default`."""
    for pattern, slug in KEYWORD_RULES:
        if pattern.search(text):
            return slug
    return default


def is_not_tools(heading: str) -> bool:
    """True for a heading whose section lists no tools (a contents table, reading list, more lists)."""
    title = heading.strip().lower()
    return title in NOT_TOOLS or title.startswith(("lists on ", "awesome lists", "more "))


def heading_category(path: Sequence[str], table: dict[str, str], text: str, default: str) -> str:
    """Our slug for a tool under heading `path` (outermost first), using `table` then keywords.

    The deepest heading that the table knows decides, trying "parent / heading" before "heading" so that
    the same words under two parents can mean two things. A vague or unknown heading falls back to
    keywords on the tool's `text`, and then to `default`.
    """
    lowered = [p.strip().lower() for p in path]
    for depth in range(len(lowered) - 1, -1, -1):
        keys: list[str] = []
        if depth > 0:
            keys.append(f"{lowered[depth - 1]} / {lowered[depth]}")
        keys.append(lowered[depth])
        for key in keys:
            slug = table.get(key)
            if slug is None:
                continue
            if slug == VAGUE:
                return keyword_category(text, default)
            return slug
    return keyword_category(text, default)


def categories_category(categories: Iterable[str], table: dict[str, str], text: str, default: str) -> str:
    """Our slug for a tool listed under several named categories: the first precise one wins."""
    for category in categories:
        slug = table.get(category.strip().lower())
        if slug is not None and slug != VAGUE:
            return slug
    return keyword_category(text, default)


def check_tables() -> None:
    """Every slug a table names exists in the taxonomy (run by the tests)."""
    for table in (AWESOME_AGENTS_CATEGORIES, LLMOPS_HEADINGS, GENERATIVE_AI_HEADINGS, GENERIC_HEADINGS):
        for heading, slug in table.items():
            if slug != VAGUE and slug not in CATEGORY_SLUGS:
                raise ValueError(f"{heading!r} maps to unknown category {slug!r}")
    for _, slug in KEYWORD_RULES:
        if slug not in CATEGORY_SLUGS:
            raise ValueError(f"keyword rule maps to unknown category {slug!r}")
