"""slavakurilyak/awesome-ai-agents' structured list (`awesome-agents.json` or the `.yaml` it is built from).

Entries look like `{project, project_description, project_is_open_source, sources: [{source, source_url}],
categories: [...]}` with link types such as website, github, "github profile", docs, twitter. The website
is the homepage; a github link that points at a repository is the repository (and the homepage when no
website is given); profiles, demos and social links are not homepages.
"""

from __future__ import annotations

from typing import Any

from .mapping import AWESOME_AGENTS_CATEGORIES, categories_category
from .ours import entry_lines
from .records import (
    ParsedCatalog,
    ToolRecord,
    clean_name,
    github_repository,
    normalize_url,
    one_line,
    slugify,
)
from .sources import AWESOME_AI_AGENTS

_HOMEPAGE_TYPES = ("website", "landing page", "docs")
_REPOSITORY_TYPES = ("github", "code")


def looks_like_awesome_agents(data: Any) -> bool:
    """A dict with an `agents` list, or a bare list of entries with `project` keys."""
    entries = data.get("agents") if isinstance(data, dict) else data
    return isinstance(entries, list) and bool(entries) and isinstance(entries[0], dict) and "project" in entries[0]


def parse_awesome_agents(data: Any, text: str, *, source: str = AWESOME_AI_AGENTS) -> ParsedCatalog:
    """Records from the structured list; entries with no usable link are skipped and reported."""
    parsed = ParsedCatalog(source=source)
    entries = data.get("agents") if isinstance(data, dict) else data
    lines = entry_lines(text, "project")
    for index, entry in enumerate(entries or []):
        line = lines[index] if len(lines) == len(entries) else 0
        where = f"line {line}" if line else f"entry {index + 1}"
        if not isinstance(entry, dict):
            parsed.problems.append(f"{where}: not a mapping, skipped")
            parsed.skipped += 1
            continue
        name = clean_name(str(entry.get("project") or ""))
        links: dict[str, str] = {}
        for link in entry.get("sources") or []:
            if not isinstance(link, dict):
                continue
            kind = str(link.get("source") or "").strip().lower()
            url = normalize_url(str(link.get("source_url") or ""))
            if url and kind not in links:
                links[kind] = url
        repository = next((github_repository(links[k]) for k in _REPOSITORY_TYPES
                           if k in links and github_repository(links[k])), "")
        homepage = next((links[k] for k in _HOMEPAGE_TYPES if k in links), "") or repository
        if not name or not homepage:
            parsed.problems.append(f"{where}: {name or 'unnamed entry'} has no website or repository link, skipped")
            parsed.skipped += 1
            continue
        description = " ".join(str(entry.get("project_description") or "").split())
        categories = [str(c) for c in entry.get("categories") or []]
        category = categories_category(categories, AWESOME_AGENTS_CATEGORIES, f"{name} {description}",
                                       "assistants")
        open_source = bool(entry.get("project_is_open_source")) or bool(repository)
        parsed.records.append(ToolRecord(
            name=name,
            slug=slugify(name),
            homepage=homepage,
            repository=repository,
            category=category,
            tagline=one_line(description, 120),
            description=description,
            tags=[t for t in (slugify(c) for c in categories[:3]) if t],
            pricing="open-source" if open_source else "unknown",
            open_source=open_source,
            source=source,
            line=line,
        ))
    return parsed
