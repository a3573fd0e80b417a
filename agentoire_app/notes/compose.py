"""Practitioner notes made without a model: short sentences, each traceable to the story or our catalog.

Three parts, each present only when there is something to say: the catalog tools the story concerns
(category, licence, two alternatives), the figures it reports with the sentence that reports them, and
its availability and licence signals; then a "what to check" line when a fact supports one. The story's
part is made while preparing the entry (text work, in the parse workers); the catalog's part is put in
front of it after storage (`jobs.note_fresh_articles`), where the database can be read. No generic
paragraph: with nothing to say the notes say so in one line. Every value is escaped here, since story
text and catalog fields are untrusted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from .facts import Fact, StoryFacts, extract_facts, story_text

FACTS_ORIGIN = "facts"
MODEL_ORIGIN_PREFIX = "model:"
NOTHING_TO_SAY = ("<p>The story names no tool from our catalog and reports no figure, availability or licence "
                  "detail we could pick out; read the original for the details.</p>")
TOOLS_OPEN = '<div class="notes-tools">'
TOOLS_CLOSE = "</div>"
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


def tools_section(tools: Sequence[ToolFacts]) -> str:
    """The catalog part, in its own block so that it can be remade when the links change."""
    if not tools:
        return ""
    items = "".join(_tool_sentence(t) for t in tools[:MAX_TOOLS])
    return f"{TOOLS_OPEN}<p>Tools from our catalog in this story:</p><ul>{items}</ul>{TOOLS_CLOSE}"


def facts_section(facts: StoryFacts) -> str:
    """The story's part: its figures and signals, quoted, and what they suggest checking."""
    parts: list[str] = []
    if facts.figures:
        parts.append("<p>Figures the story reports:</p>")
        parts.append("<ul>" + "".join(_quote(f) for f in facts.figures[:MAX_FIGURES]) + "</ul>")
    if facts.signals:
        parts.append("<p>Availability and licence, as the story puts it:</p>")
        parts.append("<ul>" + "".join(_quote(f) for f in facts.signals) + "</ul>")
    checks = facts.checks()
    if checks:
        parts.append(f"<p>What to check: {_e('; '.join(checks))}.</p>")
    return "".join(parts)


def join_sections(tools_html: str, facts_html: str) -> str:
    return (tools_html + facts_html) or NOTHING_TO_SAY


def facts_part(notes_html: str) -> str:
    """The story's part of facts notes made earlier (without the catalog block or the nothing-line)."""
    if notes_html == NOTHING_TO_SAY:
        return ""
    if notes_html.startswith(TOOLS_OPEN):
        end = notes_html.find(TOOLS_CLOSE)
        return notes_html[end + len(TOOLS_CLOSE):] if end >= 0 else ""
    return notes_html


def compose_facts_notes(facts: StoryFacts, tools: Sequence[ToolFacts]) -> str:
    """The notes as HTML paragraphs and lists, built only from `facts` and `tools`."""
    return join_sections(tools_section(tools), facts_section(facts))


def story_facts_html(title: str, summary: str, body_text: str) -> str:
    """The story's part of the notes, made while preparing an entry (pure, so it runs in the parse
    workers); the catalog part is added after storage, where the alternatives can be read."""
    return facts_section(extract_facts(story_text(title, summary, body_text)))
