"""What every importer produces and what the loader consumes: plain records, problems and the result.

Parsing is kept apart from storage (as lemon24/reader keeps its parser apart from its storage): each
format module turns a file into `ToolRecord`s plus human-readable problems, and only `loader` touches the
database. That keeps every oddity of a list testable without a session.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..models.slugs import slugify

# Hosts where the first path segment, not the host, says whose project it is: two repositories on
# github.com are two projects, while two pages on openai.com belong to one company.
SHARED_HOSTS: frozenset[str] = frozenset(
    {"github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "codeberg.org", "pypi.org",
     "npmjs.com", "www.npmjs.com", "medium.com", "x.com", "twitter.com", "kaggle.com", "www.kaggle.com"}
)
# Free hosting suffixes: every subdomain is somebody else's site.
SHARED_SUFFIXES: tuple[str, ...] = (".github.io", ".vercel.app", ".netlify.app", ".hf.space", ".pages.dev",
                                    ".readthedocs.io", ".notion.site", ".gitbook.io", ".streamlit.app")
# A URL that names its scheme; a host of DNS labels or an IP address (what `urlsplit` leaves lowercased).
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]{0,30}://")
_HOST = re.compile(r"[\w.:-]{1,253}")


@dataclass(slots=True)
class ToolRecord:
    """One tool as a source describes it, already normalised to our fields (not yet stored)."""

    name: str
    homepage: str
    category: str = "other"
    tagline: str = ""
    description: str = ""
    repository: str = ""
    tags: list[str] = field(default_factory=list)
    pricing: str = "unknown"
    open_source: bool = False
    license: str = ""
    source: str = "agentoire"
    slug: str = ""
    added_at: datetime | None = None
    line: int = 0  # where the record starts in its file, for problems reported later
    # The file named this tool's slug itself (our format's `slug:`): it means that very tool, so an
    # import finding a curated tool under it reports a conflict rather than adding a look-alike.
    claims_slug: bool = False


def listed_record(*, name: str, homepage: str, repository: str, category: str, description: str,
                  tags: list[str], open_source: bool, source: str, line: int = 0) -> ToolRecord:
    """A tool as a third-party list describes it: the slug from its name, the tagline from the first
    sentence of its description, and a price known only when the list says it is open source."""
    return ToolRecord(name=name, slug=slugify(name), homepage=homepage, repository=repository, category=category,
                      tagline=one_line(description, 120), description=description, tags=tags,
                      pricing="open-source" if open_source else "unknown", open_source=open_source,
                      source=source, line=line)


@dataclass(slots=True)
class ParsedCatalog:
    """A parsed file: its records, the problems met on the way and which source it is."""

    source: str
    records: list[ToolRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    ignored: int = 0  # links in sections that hold no tools (contents, reading lists, "more lists")


@dataclass(slots=True)
class ImportResult:
    """What an import did, for the CLI summary line and for tests."""

    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.source}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.skipped} skipped, {len(self.problems)} problems")


class RowError(ValueError):
    """One entry of a file that cannot become a tool: reported with its line and skipped, never raised."""


def as_text(value: Any, what: str) -> str:
    """`value` as stripped text; numbers and booleans are read as text, a list or mapping is refused.

    `str()` on whatever a file holds would turn `name: {a: 1}` into the name "{'a': 1}": an import that
    lies. Refusing it makes the row a reported problem instead.
    """
    if value is None:
        return ""
    if isinstance(value, str | int | float):  # bool is an int
        return str(value).strip()
    raise RowError(f"{what} is a {type(value).__name__}, not text")


def text_field(entry: dict[Any, Any], key: str) -> str:
    """`entry[key]` read by `as_text`, missing → ""."""
    return as_text(entry.get(key), key)


def list_field(entry: dict[Any, Any], key: str) -> list[Any]:
    """`entry[key]` as a list (missing → empty); anything else is refused with the field's name."""
    value = entry.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise RowError(f"{key} is a {type(value).__name__}, not a list")


def name_key(name: str) -> str:
    """Names compared loosely: "Open-Interpreter", "open interpreter" and "OpenInterpreter" are one."""
    return slugify(name).replace("-", "")


def clean_name(name: str) -> str:
    """A display name without emoji, stray markup or doubled spaces."""
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] in "LNPZ" or ch in "+&'.-")
    kept = kept.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", " ", kept).strip(" -–—:*|")


def normalize_url(url: str) -> str:
    """A URL we can store: scheme added when missing, whitespace and trailing junk removed.

    Lists contain `www.example.com`, `example.com/x)` and the like; anything that still has no host, or a
    host that is neither DNS labels nor an address, is returned as "" so the caller can report it: this
    never raises, whatever a list holds.
    """
    words = url.strip().strip("<>").split()  # `<\t>` leaves no word at all
    url = words[0].rstrip(").,;'\"") if words else ""
    if not url:
        return ""
    if url.startswith("//"):
        url = "https:" + url
    if not _SCHEME.match(url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # `[x](<[url](url)>)` leaves "https://[url](url)": an unbalanced IPv6 bracket
        return ""
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or not _HOST.fullmatch(host):
        return ""
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def has_scheme(url: str) -> bool:
    """True when `url` starts with `scheme://` (else `normalize_url` assumes https)."""
    return bool(_SCHEME.match(url.strip()))


def domain_of(url: str) -> str:
    """The host without `www.`: what `Tool.domain` holds."""
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def github_repository(url: str) -> str:
    """`https://github.com/owner/repo` when `url` points into a GitHub repository, else ""."""
    parts = urlsplit(url)
    if (parts.hostname or "").removeprefix("www.") != "github.com":
        return ""
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return ""
    owner, repo = segments[0], segments[1].removesuffix(".git")
    return f"https://github.com/{owner}/{repo}"


def github_homepage(url: str) -> str:
    """A GitHub link as a homepage: the bare repository URL, unless the link points into a subfolder.

    `github.com/o/r/`, `…/tree/main` and `…/blob/main/README.md` all mean "the project" and become
    `https://github.com/o/r`; `…/tree/main/src/fetch` names one thing inside a repository and is kept.
    """
    repository = github_repository(url)
    if not repository:
        return url
    rest = [s for s in urlsplit(url).path.split("/") if s][2:]
    if not rest or (rest[0] in ("tree", "blob") and (len(rest) <= 2 or (len(rest) == 3
                                                                       and rest[2].lower() == "readme.md"))):
        return repository
    return url


def site_key(url: str) -> str:
    """Whose site a URL is on, for telling one tool from another with the same name.

    `platform.openai.com` and `openai.com` give `openai.com`; `github.com/foo/bar` gives
    `github.com/foo`; `foo.github.io` stays whole.
    """
    host = domain_of(url)
    if not host:
        return ""
    if host in SHARED_HOSTS:
        first = next((s for s in urlsplit(url).path.split("/") if s), "")
        return f"{host}/{first.lower()}"
    if host.endswith(SHARED_SUFFIXES):
        return host
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:  # example.co.uk, x.com.cn
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def repository_key(url: str) -> str:
    """A repository URL compared case-insensitively, without `.git` or a trailing slash."""
    return url.strip().lower().removesuffix("/").removesuffix(".git")


def one_line(text: str, limit: int) -> str:
    """The first sentence of `text`, cut at a word boundary to at most `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"
