"""`agentoire feeds|refresh|news` as the contract states them, run as a script would, on a fresh database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedserver import ATOM, FeedServer, running_server

AGENTOIRE = [str(Path(sys.executable).parent / "agentoire")]  # the installed script, as users run it


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AGENTOIRE, *args], capture_output=True, text=True, timeout=120, env=dict(os.environ))


def ok(*args: str) -> str:
    result = cli(*args)
    assert result.returncode == 0, result
    return result.stdout


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


SITE = """<!doctype html><html><head><title>Desk</title>
<link rel="alternate" type="application/atom+xml" title="Feed" href="/desk/feed.atom">
</head><body>hello</body></html>"""


def test_add_refresh_list_and_news_on_a_fresh_database(server: FeedServer, db_url: str) -> None:
    feed = server.feed("/desk/feed.atom", "mf_github_commits.atom", content_type=ATOM)
    site = server.route("/desk/", SITE, headers={"Content-Type": "text/html; charset=utf-8"})

    assert "discovered feed" in ok("feeds", "add", site)
    assert "already a source" in ok("feeds", "add", feed)  # the site led to this very feed: one source
    assert "already a source" in ok("feeds", "add", feed + "#fragment")

    report = json.loads(ok("refresh", "--once", "--json"))
    assert report == {"feeds": [{"url": feed, "status": "ok", "new": 20, "updated": 0, "error": ""}]}
    again = json.loads(ok("refresh", "--once", "--all", "--json"))
    assert again["feeds"][0]["status"] == "ok" and again["feeds"][0]["new"] == 0

    [row] = json.loads(ok("feeds", "list", "--json"))
    assert row["url"] == feed and row["last_status"] == "ok" and row["error_count"] == 0
    assert row["last_error"] == "" and row["next_fetch_at"] and row["articles"] == 20
    assert "next fetch" in ok("feeds", "list")

    news = json.loads(ok("news", "list", "--json", "--source", feed, "--limit", "3"))
    assert len(news) == 3
    assert set(news[0]) == {"slug", "title", "url", "source_url", "published_at", "category", "summary",
                            "content_html", "notes_html", "notes_origin", "story"}
    assert news[0]["source_url"] == feed and news[0]["title"]


def test_a_failing_feed_shows_its_error_in_the_list(server: FeedServer, sqlite_url: str) -> None:
    url = server.route("/broken", status=500)
    ok("feeds", "add", "--no-check", url)
    report = json.loads(ok("refresh", "--once", "--json"))
    assert report["feeds"] == [{"url": url, "status": "error", "new": 0, "updated": 0,
                                "error": "HTTP 500 Internal Server Error"}]
    [row] = json.loads(ok("feeds", "list", "--json"))
    assert (row["last_status"], row["error_count"], row["last_error"]) == ("error", 1,
                                                                           "HTTP 500 Internal Server Error")


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "http://", "javascript:alert(1)", "http://exa mple.org/"])
def test_a_bad_url_is_refused_in_one_line(sqlite_url: str, url: str) -> None:
    assert_refused(cli("feeds", "add", url))


def test_a_url_that_is_no_feed_is_refused_in_one_line(server: FeedServer, sqlite_url: str) -> None:
    assert_refused(cli("feeds", "add", server.route("/plain", "<html><body>no feed</body></html>",
                                                    headers={"Content-Type": "text/html"})), "announces no feed")
    assert_refused(cli("feeds", "add", server.route("/missing", status=404)), "404")
    assert_refused(cli("feeds", "add", "http://127.0.0.1:9/"), "cannot")


def test_opml_import_export_round_trip(server: FeedServer, sqlite_url: str, tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Folder"><outline text="One" xmlUrl="{server.url('/one.xml')}" htmlUrl="https://one.example/"/>
<outline text="Two" xmlUrl="{server.url('/two.xml')}"/></outline>
<outline text="Dup" xmlUrl="{server.url('/one.xml')}"/></body></opml>""")
    assert "2 added" in ok("feeds", "import", str(opml))
    assert "0 added" in ok("feeds", "import", str(opml))
    exported = ok("feeds", "export")
    assert exported.startswith("<?xml") and server.url("/one.xml") in exported and 'text="Two"' in exported
    again = tmp_path / "out.opml"
    again.write_text(exported)
    assert "0 added" in ok("feeds", "import", str(again))
    assert_refused(cli("feeds", "import", str(tmp_path / "nope.opml")), "cannot read")
    junk = tmp_path / "junk.opml"
    junk.write_text("this is not xml")
    assert_refused(cli("feeds", "import", str(junk)))


def test_refresh_without_once_says_where_the_loop_lives(sqlite_url: str) -> None:
    assert_refused(cli("refresh"), "--once")


def test_news_list_refuses_bad_limits_and_unknown_sources(sqlite_url: str) -> None:
    assert_refused(cli("news", "list", "--limit", "0"))
    assert_refused(cli("news", "list", "--source", "https://nowhere.example/feed"), "no source")
    assert json.loads(ok("news", "list", "--json")) == []
