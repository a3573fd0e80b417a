"""Tools an article points at: repository and registry links, and launch phrasing with a homepage.

Pure: an article's title, link and sanitized HTML in, `Found` candidates out, no database. What counts:
- a link to a GitHub repository, a Hugging Face model or space, a PyPI project or an npm package (in the
  body, or the article's own link, as Hacker News items have);
- a launch headline ("Show HN: X – …", "introducing X", "X launches …") when a homepage goes with it:
  the article's own link for "Show HN", else a link whose host carries the name ("Foo launches" and a
  link to foo.ai). A launch without a homepage is only a company in the news.

Every pattern is linear (bounded repetitions, no nested quantifiers): titles and bodies come from feeds
and are hostile until proven otherwise. Whether a find is already listed, or was rejected before, is for
`services.candidates` to decide.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..catalog.records import domain_of, site_key
from ..ingest.clean import html_to_text

MAX_NAME_CHARS = 80
MAX_SENTENCE_CHARS = 300
MAX_LINKS = 200  # an article linking more than this is a link dump; the first ones are enough

_ANCHOR = re.compile(r"<a\s[^>]{0,2000}?href=\"([^\"]{1,2000})\"[^>]{0,2000}>(.{0,500}?)</a>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘(])")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_NPM_SCOPE = re.compile(r"^@[a-z0-9][a-z0-9._-]{0,99}$")
_PYPI_NORMAL = re.compile(r"[-_.]+")
# Most links on a long blog point elsewhere: a substring test rules them out before the URL is parsed.
_REGISTRY_HOSTS = ("github.com", "huggingface.co", "pypi.org", "npmjs.com")

# First path segments on these hosts that are the site's own pages, not somebody's project.
GITHUB_RESERVED = frozenset((
    "about", "apps", "blog", "collections", "contact", "customer-stories", "enterprise", "events", "explore",
    "features", "login", "marketplace", "new", "notifications", "orgs", "organizations", "pricing", "pulls",
    "issues", "readme", "security", "settings", "site", "sponsors", "topics", "trending", "users", "join",
    "search", "codespaces", "copilot"
))
HF_RESERVED = frozenset((
    "blog", "chat", "collections", "datasets", "docs", "join", "learn", "login", "models", "organizations",
    "papers", "posts", "pricing", "settings", "tasks", "spaces"
))

_SHOW_HN = re.compile(r"^\s*Show HN:\s*(?P<name>[^\s–—:|,(][^–—:|,(]{0,79}?)\s*(?:[–—:|,(]|\s-\s|$)")
_INTRODUCING = re.compile(r"^\s*(?:Introducing|Meet|Announcing)\s+(?P<name>[A-Z0-9][\w.+-]{0,39}"
                          r"(?:\s[A-Z0-9][\w.+-]{0,39}){0,3})")
_LAUNCHES = re.compile(r"^\s*(?P<name>[A-Z0-9][\w.+-]{0,39}(?:\s[A-Z0-9][\w.+-]{0,39}){0,3})\s+"
                       r"(?:launches|unveils|releases|open-sources)\b", re.IGNORECASE)
_NOT_A_NAME = frozenset(["a", "an", "the", "my", "our", "this", "i", "we", "how", "why", "what"])


@dataclass(frozen=True)
class Found:
    """One tool an article points at: a stable key, a display name, where it lives and the sentence."""

    key: str
    kind: str  # github | huggingface | pypi | npm | launch
    name: str
    url: str
    sentence: str


def _segments(url: str) -> list[str]:
    return [unquote(s) for s in urlsplit(url).path.split("/") if s]


def classify_link(url: str) -> tuple[str, str, str, str] | None:
    """(key, kind, name, canonical url) when `url` names a repository or a package, else None."""
    lowered = url.lower()
    if not any(host in lowered for host in _REGISTRY_HOSTS):
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return None
    parts = _segments(url)
    if host == "github.com" and len(parts) >= 2 and parts[0].lower() not in GITHUB_RESERVED:
        owner, repo = parts[0], parts[1].removesuffix(".git")
        if _SEGMENT.match(owner) and _SEGMENT.match(repo):
            return f"github:{owner.lower()}/{repo.lower()}", "github", repo, f"https://github.com/{owner}/{repo}"
    if host == "huggingface.co" and parts:
        if parts[0] == "spaces" and len(parts) >= 3:
            owner, name, prefix = parts[1], parts[2], "spaces/"
        elif parts[0].lower() not in HF_RESERVED and len(parts) >= 2:
            owner, name, prefix = parts[0], parts[1], ""
        else:
            return None
        if _SEGMENT.match(owner) and _SEGMENT.match(name):
            return (f"huggingface:{prefix}{owner.lower()}/{name.lower()}", "huggingface", name,
                    f"https://huggingface.co/{prefix}{owner}/{name}")
    if host == "pypi.org" and len(parts) >= 2 and parts[0] == "project" and _SEGMENT.match(parts[1]):
        name = parts[1]
        return f"pypi:{_PYPI_NORMAL.sub('-', name).lower()}", "pypi", name, f"https://pypi.org/project/{name}/"
    if host == "npmjs.com" and len(parts) >= 2 and parts[0] == "package":
        name = parts[1]
        if _NPM_SCOPE.match(name.lower()) and len(parts) >= 3 and _SEGMENT.match(parts[2]):
            name = f"{name}/{parts[2]}"
        elif not _SEGMENT.match(name):
            return None
        return f"npm:{name.lower()}", "npm", name, f"https://www.npmjs.com/package/{name}"
    return None


def _links(content_html: str) -> list[tuple[str, str]]:
    """(href, anchor text) of the body's links, in order; the HTML is already sanitized (quoted hrefs)."""
    found = []
    for match in _ANCHOR.finditer(content_html):
        found.append((html.unescape(match.group(1)), html.unescape(_TAG.sub("", match.group(2))).strip()))
        if len(found) >= MAX_LINKS:
            break
    return found


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _sentence_with(words: list[str], sentences: list[str], fallback: str) -> str:
    for word in words:
        if len(word) < 2:
            continue
        lowered = word.lower()
        for sentence in sentences:
            if lowered in sentence.lower():
                return _cut(sentence)
    return _cut(fallback)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE_CHARS else text[: MAX_SENTENCE_CHARS - 1].rstrip() + "…"


