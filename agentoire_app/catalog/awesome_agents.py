"""slavakurilyak/awesome-ai-agents' structured list (`awesome-agents.json` or the `.yaml` it is built from).

Entries look like `{project, project_description, project_is_open_source, sources: [{source, source_url}],
categories: [...]}` with link types such as website, github, "github profile", docs, twitter. The website
is the homepage; a github link that points at a repository is the repository (and the homepage when no
website is given); profiles, demos and social links are not homepages.
"""

from __future__ import annotations

from typing import Any

from ..models.slugs import slugify
from .mapping import AWESOME_AGENTS_CATEGORIES, categories_category
from .ours import entry_lines
from .records import (
    ParsedCatalog,
    RowError,
    ToolRecord,
    as_text,
    clean_name,
    github_repository,
    list_field,
    listed_record,
    normalize_url,
    text_field,
)
from .sources import AWESOME_AI_AGENTS

_HOMEPAGE_TYPES = ("website", "landing page", "docs")
_REPOSITORY_TYPES = ("github", "code")


def looks_like_awesome_agents(data: Any) -> bool:
    """A dict with an `agents` list, or a bare list of entries with `project` keys."""
    entries = data.get("agents") if isinstance(data, dict) else data
    return isinstance(entries, list) and bool(entries) and isinstance(entries[0], dict) and "project" in entries[0]


def parse_awesome_agents(data: Any, text: str, *, source: str = AWESOME_AI_AGENTS) -> ParsedCatalog:
    """Records from the structured list; an entry with no usable link, or not shaped like one, is
    reported with its line and skipped."""
    parsed = ParsedCatalog(source=source)
    entries = data.get("agents") if isinstance(data, dict) else data
    entries = entries if isinstance(entries, list) else []
    lines = entry_lines(text, "project")
    for index, entry in enumerate(entries):
        line = lines[index] if len(lines) == len(entries) else 0
        where = f"line {line}" if line else f"entry {index + 1}"
        try:
            record = _record(entry, source)
        except RowError as exc:
            parsed.problems.append(f"{where}: {exc}, skipped")
            parsed.skipped += 1
            continue
        record.line = line
        parsed.records.append(record)
    return parsed


def _record(entry: Any, source: str) -> ToolRecord:
    """One entry as a record, or `RowError` saying why it cannot be one."""
    if not isinstance(entry, dict):
        raise RowError("not a mapping")
    name = clean_name(text_field(entry, "project"))
    links: dict[str, str] = {}
    for link in list_field(entry, "sources"):
        if not isinstance(link, dict):
            continue
        kind = text_field(link, "source").lower()
        url = normalize_url(text_field(link, "source_url"))
        if url and kind not in links:
            links[kind] = url
    repository = next((github_repository(links[k]) for k in _REPOSITORY_TYPES
                       if k in links and github_repository(links[k])), "")
    homepage = next((links[k] for k in _HOMEPAGE_TYPES if k in links), "") or repository
    if not name or not homepage:
        raise RowError(f"{name or 'unnamed entry'} has no website or repository link")
    description = " ".join(text_field(entry, "project_description").split())
    categories = [as_text(c, "a category") for c in list_field(entry, "categories")]
    category = categories_category(categories, AWESOME_AGENTS_CATEGORIES, f"{name} {description}", "assistants")
    open_source = bool(entry.get("project_is_open_source")) or bool(repository)
    return listed_record(name=name, homepage=homepage, repository=repository, category=category,
                         description=description, tags=[t for t in (slugify(c) for c in categories[:3]) if t],
                         open_source=open_source, source=source)
