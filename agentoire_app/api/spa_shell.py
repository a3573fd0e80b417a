"""The SPA shell Reflex compiles (`404.html`, which its production server answers every dynamic page with):
reading it once per build, the module hints of each route, and putting a page's own tags into it.

The shell is the same for every dynamic page, so it preloads only the root's modules; `route_preloads`
reads the router's manifest so a page's own module can be hinted in its head instead of being asked for
only after the root has run (`api.page_heads` serves them).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from reflex import constants
from reflex.utils.prerequisites import get_web_dir


def inject_head(shell: str, tags: str, body_end: str = "") -> str:
    """The shell with `tags` before its `</head>` (at the top of the body if a shell ever lacks one) and
    `body_end` before its `</body>` (at the end if it lacks one)."""
    at = shell.find("</head>")
    shell = shell[:at] + tags + shell[at:] if at >= 0 else tags + shell
    end = shell.rfind("</body>")
    return shell[:end] + body_end + shell[end:] if end >= 0 else shell + body_end


_MANIFEST_LINK = re.compile(r'href="(/assets/manifest-[^"/]+\.js)"')
_MANIFEST_PREFIX = "window.__reactRouterManifest="
_PRELOAD_LINK = re.compile(r'rel="modulepreload" href="([^"]+)"')


def route_preloads(shell: str, manifest_js: str) -> dict[str, str]:
    """Per route path (`news/:slug`), `<link rel="modulepreload">` tags for its module and what it imports,
    leaving out what the shell preloads already.

    The shell is the same for every dynamic page, so it preloads only the root's modules; the router asks
    for the page's own module after the root has run, a whole fetch later. Told in the head, the browser
    fetches it beside the root's. A manifest that cannot be read means no hints, never an error.
    """
    text = manifest_js.strip().removeprefix(_MANIFEST_PREFIX).rstrip(";")
    try:
        routes = json.loads(text)["routes"].values()
    except (ValueError, KeyError, AttributeError):
        return {}
    known = set(_PRELOAD_LINK.findall(shell))
    hints: dict[str, str] = {}
    for route in routes:
        if not isinstance(route, dict) or not isinstance(route.get("path"), str):
            continue
        modules = [route.get("module"), *route.get("imports", [])]
        hints[route["path"]] = "".join(f'<link rel="modulepreload" href="{html.escape(m, quote=True)}"/>' for m in dict.fromkeys(modules)
                                       if isinstance(m, str) and m.startswith("/assets/") and m not in known)
    return hints


class SpaShell:
    """The compiled SPA shell (and its routes' module hints), re-read when a new build replaces it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._stamp: float | None = None
        self._text = ""
        self.preloads: dict[str, str] = {}

    def text(self) -> str | None:
        path = self.path or get_web_dir() / constants.Dirs.STATIC / f"{constants.Page404.SLUG}.html"
        try:
            stamp = path.stat().st_mtime
        except OSError:
            return None
        if stamp != self._stamp:
            self._text, self._stamp = path.read_text(encoding="utf-8"), stamp
            self.preloads = self._read_preloads(path.parent)
        return self._text

    def _read_preloads(self, static_dir: Path) -> dict[str, str]:
        link = _MANIFEST_LINK.search(self._text)
        if link is None:
            return {}
        try:
            manifest = (static_dir / link.group(1).lstrip("/")).read_text(encoding="utf-8")
        except OSError:
            return {}
        return route_preloads(self._text, manifest)
