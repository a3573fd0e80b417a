"""agentoire's own catalog format: YAML or JSON with a `tools:` list (the shipped `tools.yaml`).

Each entry carries our fields directly. The file is ours, so an entry that breaks a rule is still reported
rather than raised: a hand-edited catalog with one typo must not stop the app from starting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..models.slugs import slugify
from .records import (
    ParsedCatalog,
    RowError,
    ToolRecord,
    as_text,
    github_repository,
    list_field,
    normalize_url,
    text_field,
)
from .sources import AGENTOIRE
from .taxonomy import CATEGORY_SLUGS, PRICING_VALUES

TAGLINE_LIMIT = 120


def _added(value: Any) -> datetime | None:
    """`added: 2024-05-01` (YAML gives a date) or an ISO string → midnight UTC of that day."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str) and value.strip():
        parsed = datetime.fromisoformat(value.strip())
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def entry_lines(text: str, key: str) -> list[int]:
    """1-based line numbers where each list entry starts (`- key:` in YAML, `"key":` in JSON).

    YAML and JSON parsers forget positions; a problem report that says "line 812" is worth this scan.
    """
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((f"- {key}:", f'"{key}":', f"- \"{key}\":", f"{{\"{key}\":")):
            lines.append(number)
    return lines


def parse_ours(data: Any, text: str, *, source: str) -> ParsedCatalog:
    """Records from our format; an entry that cannot be a tool is reported with its line and skipped.

    `source` is who speaks for these records. Only the shipped catalog is loaded with `AGENTOIRE`, and
    only there are the entries' own `source:` keys believed: a file given to `agentoire catalog import`
    is recorded under its own name whatever its entries claim, so it can never speak as our editors.
    """
    parsed = ParsedCatalog(source=source)
    entries = data.get("tools") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        parsed.problems.append("no `tools:` list found")
        return parsed
    lines = entry_lines(text, "slug") or entry_lines(text, "name")
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) and len(lines) == len(entries) else 0
        where = f"line {line}" if line else f"entry {index + 1}"
        try:
            record = _record(entry, where, source, parsed)
        except RowError as exc:
            parsed.problems.append(f"{where}: {exc}, skipped")
            parsed.skipped += 1
            continue
        if record is not None:
            record.line = line
            parsed.records.append(record)
    return parsed


def _record(entry: Any, where: str, source: str, parsed: ParsedCatalog) -> ToolRecord | None:
    """One entry as a record; `RowError` for an entry that cannot be one, problems for what was mended."""
    if not isinstance(entry, dict):
        raise RowError("not a mapping")
    name = text_field(entry, "name")
    homepage = normalize_url(text_field(entry, "homepage"))
    repository = normalize_url(text_field(entry, "repository"))
    if not name or not (homepage or repository):
        raise RowError("needs a name and a homepage")
    category = text_field(entry, "category") or "other"
    if category not in CATEGORY_SLUGS:
        parsed.problems.append(f"{where}: unknown category {category!r} for {name}, filed under other")
        category = "other"
    pricing = text_field(entry, "pricing") or "unknown"
    if pricing not in PRICING_VALUES:
        parsed.problems.append(f"{where}: unknown pricing {pricing!r} for {name}, set to unknown")
        pricing = "unknown"
    try:
        added_at = _added(entry.get("added"))
    except (ValueError, OverflowError):
        parsed.problems.append(f"{where}: unreadable added date {entry.get('added')!r} for {name}")
        added_at = None
    tags = [t.lower() for t in (as_text(t, "a tag") for t in list_field(entry, "tags")) if t]
    repository = repository or github_repository(homepage)
    tagline = text_field(entry, "tagline")
    if len(tagline) > TAGLINE_LIMIT:
        parsed.problems.append(f"{where}: tagline of {name} longer than {TAGLINE_LIMIT} characters")
    given_slug = text_field(entry, "slug")
    return ToolRecord(
        name=name,
        slug=slugify(given_slug or name),
        homepage=homepage or repository,
        repository=repository,
        category=category,
        tagline=tagline,
        description=text_field(entry, "description"),
        tags=tags,
        pricing=pricing,
        open_source=bool(entry.get("open_source", bool(repository))),
        license=text_field(entry, "license"),
        source=(text_field(entry, "source") or source) if source == AGENTOIRE else source,
        added_at=added_at,
        claims_slug=bool(given_slug),
    )
