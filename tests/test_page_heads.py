"""Story and tool pages say what they are in the HTML the server sends, and an unknown slug answers 404.

The middleware runs in front of a stand-in for Reflex's static mount, with a shell file shaped like the
compiled `404.html`; the rows come from the real database (SQLite and PostgreSQL). The same answers from the
running app are checked with a plain HTTP client in `tests/browser/test_page_heads_served.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from directory_seed import article, categories, source, tool
from sqlmodel import Session
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from agentoire_app.api.page_heads import PageHeadMiddleware, json_ld_script
from agentoire_app.api.spa_shell import inject_head, route_preloads
from agentoire_app.models.text import long_date

SHELL = ('<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><script defer="" src="/agentoire.js">'
         '</script></head><body><div id="root"></div></body></html>')
FIRST_VIEW = "window.agFirstView="
HOSTILE = 'Evil "quote" </title><script>alert(1)</script> & <!-- </script><img src=x onerror=alert(2)>'


class HeadReader(HTMLParser):
    """What a crawler reads from a page: the title, the meta and link tags, the JSON-LD blocks, the scripts, and
    the served first view's headline and summary (what is painted before any script runs)."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.meta, self.links, self.json_ld, self.scripts = "", {}, {}, [], []
        self.first_view: list[dict[str, str]] = []
        self.painted = {"h1": "", "summary": ""}
        self._in: str | None = None
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links[a.get("rel", "")] = a.get("href", "")
        elif tag in ("title", "script"):
            self._in, self._script_type = tag, a.get("type", "")
            if tag == "script":
                self.scripts.append(a.get("src", "inline"))
        elif tag == "img":
            self.scripts.append("img")
        elif tag == "h1" or (tag == "p" and a.get("class") == "ag-summary"):
            self._in = "h1" if tag == "h1" else "summary"

    def handle_data(self, data: str) -> None:
        if self._in in self.painted:
            self.painted[self._in] += data
        elif self._in == "title":
            self.title += data
        elif self._in == "script" and self._script_type == "application/ld+json":
            self.json_ld.append(json.loads(data))
        elif self._in == "script" and data.startswith(FIRST_VIEW) and data.endswith(";"):
            self.first_view.append(json.loads(data[len(FIRST_VIEW):-1]))

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def read_head(text: str) -> HeadReader:
    reader = HeadReader()
    reader.feed(text)
    return reader


