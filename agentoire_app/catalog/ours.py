"""agentoire's own catalog format: YAML or JSON with a `tools:` list (the shipped `tools.yaml`).

Each entry carries our fields directly. The file is ours, so an entry that breaks a rule is still reported
rather than raised: a hand-edited catalog with one typo must not stop the app from starting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from .records import ParsedCatalog, ToolRecord, github_repository, normalize_url, slugify
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


def parse_ours(data: Any, text: str, *, source: str = AGENTOIRE) -> ParsedCatalog:
    """Records from our format; entries with no name or no usable homepage are skipped and reported."""
    parsed = ParsedCatalog(source=source)
    entries = data.get("tools") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        parsed.problems.append("no `tools:` list found")
        return parsed
    lines = entry_lines(text, "slug") or entry_lines(text, "name")
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) and len(lines) == len(entries) else 0
        where = f"line {line}" if line else f"entry {index + 1}"
        if not isinstance(entry, dict):
            parsed.problems.append(f"{where}: not a mapping, skipped")
            parsed.skipped += 1
            continue
        name = str(entry.get("name") or "").strip()
        homepage = normalize_url(str(entry.get("homepage") or ""))
        repository = normalize_url(str(entry.get("repository") or ""))
        if not name or not (homepage or repository):
            parsed.problems.append(f"{where}: needs a name and a homepage, skipped")
            parsed.skipped += 1
            continue
        category = str(entry.get("category") or "other")
        if category not in CATEGORY_SLUGS:
            parsed.problems.append(f"{where}: unknown category {category!r} for {name}, filed under other")
            category = "other"
        pricing = str(entry.get("pricing") or "unknown")
        if pricing not in PRICING_VALUES:
            parsed.problems.append(f"{where}: unknown pricing {pricing!r} for {name}, set to unknown")
            pricing = "unknown"
        try:
            added_at = _added(entry.get("added"))
        except ValueError:
            parsed.problems.append(f"{where}: unreadable added date {entry.get('added')!r} for {name}")
            added_at = None
        tags = [str(t).strip().lower() for t in entry.get("tags") or [] if str(t).strip()]
        repository = repository or github_repository(homepage)
        tagline = str(entry.get("tagline") or "").strip()
        if len(tagline) > TAGLINE_LIMIT:
            parsed.problems.append(f"{where}: tagline of {name} longer than {TAGLINE_LIMIT} characters")
        parsed.records.append(ToolRecord(
            name=name,
            slug=slugify(str(entry.get("slug") or name)),
            homepage=homepage or repository,
            repository=repository,
            category=category,
            tagline=tagline,
            description=str(entry.get("description") or "").strip(),
            tags=tags,
            pricing=pricing,
            open_source=bool(entry.get("open_source", bool(repository))),
            license=str(entry.get("license") or ""),
            source=str(entry.get("source") or source),
            added_at=added_at,
            line=line,
        ))
    return parsed
