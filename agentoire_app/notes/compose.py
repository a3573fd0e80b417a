"""Practitioner notes made without a model: short sentences, each traceable to the story or our catalog.

Three parts, each present only when there is something to say: the catalog tools the story concerns
(category, licence, two alternatives), the figures it reports with the sentence that reports them, and
its availability and licence signals; then a "what to check" line when a fact supports one. No generic
paragraph: with nothing to say the notes say so in one line. Every value is escaped here, since story
text and catalog fields are untrusted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from .facts import Fact, StoryFacts

FACTS_ORIGIN = "facts"
NOTHING_TO_SAY = ("<p>The story names no tool from our catalog and reports no figure, availability or licence "
                  "detail we could pick out; read the original for the details.</p>")
MAX_TOOLS = 6
MAX_FIGURES = 6


@dataclass(frozen=True)
class ToolFacts:
    """What the notes say about one catalog tool the story mentions."""

    slug: str
    name: str
    category: str
    license: str = ""
    open_source: bool = False
    alternatives: tuple[tuple[str, str], ...] = field(default=())  # (slug, name)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _tool_link(slug: str, name: str) -> str:
    return f'<a href="/tools/{_e(slug)}">{_e(name)}</a>'


def _tool_sentence(tool: ToolFacts) -> str:
    parts = [f"{_tool_link(tool.slug, tool.name)} is listed under {_e(tool.category or 'other')}"]
    if tool.license:
        parts.append(f", licence {_e(tool.license)}")
    elif tool.open_source:
        parts.append(", open source (licence not recorded)")
    sentence = "".join(parts) + "."
    if tool.alternatives:
        links = " and ".join(_tool_link(slug, name) for slug, name in tool.alternatives[:2])
        sentence += f" Alternatives: {links}."
    return f"<li>{sentence}</li>"


def _quote(fact: Fact) -> str:
    return f"<li><strong>{_e(fact.text)}</strong> ({_e(fact.label)}): “{_e(fact.sentence)}”</li>"


def compose_facts_notes(facts: StoryFacts, tools: Sequence[ToolFacts]) -> str:
    """The notes as HTML paragraphs and lists, built only from `facts` and `tools`."""
    parts: list[str] = []
    if tools:
        parts.append("<p>Tools from our catalog in this story:</p>")
        parts.append("<ul>" + "".join(_tool_sentence(t) for t in tools[:MAX_TOOLS]) + "</ul>")
    if facts.figures:
        parts.append("<p>Figures the story reports:</p>")
        parts.append("<ul>" + "".join(_quote(f) for f in facts.figures[:MAX_FIGURES]) + "</ul>")
    if facts.signals:
        parts.append("<p>Availability and licence, as the story puts it:</p>")
        parts.append("<ul>" + "".join(_quote(f) for f in facts.signals) + "</ul>")
    checks = facts.checks()
    if checks:
        parts.append(f"<p>What to check: {_e('; '.join(checks))}.</p>")
    return "".join(parts) or NOTHING_TO_SAY
