"""Content is hostile: entry HTML through nh3 against an explicit allowlist, and plain text out of it.

What survives: paragraphs, line breaks, links, emphasis, lists, quotes, code, headings, images whose source
is http(s), simple tables. Nothing else: no script, style, iframe, object, form, event handler, `style`
attribute, class, id, `javascript:`/`data:` URL. Relative URLs are resolved against the entry's base
(`xml:base` or the entry/feed URL) while sanitizing, and a URL that is still relative, or not http(s)
(mailto for links), is dropped. Links get `rel="noopener noreferrer nofollow"`.
"""

from __future__ import annotations

import html
import re
import threading
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "div", "span",
    "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite", "q",
    "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code", "kbd", "samp",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "img", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Dropped with everything inside them: their text is code, styling or a widget, never the story.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "applet", "form", "noscript", "template", "svg", "math",
    "textarea", "select", "button", "frame", "frameset", "noembed", "noframes", "xmp",
})
LINK_REL = "noopener noreferrer nofollow"
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

_state = threading.local()


def _resolve_url(element: str, attribute: str, value: str) -> str | None:
    if attribute not in ("href", "src"):
        return value
    value = value.strip()
    if value.startswith(("https://", "http://")) and " " not in value:
        return value  # already absolute http(s), allowed for links and images alike
    base = getattr(_state, "base", "") or ""
    try:
        absolute = urljoin(base, value) if base else value
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    allowed = IMAGE_SCHEMES if attribute == "src" else LINK_SCHEMES
    if scheme not in allowed:
        return None
    return absolute


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_resolve_url,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=set(LINK_SCHEMES),
)
_text_cleaner = nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT), attributes={},
                            strip_comments=True, link_rel=None)
_SPACES = re.compile(r"\s+")
_TAG_START = re.compile(r"<(?=[/a-zA-Z!])")


def clean_html(fragment: str, *, base_url: str = "") -> str:
    """`fragment` made safe to render on our pages, its URLs absolute against `base_url`."""
    if not fragment:
        return ""
    _state.base = base_url
    try:
        return _cleaner.clean(fragment).strip()
    finally:
        _state.base = ""


def text_to_html(text: str) -> str:
    """Plain text (a `type="text"` content) shown as paragraphs, every character escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment on one line: tags and dropped elements gone, entities decoded."""
    if not fragment:
        return ""
    if "<" in fragment:
        # A space before every tag so that "<p>a</p><p>b</p>" reads "a b", not "ab".
        fragment = _text_cleaner.clean(_TAG_START.sub(" <", fragment))
    return _SPACES.sub(" ", html.unescape(fragment)).strip()