async def static_mount(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("static mount")(scope, receive, send)


@pytest.fixture
def client(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", "https://agentoire.example/")
    shell = tmp_path / "404.html"
    shell.write_text(SHELL, encoding="utf-8")
    yield TestClient(PageHeadMiddleware(static_mount, shell_path=shell), base_url="http://forged.test")


def test_a_story_page_carries_its_title_description_canonical_and_a_news_article(
        session: Session, client: TestClient) -> None:
    row = article(session, source(session), "Agents learn to file taxes", days=3,
                  summary="A lab shows an agent that fills in forms.\n\nIt still needs a human.")
    response = client.get(f"/news/{row.slug}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    head = read_head(response.text)
    canonical = f"https://agentoire.example/news/{row.slug}"
    assert head.title == "Agents learn to file taxes · agentoire"
    assert head.meta["description"] == "A lab shows an agent that fills in forms. It still needs a human."
    assert head.links["canonical"] == canonical, "the base URL, never the request's Host"
    assert (head.meta["og:type"], head.meta["og:title"], head.meta["og:url"]) == (
        "article", "Agents learn to file taxes", canonical)
    assert head.meta["twitter:card"] == "summary" and head.meta["twitter:title"] == "Agents learn to file taxes"
    assert head.meta["article:published_time"].startswith("2026-")
    [data] = head.json_ld
    assert (data["@type"], data["headline"], data["url"]) == ("NewsArticle", "Agents learn to file taxes", canonical)
    assert data["publisher"]["name"] == "Example News" and data["isBasedOn"] == row.url
    body = response.text[response.text.index("<body>"):]
    assert body.startswith('<body><div id="root"></div><div id="ag-first-paint"') and body.endswith(
        "</script></body></html>"), "the shell's own body is untouched: the first view follows it"


def test_a_story_page_carries_the_first_view_the_article_shows_before_its_state(
        session: Session, client: TestClient) -> None:
    row = article(session, source(session), "Agents learn to file taxes", days=3, category="research",
                  summary="A lab shows an agent that fills in forms.")
    [view] = read_head(client.get(f"/news/{row.slug}").text).first_view
    assert view == {"path": f"/news/{row.slug}", "title": "Agents learn to file taxes", "category": "research",
                    "date": long_date(row.published_at), "source": "Example News",
                    "summary": "A lab shows an agent that fills in forms."}
    assert read_head(client.get("/tools/no-such-tool").text).first_view == []


def test_a_story_page_is_painted_with_its_headline_before_any_script_runs(
        session: Session, client: TestClient) -> None:
    """The served HTML carries the headline and summary as text (hidden from assistive technology, which
    reads the page the app renders and which removes this copy)."""
    row = article(session, source(session), "Agents learn to file taxes", days=3,
                  summary="A lab shows an agent that fills in forms.")
    text = client.get(f"/news/{row.slug}").text
    assert read_head(text).painted == {"h1": "Agents learn to file taxes",
                                       "summary": "A lab shows an agent that fills in forms."}
    assert '<div id="ag-first-paint" class="ag-main ag-width-article" aria-hidden="true">' in text
    assert read_head(client.get("/tools/no-such-tool").text).painted == {"h1": "", "summary": ""}


def test_a_tool_page_carries_a_software_application(session: Session, client: TestClient) -> None:
    categories(session)
    tool(session, "Delta Agent", tagline="Runs agents on your laptop.", category="agents", open_source=True,
         repository="https://github.com/example/delta")
    response = client.get("/tools/delta-agent")
    assert response.status_code == 200
    head = read_head(response.text)
    assert head.title == "Delta Agent · agentoire"
    assert head.meta["og:description"] == head.meta["description"] == "Runs agents on your laptop."
    [data] = head.json_ld
    assert (data["@type"], data["name"], data["applicationCategory"]) == ("SoftwareApplication", "Delta Agent", "agents")
    assert data["sameAs"] == ["https://delta-agent.example.com/", "https://github.com/example/delta"]
    assert data["isAccessibleForFree"] is True


@pytest.mark.parametrize("path", ["/news/no-such-story", "/tools/no-such-tool"])
def test_an_unknown_slug_answers_404_with_the_same_shell(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert '<div id="root"></div>' in response.text, "the client renders the not-found page from the shell"
    head = read_head(response.text)
    assert head.title == "not found · agentoire" and head.meta["robots"] == "noindex"
    assert head.json_ld == [] and "canonical" not in head.links


def test_a_hostile_title_stays_text_in_every_tag(session: Session, client: TestClient) -> None:
    row = article(session, source(session), HOSTILE, days=1, summary=HOSTILE)
    response = client.get(f"/news/{row.slug}")
    head = read_head(response.text)
    assert head.title == f"{HOSTILE} · agentoire"
    assert head.meta["og:title"] == head.meta["twitter:title"] == HOSTILE
    assert head.json_ld[0]["headline"] == HOSTILE
    assert head.first_view[0]["title"] == head.first_view[0]["summary"] == HOSTILE
    assert head.painted == {"h1": HOSTILE, "summary": HOSTILE}
    assert head.scripts == ["/agentoire.js", "inline", "inline", "inline"], "no script or element came out of the title"
    assert "</script><img" not in response.text and "<!--" not in response.text


def test_json_ld_cannot_close_its_script() -> None:
    script = json_ld_script({"headline": "</script><script>alert(1)</script>"})
    assert script.count("</script>") == 1 and script.endswith("</script>")
    assert re.search(r"<(?!/script>$)", script[len('<script type="application/ld+json">'):]) is None


@pytest.mark.parametrize("path", ["/news", "/tools", "/tools/feed.xml", "/news/a/b", "/api/news", "/"])
def test_other_paths_reach_the_static_mount(client: TestClient, path: str) -> None:
    assert client.get(path).text == "static mount"


def test_without_a_compiled_shell_pages_pass_through(session: Session, tmp_path: Path) -> None:
    app = PageHeadMiddleware(static_mount, shell_path=tmp_path / "missing.html")
    assert TestClient(app).get("/news/anything").text == "static mount"


def test_a_head_goes_before_the_shells_head_end() -> None:
    assert inject_head("<head><meta></head><body>", "<title>x</title>") == "<head><meta><title>x</title></head><body>"


MANIFEST = ('window.__reactRouterManifest={"entry":{"module":"/assets/entry.js"},"routes":{'
            '"root":{"id":"root","path":"","module":"/assets/root.js","imports":["/assets/react.js"]},'
            '"routes/[news].$[slug]._index":{"path":"news/:slug","module":"/assets/news-slug.js",'
            '"imports":["/assets/react.js","/assets/helper.js"]}}};')


def test_a_story_page_hints_its_own_module_beside_the_roots(session: Session, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The shell preloads the root's modules only; the page's own would be asked for after the root ran."""
    shell = SHELL.replace("<head>", '<head><link rel="modulepreload" href="/assets/manifest-1.js"/>'
                                    '<link rel="modulepreload" href="/assets/react.js"/>')
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "manifest-1.js").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "404.html").write_text(shell, encoding="utf-8")
    row = article(session, source(session), "Agents learn to file taxes", days=3)
    monkeypatch.setenv("AGENTOIRE_BASE_URL", "https://agentoire.example/")
    client = TestClient(PageHeadMiddleware(static_mount, shell_path=tmp_path / "404.html"))
    page = client.get(f"/news/{row.slug}").text
    head = page[:page.index("</head>")]
    assert re.findall(r'rel="modulepreload" href="([^"]+)"', head) == [
        "/assets/manifest-1.js", "/assets/react.js", "/assets/news-slug.js", "/assets/helper.js"]


def test_an_unreadable_manifest_gives_no_hints() -> None:
    assert route_preloads(SHELL, "window.__reactRouterManifest=oops;") == {}
    assert route_preloads(SHELL, MANIFEST)["news/:slug"].count("modulepreload") == 3
