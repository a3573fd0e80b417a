"""Putting catalog records into the database: the shipped catalog on every start, files from the CLI.

Two rules shape everything here:
- Idempotence. Loading or importing the same data twice writes nothing the second time (not even
  `updated_at`), so the app can load the catalog on every start and `agentoire catalog import` can be
  rerun safely. Each tool's fields are compared before writing; the whole table is read in one query so
  an unchanged load of the shipped catalog stays far under a second.
- Curated wins. A tool from `tools.yaml` (source `agentoire`) is owned by our editors: a list import that
  finds the same tool leaves it alone and reports where the file disagrees on its links, and a list only
  records its provenance on tools it added itself. Only the shipped catalog speaks as our editors: a file
  imported from the command line is recorded under its own name, even in our own format.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import Category, Tool, utcnow
from ..models.slugs import slugify, unique_slug
from ..models.text import storable as _storable
from .files import read_catalog_file, read_default_catalog
from .records import (
    ImportResult,
    ParsedCatalog,
    ToolRecord,
    domain_of,
    name_key,
    repository_key,
    site_key,
)
from .sources import AGENTOIRE
from .taxonomy import TOOL_CATEGORIES

log = logging.getLogger(__name__)

_COMPARED = ("name", "tagline", "description", "homepage", "repository", "domain", "category", "tags",
             "pricing", "open_source", "license", "source")


def sync_categories(*, session: Session) -> tuple[int, int]:
    """Make the category table match the taxonomy; returns (added, updated)."""
    existing = {c.slug: c for c in session.exec(select(Category)).all()}
    added = updated = 0
    for position, definition in enumerate(TOOL_CATEGORIES):
        row = existing.get(definition.slug)
        if row is None:
            session.add(Category(slug=definition.slug, name=definition.name,
                                 description=definition.description, position=position))
            added += 1
        elif (row.name, row.description, row.position) != (definition.name, definition.description, position):
            row.name, row.description, row.position = definition.name, definition.description, position
            session.add(row)
            updated += 1
    if added or updated:
        session.flush()
    return added, updated


def _fields(record: ToolRecord) -> dict[str, Any]:
    """The record as column values, cut to the columns' sizes and without NUL characters (which
    PostgreSQL refuses in text, so one such row would otherwise fail the whole import)."""
    return {
        "name": _storable(record.name, 120),
        "tagline": _storable(record.tagline, 200),
        "description": _storable(record.description),
        "homepage": _storable(record.homepage, 500),
        "repository": _storable(record.repository, 500),
        "domain": _storable(domain_of(record.homepage), 255),
        "category": record.category,
        "tags": [_storable(tag) for tag in record.tags],
        "pricing": record.pricing,
        "open_source": record.open_source,
        "license": _storable(record.license, 60),
        "source": _storable(record.source, 120),
    }


def _apply(tool: Tool, values: dict[str, Any], added_at: datetime | None, now: datetime) -> bool:
    """Write `values` (and `added_at` when given) onto `tool` only if something differs."""
    changed = any(getattr(tool, name) != values[name] for name in _COMPARED)
    if added_at is not None and tool.added_at != added_at:
        changed = True
    if not changed:
        return False
    for name in _COMPARED:
        setattr(tool, name, values[name])
    if added_at is not None:
        tool.added_at = added_at
    tool.updated_at = now
    return True


@dataclass(slots=True)
class _Index:
    """Existing tools by the ways a record can turn out to be one of them."""

    by_slug: dict[str, Tool] = field(default_factory=dict)
    by_repository: dict[str, Tool] = field(default_factory=dict)
    by_name_site: dict[tuple[str, str], Tool] = field(default_factory=dict)

    def add(self, tool: Tool) -> None:
        self.by_slug[tool.slug] = tool
        if tool.repository:
            self.by_repository.setdefault(repository_key(tool.repository), tool)
        for url in (tool.homepage, tool.repository):
            if url:
                self.by_name_site.setdefault((name_key(tool.name), site_key(url)), tool)

    def find(self, record: ToolRecord) -> Tool | None:
        """The tool `record` describes: same repository and a related name, or same name on the same site.

        A shared repository alone is not enough: lists file several products under one repository or
        one company homepage (an SDK and the agents built with it), and those stay separate tools.
        """
        if record.repository and (tool := self.by_repository.get(repository_key(record.repository))):
            mine, theirs = name_key(record.name), name_key(tool.name)
            if mine and theirs and (mine in theirs or theirs in mine):
                return tool
        for url in (record.homepage, record.repository):
            if url and (tool := self.by_name_site.get((name_key(record.name), site_key(url)))):
                return tool
        return None


def _unique_slug(record: ToolRecord, taken: dict[str, Tool]) -> str:
    """The record's slug, or one suffixed by whose site it is on when another tool has that name."""
    base = record.slug or slugify(record.name) or "tool"
    if base not in taken:
        return base
    # On a shared host the owner tells tools apart (github.com/infiniflow → "infinity-infiniflow");
    # elsewhere the whole domain does ("fiddler-ai-fiddler-example-org").
    site = site_key(record.repository or record.homepage)
    owner = site.split("/", 1)[1] if "/" in site else domain_of(record.homepage)
    candidate = f"{base}-{slugify(owner)}".strip("-")[:110] if owner else base
    return unique_slug(candidate, taken)


