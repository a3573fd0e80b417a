"""Open data out: Atom feeds (news, new tools), OPML of the sources, and the sitemap.

Pure writers: they take rows and absolute URLs (built from `AGENTOIRE_BASE_URL`, never a request's Host,
since these documents are cached and shared) and return XML text, so they are tested by parsing their
output back (feedparser for Atom) without a server. Text is escaped and characters XML forbids are dropped,
so no title or summary from a feed can break the document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from ..models import Article, Source, Tool
from .news import notes_origin_line
from .sources import public_source_name, url_is_publishable

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ATOM_NS = "http://www.w3.org/2005/Atom"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def xml_text(value: object) -> str:
    return escape(_XML_INVALID.sub("", str(value or "")))


def xml_attr(value: object) -> str:
    return quoteattr(_XML_INVALID.sub("", str(value or "")))


def rfc3339(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    link: str
    updated: datetime
    published: datetime | None = None
    summary: str = ""
    content_html: str = ""
    author: str = ""
    categories: tuple[str, ...] = ()
    via: str = ""


def atom_feed(*, title: str, feed_url: str, site_url: str, subtitle: str = "",
              entries: Sequence[AtomEntry], author: str = "agentoire") -> str:
    """An Atom 1.0 document (RFC 4287); `updated` is the newest entry's date."""
    updated = max((e.updated for e in entries), default=EPOCH)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}">',
        f"  <id>{xml_text(feed_url)}</id>",
        f"  <title>{xml_text(title)}</title>",
    ]
    if subtitle:
        out.append(f"  <subtitle>{xml_text(subtitle)}</subtitle>")
    out += [
        f"  <updated>{rfc3339(updated)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(site_url)}/>',
        f"  <author><name>{xml_text(author)}</name></author>",
        '  <generator uri="https://github.com/agentoire/agentoire">agentoire</generator>',
    ]
    for entry in entries:
        out += [
            "  <entry>",
            f"    <id>{xml_text(entry.id)}</id>",
            f"    <title type=\"text\">{xml_text(entry.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={xml_attr(entry.link)}/>',
            f"    <updated>{rfc3339(entry.updated)}</updated>",
        ]
        if entry.published:
            out.append(f"    <published>{rfc3339(entry.published)}</published>")
        if entry.author:
            out.append(f"    <author><name>{xml_text(entry.author)}</name></author>")
        if entry.via:
            out.append(f'    <link rel="via" href={xml_attr(entry.via)}/>')
        out += [f"    <category term={xml_attr(term)}/>" for term in entry.categories if term]
        if entry.summary:
            out.append(f'    <summary type="text">{xml_text(entry.summary)}</summary>')
        if entry.content_html:
            out.append(f'    <content type="html">{xml_text(entry.content_html)}</content>')
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def notes_with_origin(notes_html: str, origin: str, *, base_url: str) -> str:
    """The practitioner notes for an Atom entry's content (links to our tool pages made absolute, since
    feed readers have no page to resolve them against), with the line saying where they come from."""
    if not notes_html:
        return ""
    absolute = notes_html.replace('href="/', f'href="{base_url}/')
    return f"{absolute}<p><em>Notes {html.escape(notes_origin_line(origin))}.</em></p>"


def news_atom(rows: Iterable[tuple[Article, Source]], *, base_url: str) -> str:
    """The news desk as Atom: each entry links to our article page and, as `via`, to the original."""
    base = base_url.rstrip("/")
    entries = [
        AtomEntry(
            id=f"{base}/news/{article.slug}",
            title=article.title,
            link=f"{base}/news/{article.slug}",
            updated=article.updated_at or article.published_at,
            published=article.published_at,
            summary=article.summary,
            content_html=notes_with_origin(article.notes_html, article.notes_origin, base_url=base),
            author=public_source_name(source),
            categories=(article.category,),
            via=article.url if url_is_publishable(article.url) else "",
        )
        for article, source in rows
    ]
    return atom_feed(title="agentoire — AI news", subtitle="AI news for people who build with AI",
                     feed_url=f"{base}/feed.xml", site_url=f"{base}/news", entries=entries)


def tools_atom(tools: Iterable[Tool], *, base_url: str) -> str:
    """Newly listed tools as Atom, newest first, each with its category, tags and where it came from."""
    base = base_url.rstrip("/")
    entries = []
    for tool in tools:
        summary = tool.tagline
        if tool.homepage:
            summary = f"{summary} — {tool.homepage}" if summary else tool.homepage
        entries.append(AtomEntry(
            id=f"{base}/tools/{tool.slug}",
            title=tool.name,
            link=f"{base}/tools/{tool.slug}",
            updated=tool.added_at,
            published=tool.added_at,
            summary=f"{summary} (listed from {tool.source})",
            categories=(tool.category, *[t for t in (tool.tags or []) if isinstance(t, str)]),
            via=tool.homepage,
        ))
    return atom_feed(title="agentoire — new AI tools", subtitle="Tools newly added to the directory",
                     feed_url=f"{base}/tools/feed.xml", site_url=f"{base}/tools", entries=entries)


def sources_opml(sources: Iterable[Source], *, title: str = "agentoire news sources",
                 now: datetime | None = None, public: bool = False) -> str:
    """OPML 2.0 of the feeds we read, importable by any reader (and by `agentoire feeds import`).

    `public` (the site's `/sources.opml`) leaves out sources on private addresses, which are the operator's
    business; the operator's own export (`agentoire feeds export`) keeps every source.
    """
    created = (now or EPOCH).strftime("%a, %d %b %Y %H:%M:%S GMT")
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<opml version="2.0">', "  <head>",
           f"    <title>{xml_text(title)}</title>", f"    <dateCreated>{created}</dateCreated>", "  </head>",
           "  <body>"]
    for source in sources:
        if public and not url_is_publishable(source.url):
            continue
        text = source.title or source.url
        site_url = source.site_url if source.site_url and (not public or url_is_publishable(source.site_url)) else ""
        html = f" htmlUrl={xml_attr(site_url)}" if site_url else ""
        out.append(f'    <outline type="rss" text={xml_attr(text)} title={xml_attr(text)} '
                   f"xmlUrl={xml_attr(source.url)}{html}/>")
    out += ["  </body>", "</opml>"]
    return "\n".join(out) + "\n"


def sitemap_xml(urls: Iterable[tuple[str, datetime | None]]) -> str:
    """A sitemaps.org urlset; at most 50,000 URLs as the protocol allows."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for n, (loc, lastmod) in enumerate(urls):
        if n >= 50_000:
            break
        mod = f"<lastmod>{rfc3339(lastmod)}</lastmod>" if lastmod else ""
        out.append(f"  <url><loc>{xml_text(loc)}</loc>{mod}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"
