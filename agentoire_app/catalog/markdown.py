"""Awesome-list Markdown: `- [Name](url) - description` bullets and `| [Name](url) | details | badge |` tables.

Categories come from the headings above a row (nested, however oddly). Real lists are untidy, so every
rule here answers something seen in one (the lists in tests/fixtures/catalog/): contents tables and "more
lists" sections are skipped; a row we cannot use is reported with its line number, never raised; a star
badge names a repository but the project link wins when they disagree; separators may be ` - `, ` – `,
` — `, `: ` or nothing; `**` may be left unclosed; links may lack a scheme or have stray text after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models.slugs import slugify
from .mapping import (
    GENERATIVE_AI_HEADINGS,
    GENERIC_HEADINGS,
    LLMOPS_HEADINGS,
    heading_category,
    is_not_tools,
)
from .records import (
    ParsedCatalog,
    ToolRecord,
    clean_name,
    github_homepage,
    github_repository,
    has_scheme,
    listed_record,
    normalize_url,
    repository_key,
)
from .sources import AWESOME_GENERATIVE_AI, AWESOME_LLMOPS

# Every pattern here runs on hostile text, so each one is linear in its input: no quantifier is followed
# by another that can match the same characters, and the ones that scan ahead from each `[` are bounded
# (a link text of at most 500 characters, a URL of at most 2,000), so a line of a million brackets costs
# a bounded amount per bracket instead of a rescan to the end of the line. The property tests
# (tests/test_catalog_regex_time.py) hold them to it.
_HEADING = re.compile(r"^(#{1,6})[ \t]+(?P<title>\S.*)$")
_HEADING_CLOSE = re.compile(r"(?:^|[ \t])#+$")  # `## Title ##`: the closing run, not the `#` of `C#`
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(?P<rest>\S.*)$")
# [text](url "title"): the text may hold one level of brackets (badges), the URL one level of
# parentheses (Wikipedia-style links). The alternatives start with different characters and the
# repetitions are possessive, so a failed match gives nothing back to try again.
_LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\[\]]{0,500}\]){1,500}+)\]"
                   r"\((?P<url>(?:[^()\s]|\([^()\s]{0,500}\)){0,2000}+)(?:[ \t]{1,50}+\"[^\"]{0,500}\")?\)")
_IMAGE = re.compile(r"!\[[^\]]{0,500}\]\((?P<url>[^)\s]{0,2000}+)\)")
_BADGE_REPO = re.compile(r"img\.shields\.io/github/(?:stars|forks|last-commit)/(?P<owner>[\w.-]{1,100}+)/"
                         r"(?P<repo>[\w.-]{1,100}?)(?:\.svg)?(?:[?)]|$)")
_SEPARATOR = re.compile(r"^[ \t]*+(?:[-–—:]|&mdash;|&ndash;)[ \t]*+")
_OPEN_SOURCE_TAG = re.compile(r"\[#open-?source\]\((?P<url>[^()\s]{1,2000}+)\)|#open-?source\b", re.IGNORECASE)
_TABLE_DIVIDER = re.compile(r"\|?[ \t]*+:?-{2,}")  # matched on a stripped line


@dataclass(frozen=True, slots=True)
class ListProfile:
    """What we know about one list: its provenance key and its heading table."""

    source: str
    headings: dict[str, str]
    default: str


PROFILES: dict[str, ListProfile] = {
    "awesome llmops": ListProfile(AWESOME_LLMOPS, LLMOPS_HEADINGS, "llm-dev-tools"),
    "awesome generative ai": ListProfile(AWESOME_GENERATIVE_AI, GENERATIVE_AI_HEADINGS, "other"),
}


def looks_like_markdown_list(text: str) -> bool:
    """Markdown with at least one linked bullet or table row: something we can read tools from."""
    return any((_BULLET.match(line) or line.lstrip().startswith("|")) and _LINK.search(line)
               for line in text.splitlines())


def profile_for(text: str, fallback_source: str) -> ListProfile:
    """The known list this text is (from its `# Title`), else a generic profile under `fallback_source`."""
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            title = _heading_title(match).split("[![", 1)[0].strip().lower()
            if title in PROFILES:
                return PROFILES[title]
            break
    return ListProfile(fallback_source, GENERIC_HEADINGS, "other")


def _heading_title(match: re.Match[str]) -> str:
    """The text of a heading without its optional closing `#` run (`## Tools ##` → "Tools")."""
    return _HEADING_CLOSE.sub("", match.group("title").rstrip()).rstrip()


def _plain(text: str) -> str:
    """Markdown inline → plain text: links become their text, images and emphasis marks go."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group("text"), text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(slots=True)
class _Row:
    name: str
    url: str
    description: str
    badge_repository: str = ""
    stray: str = ""


def _split_cells(line: str) -> list[str]:
    """A pipe-table row's cells; pipes inside link targets or escaped (`\\|`) do not split."""
    body = line.strip()
    body = body.removeprefix("|").removesuffix("|")
    cells: list[str] = []
    current: list[str] = []
    depth = 0
    for index, ch in enumerate(body):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch == "|" and depth == 0 and (index == 0 or body[index - 1] != "\\"):
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    cells.append("".join(current).strip())
    return cells