def store_records(parsed: ParsedCatalog, *, session: Session, now: datetime | None = None) -> ImportResult:
    """Upsert `parsed` into the database and commit; see the module docstring for the rules."""
    now = now or utcnow()
    result = ImportResult(source=parsed.source, skipped=parsed.skipped, problems=list(parsed.problems))
    sync_categories(session=session)
    index = _Index()
    for stored in session.exec(select(Tool)).all():
        index.add(stored)
    first_seen: dict[int, ToolRecord] = {}  # id(tool) → the record of this file that first named it
    for record in parsed.records:
        values = _fields(record)
        curated = record.source == AGENTOIRE
        tool = index.by_slug.get(record.slug) if curated else index.find(record)
        if tool is None and record.claims_slug and not curated:
            claimed = index.by_slug.get(record.slug)
            tool = claimed if claimed is not None and claimed.source == AGENTOIRE else None
        adopted = False
        if curated and tool is None:
            # A list brought this tool in before our editors did: the curated entry takes the row over
            # (slug included) rather than sitting beside it as a duplicate.
            listed = index.find(record)
            if listed is not None and listed.source != AGENTOIRE and id(listed) not in first_seen:
                index.by_slug.pop(listed.slug, None)
                listed.slug = record.slug
                index.by_slug[record.slug] = listed
                tool, adopted = listed, True
        if tool is not None and id(tool) in first_seen:
            first = first_seen[id(tool)]
            where = f"line {record.line}: " if record.line else ""
            result.problems.append(f"{where}{record.name} is listed again (first at line {first.line}, "
                                   f"kept category {first.category})")
            result.skipped += 1
            continue
        if tool is None:
            slug = record.slug if curated else _unique_slug(record, index.by_slug)
            if not curated and slug != record.slug:
                result.problems.append(f"line {record.line}: another tool is already called {record.name}; "
                                       f"this one ({record.homepage}) is {slug}")
            tool = Tool(slug=slug, added_at=record.added_at or now, updated_at=now, **values)
            session.add(tool)
            index.add(tool)
            result.added += 1
        elif curated or tool.source == record.source:
            if _apply(tool, values, record.added_at, now) or adopted:
                tool.updated_at = now
                session.add(tool)
                result.updated += 1
            else:
                result.unchanged += 1
        else:
            result.unchanged += 1  # curated (or another list's) tool: its fields stay as they are
            if tool.source == AGENTOIRE:
                result.problems.extend(_curated_conflicts(tool, record))
        first_seen[id(tool)] = record
    session.commit()
    result.problems.sort(key=_line_of)
    return result


_GUARDED = ("homepage", "repository")  # the links people follow: a disagreement there is worth a line


def _curated_conflicts(tool: Tool, record: ToolRecord) -> list[str]:
    """What a file says differently about a curated tool's links, which we kept (a trailing slash or
    the letter case of a host is no disagreement)."""
    where = f"line {record.line}: " if record.line else ""
    return [f"{where}kept the curated {name} of {tool.name}; the file says {theirs}"
            for name in _GUARDED
            if (theirs := getattr(record, name)) and repository_key(theirs) != repository_key(getattr(tool, name))]


def _line_of(problem: str) -> int:
    """Problems read in file order: "line 12: …" sorts by 12; problems without a line come first."""
    head = problem.split(":", 1)[0]
    return int(head[5:]) if head.startswith("line ") and head[5:].isdigit() else 0


def _with_retry(parsed: ParsedCatalog, session: Session) -> ImportResult:
    """Store once; if another process inserted the same slugs meanwhile, roll back and store again."""
    try:
        return store_records(parsed, session=session)
    except sa.exc.IntegrityError:
        session.rollback()
        log.info("catalog: concurrent load detected, retrying once")
        return store_records(parsed, session=session)


def load_default_catalog(*, session: Session) -> dict[str, int]:
    """Categories from the taxonomy and tools from the shipped `tools.yaml`, upserted by slug.

    Called on every start (bootstrap.prepare_database): an unchanged catalog writes nothing.
    """
    parsed = read_default_catalog()
    try:
        categories_added, categories_updated = sync_categories(session=session)
        result = store_records(parsed, session=session)
    except sa.exc.IntegrityError:
        # Another process (a second worker starting at the same moment) inserted the same rows first.
        session.rollback()
        log.info("catalog: concurrent load detected, retrying once")
        categories_added, categories_updated = sync_categories(session=session)
        result = store_records(parsed, session=session)
    for problem in result.problems:
        log.warning("catalog: %s", problem)
    return {
        "categories_added": categories_added,
        "categories_updated": categories_updated,
        "tools_added": result.added,
        "tools_updated": result.updated,
        "tools_unchanged": result.unchanged,
    }


def import_catalog_file(path: str | Path, *, session: Session) -> ImportResult:
    """Add or update tools from a catalog file in any format we read; importing twice changes nothing.

    Raises `CatalogFileError` when the file is missing, unreadable or in no format we know; odd rows
    inside a readable file are reported in `ImportResult.problems` instead.
    """
    parsed = read_catalog_file(Path(path))
    result = _with_retry(parsed, session)
    if parsed.ignored:
        result.problems.append(f"{parsed.ignored} links in non-tool sections (contents, reading lists, "
                               "more lists) were not imported")
    return result

