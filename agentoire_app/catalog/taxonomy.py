"""agentoire's own categories for tools. Every importer maps a list's categories onto these slugs."""

from __future__ import annotations

from typing import NamedTuple


class CategoryDef(NamedTuple):
    slug: str
    name: str
    description: str


TOOL_CATEGORIES: tuple[CategoryDef, ...] = (
    CategoryDef("agent-frameworks", "Agent frameworks", "Libraries and SDKs for building agents and multi-agent systems"),
    CategoryDef("coding-agents", "Coding agents", "Agents and assistants that write, review and run code"),
    CategoryDef("assistants", "Assistants & chat", "General-purpose chat assistants and personal agents"),
    CategoryDef("models", "Models & APIs", "Model providers, model families and inference APIs"),
    CategoryDef("model-runtimes", "Model runtimes & serving", "Run, serve and quantize models locally or at scale"),
    CategoryDef("vector-databases", "Vector databases", "Stores and indexes for embeddings and similarity search"),
    CategoryDef("rag-data", "RAG & data", "Retrieval, document parsing, embeddings pipelines and data tooling for LLMs"),
    CategoryDef("observability", "Observability & evals", "Tracing, monitoring, evaluation and testing of LLM apps"),
    CategoryDef("mcp-servers", "MCP servers", "Model Context Protocol servers, clients and registries"),
    CategoryDef("llm-dev-tools", "LLM dev tools", "Prompting, gateways, structured output and app-building tools"),
    CategoryDef("training", "Training & fine-tuning", "Fine-tuning, training, datasets and experiment tooling"),
    CategoryDef("browser-automation", "Browser & computer use", "Agents that drive browsers, desktops and web tasks"),
    CategoryDef("research-search", "Research & search", "AI search engines and research agents"),
    CategoryDef("image-video", "Image & video", "Image, video and 3D generation and editing"),
    CategoryDef("audio-speech", "Audio & speech", "Speech recognition, voice, music and audio generation"),
    CategoryDef("productivity", "Productivity & business", "Writing, meetings, sales, support and workflow automation"),
    CategoryDef("safety-security", "Safety & security", "Guardrails, red-teaming and security for AI systems"),
    CategoryDef("other", "Other", "Everything that fits nowhere else yet"),
)

CATEGORY_SLUGS: frozenset[str] = frozenset(c.slug for c in TOOL_CATEGORIES)
PRICING_VALUES: tuple[str, ...] = ("free", "freemium", "paid", "open-source", "unknown")