def _clean_name(name: str) -> str:
    return " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_NAME_CHARS].strip(" -–—.:")


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _name_from_host(url: str) -> str:
    label = domain_of(url).split(".")[0]
    return label[:1].upper() + label[1:]


def _launch(title: str, url: str, links: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(name, homepage) for a launch headline that comes with a homepage, else None."""
    show = _SHOW_HN.match(title)
    if show and url and classify_link(url) is None:
        name = _clean_name(show.group("name"))
        words = name.split()
        if not words or words[0].lower() in _NOT_A_NAME or len(words) > 4:
            name = _name_from_host(url)
        return (name, url) if name else None
    match = _INTRODUCING.match(title) or _LAUNCHES.match(title)
    if not match:
        return None
    name = _clean_name(match.group("name"))
    compact = _compact(name)
    if len(compact) < 3 or name.split()[0].lower() in _NOT_A_NAME:
        return None
    for href, _ in [(url, ""), *links]:
        host = domain_of(href)
        if host and compact in _compact(host.split(".")[-2] if host.count(".") else host):
            return name, f"https://{host}"
    return None


def extract_candidates(*, title: str, url: str, content_html: str, summary: str = "") -> list[Found]:
    """Every tool `title`/`url`/`content_html` point at, once each, in order of appearance."""
    links = _links(content_html) if "<a" in content_html else []
    sentences: list[str] | None = None  # the text is cut into sentences only when a link needs its sentence
    own_site = site_key(url) if url else ""
    found: dict[str, Found] = {}
    launch = _launch(title, url, links)
    if launch is not None:
        name, homepage = launch
        found[f"site:{site_key(homepage)}"] = Found(f"site:{site_key(homepage)}", "launch", name, homepage,
                                                    _cut(title))
    show = _SHOW_HN.match(title)
    for href, anchor in [(url, ""), *links]:
        kind = classify_link(href) if href else None
        if kind is None or kind[0] in found:
            continue
        key, category, name, canonical = kind
        if href == url and show:  # "Show HN: Claude Reflect – …" linking its repository: the title names it
            name = _clean_name(show.group("name")) or name
        if href == url:
            sentence = _cut(title)
        else:
            if sentences is None:
                sentences = _sentences(html_to_text(content_html) or html_to_text(summary))
            sentence = _sentence_with([anchor, name], sentences, title)
        found[key] = Found(key, category, _clean_name(name), canonical, sentence)
    if launch is not None and own_site and f"site:{own_site}" in found and launch[1] != url:
        found.pop(f"site:{own_site}")  # an outlet's own site is not the tool's homepage
    return list(found.values())
