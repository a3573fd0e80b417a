"""Where sources come from: the shipped default list, OPML files, and `agentoire feeds add`."""

from __future__ import annotations

from pathlib import Path
from xml.parsers import expat

from sqlmodel import Session

from .source_rows import count_sources, insert_sources_ignoring_duplicates

DEFAULT_SOURCES_OPML = Path(__file__).resolve().parent / "data" / "default_sources.opml"


class BadOpml(ValueError):
    """A file that is not OPML we can read."""


def _refuse_entities(*_declaration: object) -> None:
    raise BadOpml("OPML with entity declarations is refused")


def parse_opml(data: bytes) -> list[tuple[str, str, str]]:
    """(feed URL, title, site URL) for every outline with an `xmlUrl`, nested folders included.

    Read in one streaming pass by expat. An entity declaration is refused wherever it stands and in any
    encoding (a byte search of the first KB misses one after padding, or in UTF-16): entities are how a
    small file becomes a huge or slow one, and OPML has no use for them.
    """
    found: list[tuple[str, str, str]] = []
    root: list[str] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if not root:
            root.append(tag)
        if tag != "outline":
            return
        attrs = {k.lower(): v for k, v in attributes.items()}
        url = (attrs.get("xmlurl") or "").strip()
        if url:
            found.append((url, (attrs.get("title") or attrs.get("text") or "").strip(),
                          (attrs.get("htmlurl") or "").strip()))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise BadOpml(f"not valid OPML/XML: {exc}") from exc
    if root[0].lower() != "opml":
        raise BadOpml(f"not OPML: the root element is <{root[0]}>")
    return found


def import_opml(data: bytes, *, session: Session, added_by: str = "operator") -> tuple[int, int]:
    """Add the OPML's feeds; returns (added, already present or unusable)."""
    rows = parse_opml(data)
    added = insert_sources_ignoring_duplicates(rows, session=session, added_by=added_by)
    return added, len(rows) - added


def load_default_sources(*, session: Session) -> int:
    """On first run (no source at all yet) add the shipped AI news feeds; returns how many were added.

    Called on every start: a count query when already seeded. Concurrent starts are safe (duplicates are
    skipped by the URL's unique index). The marker is the table itself: an operator who deletes every
    source gets the defaults back at the next start.
    """
    if count_sources(session=session) > 0:
        return 0
    return insert_sources_ignoring_duplicates(parse_opml(DEFAULT_SOURCES_OPML.read_bytes()), session=session)
