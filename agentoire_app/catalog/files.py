"""Reading a catalog file: which of our formats it is, parsed into records (nothing is stored here).

Our own YAML/JSON (`tools:`), the awesome-agents structured list and awesome-list Markdown are told apart
by their content, not their name; a file in no known format is a `CatalogFileError` that names the file and
what was expected (the CLI exits 2 with it). Storing the records is `loader`'s job.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .awesome_agents import looks_like_awesome_agents, parse_awesome_agents
from .markdown import looks_like_markdown_list, parse_markdown
from .ours import parse_ours
from .records import ParsedCatalog
from .sources import AGENTOIRE

DEFAULT_CATALOG = Path(__file__).resolve().parent / "data" / "tools.yaml"
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


class CatalogFileError(ValueError):
    """A catalog file that cannot be read or is in no format we know (the CLI exits 2 with this)."""


def read_catalog_file(path: Path) -> ParsedCatalog:
    """Parse `path` as our catalog, the awesome-agents structured list or awesome-list Markdown.

    The extension decides when it says something (.json, .yaml/.yml, .md/.markdown); otherwise the
    content is sniffed. Raises `CatalogFileError` for a missing, unreadable or unrecognised file.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CatalogFileError(f"{path}: is a directory, not a catalog file") from None
    except UnicodeDecodeError:
        raise CatalogFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CatalogFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    fallback_source = f"file:{path.name}"[:120]
    if suffix in (".md", ".markdown"):
        return _markdown_or_error(path, text, fallback_source)
    data: Any = None
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogFileError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    elif suffix in (".yaml", ".yml"):
        data = _yaml_or_error(path, text)
    else:
        try:
            data = json.loads(text)
        except ValueError:
            if looks_like_markdown_list(text):
                return _markdown_or_error(path, text, fallback_source)
            try:
                data = yaml.load(text, Loader=_YAML_LOADER)
            except yaml.YAMLError:
                data = None
    return _structured_or_error(path, data, text, fallback_source)


def _yaml_or_error(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogFileError(f"{path}: invalid YAML{where}") from None


def _markdown_or_error(path: Path, text: str, fallback_source: str) -> ParsedCatalog:
    """Markdown that yields no tool rows at all (not even broken ones) is not an awesome list."""
    parsed = parse_markdown(text, fallback_source=fallback_source) if looks_like_markdown_list(text) else None
    if parsed is None or not (parsed.records or parsed.skipped):
        raise CatalogFileError(f"{path}: no `- [Name](url)` bullets or `| [Name](url) |` table rows found")
    return parsed


def _structured_or_error(path: Path, data: Any, text: str, fallback_source: str) -> ParsedCatalog:
    if isinstance(data, dict) and isinstance(data.get("tools"), list):
        return parse_ours(data, text, source=fallback_source)  # our format, but not our editors' file
    if looks_like_awesome_agents(data):
        return parse_awesome_agents(data, text)
    raise CatalogFileError(f"{path}: unrecognised catalog format (expected a `tools:` list, "
                           "an awesome-agents list or awesome-list Markdown)")


def read_default_catalog() -> ParsedCatalog:
    """The shipped `tools.yaml`, parsed."""
    text = DEFAULT_CATALOG.read_text(encoding="utf-8")
    return parse_ours(yaml.load(text, Loader=_YAML_LOADER), text, source=AGENTOIRE)