def _row_from_text(text: str) -> _Row | None:
    """Name, URL, description and stray text from `[Name](url) sep description` (after the bullet)."""
    text = text.replace("**", "").replace("__", "")
    match = _LINK.search(text)
    if not match:
        return None
    name = match.group("text")
    after = text[match.end():]
    stray = ""
    if after and not after[0].isspace() and not _SEPARATOR.match(after):
        stray_match = re.match(r"\S+", after)
        stray = stray_match.group(0) if stray_match else ""
        after = after[len(stray):]
    description = _SEPARATOR.sub("", after, count=1)
    return _Row(name=name, url=match.group("url"), description=description, stray=stray)


def parse_markdown(text: str, *, fallback_source: str) -> ParsedCatalog:
    """Records from an awesome-list; see the module docstring for what is survived and how."""
    profile = profile_for(text, fallback_source)
    parsed = ParsedCatalog(source=profile.source)
    stack: list[tuple[int, str]] = []  # (level, title) of the headings above the current line
    skipping_level: int | None = None  # inside a "not tools" section of this level
    table_columns: dict[str, int] | None = None
    in_code = False
    seen_title = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), _plain(_heading_title(heading))
            table_columns = None
            if level == 1 and not seen_title:
                seen_title = True
                continue  # the list's own title is not a category
            if skipping_level is not None and level > skipping_level:
                continue
            skipping_level = None
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            if is_not_tools(title):
                skipping_level = level
            continue
        if skipping_level is not None:
            if _LINK.search(line):
                parsed.ignored += 1
            continue
        stripped = line.strip()
        row: _Row | None = None
        if stripped.startswith("|"):
            cells = _split_cells(stripped)
            if _TABLE_DIVIDER.match(stripped):
                continue
            if table_columns is None and not _LINK.search(stripped):
                table_columns = _header_columns(cells)
                continue
            if table_columns == {}:
                continue  # a table about something else (its header names no project column)
            columns = table_columns or {"name": 0, "details": 1, "badge": 2}
            name_cell = cells[columns["name"]] if columns["name"] < len(cells) else ""
            row = _row_from_text(name_cell)
            if row is None:
                parsed.problems.append(f"line {number}: table row without a project link, skipped")
                parsed.skipped += 1
                continue
            expected = max(columns.values()) + 1
            if len(cells) < expected:
                parsed.problems.append(f"line {number}: {row.name} has {len(cells)} of {expected} cells")
            details = cells[columns["details"]] if columns["details"] < len(cells) else ""
            row.description = details or row.description
            badge_cell = " ".join(cells[i] for i in range(len(cells)) if i != columns["name"])
            badge = _BADGE_REPO.search(badge_cell)
            if badge:
                row.badge_repository = f"https://github.com/{badge.group('owner')}/{badge.group('repo')}"
        else:
            table_columns = None
            bullet = _BULLET.match(line)
            if not bullet:
                continue
            if not stack:
                if _LINK.search(line):
                    parsed.ignored += 1  # links above the first heading: badges, intro, contents
                continue
            row = _row_from_text(bullet.group("rest"))
            if row is None:
                continue  # prose bullets ("Note: ...") are not rows
        record = _record(row, stack, profile, number, parsed)
        if record is not None:
            parsed.records.append(record)
    return parsed


def _header_columns(cells: list[str]) -> dict[str, int]:
    """Which column holds the project, its details and the star badge, from a header row.

    `{}` when no column names a project: such a table (licences, comparisons) lists no tools.
    """
    lowered = [c.strip().lower() for c in cells]

    def find(words: tuple[str, ...], default: int) -> int:
        return next((i for i, c in enumerate(lowered) if any(w in c for w in words)), default)

    name = find(("project", "name", "tool", "library", "framework", "product"), -1)
    if name < 0:
        return {}
    return {"name": name,
            "details": find(("detail", "description", "about"), 1),
            "badge": find(("repo", "star", "github"), 2)}


def _record(row: _Row, stack: list[tuple[int, str]], profile: ListProfile, number: int,
            parsed: ParsedCatalog) -> ToolRecord | None:
    name = clean_name(_plain(row.name))
    url = normalize_url(row.url)
    if not name or not url:
        parsed.problems.append(f"line {number}: unusable link [{row.name}]({row.url}), skipped")
        parsed.skipped += 1
        return None
    if row.url.strip() and not has_scheme(row.url):
        parsed.problems.append(f"line {number}: link of {name} had no scheme, read as {url}")
    if row.stray:
        parsed.problems.append(f"line {number}: stray text {row.stray!r} after the link of {name}, ignored")
    description_md = row.description
    repository = github_repository(url)
    open_source = bool(repository)
    tag = _OPEN_SOURCE_TAG.search(description_md)
    if tag:
        open_source = True
        tagged = normalize_url(tag.group("url") or "")
        repository = repository or github_repository(tagged)
        description_md = _OPEN_SOURCE_TAG.sub("", description_md)
    if row.badge_repository:
        if repository and repository_key(repository) != repository_key(row.badge_repository):
            parsed.problems.append(f"line {number}: star badge of {name} points at {row.badge_repository}; "
                                   f"kept the project link {repository}")
        elif not repository:
            repository = row.badge_repository
            open_source = True
    if repository and github_repository(url):
        url = github_homepage(url)  # the repository is the homepage when the list links to it
    description = _plain(description_md).strip(" -–—")
    path = [title for _, title in stack]
    category = heading_category(path, profile.headings, f"{name} {description}", profile.default)
    return listed_record(name=name, homepage=url, repository=repository, category=category, description=description,
                         tags=[t for t in (slugify(path[-1]),) if t] if path else [], open_source=open_source,
                         source=profile.source, line=number)
