"""Where notes leave the database: /api/news, the Atom feed, `news list --json`, and `notes rebuild`."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import feedparser
import pytest
from fake_llm import FakeLlm, Reply, running_fake
from sqlmodel import Session, select
from starlette.testclient import TestClient
from test_notes_model import BODY, GOOD, MODEL, seed

from agentoire_app.api import build_api
from agentoire_app.cli.main import main
from agentoire_app.db import get_engine
from agentoire_app.models import Article


@pytest.fixture
def fake() -> Iterator[FakeLlm]:
    yield from running_fake()


def test_api_news_and_atom_carry_the_notes_and_where_they_come_from(db_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_BASE_URL", "https://agentoire.example")
    seed(db_url, {"Orca ships": BODY})
    with TestClient(build_api(), base_url="http://agentoire.test") as client:
        item = client.get("/api/news").json()["items"][0]
        atom = feedparser.parse(client.get("/feed.xml").content)
    assert item["notes_origin"] == "facts" and '<a href="/tools/orca">Orca</a>' in item["notes_html"]
    content = html.unescape(atom.entries[0].content[0].value)
    assert "70B parameters" in content and "Notes from the story's text and our catalog." in content
    assert 'href="https://agentoire.example/tools/orca"' in content  # absolute, from the base URL


def test_news_list_json_has_notes_html_and_origin(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db_url, {"Orca ships": BODY})
    assert main(["news", "list", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["notes_origin"] == "facts" and "<strong>128K context window</strong>" in row["notes_html"]


def test_notes_rebuild_remakes_summaries_and_facts_notes(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = seed(db_url, {"Orca ships": BODY})
    with Session(get_engine(db_url)) as session:
        article = session.get(Article, ids["Orca ships"])
        assert article is not None
        article.notes_html, article.summary = "<p>For practitioners: filler.</p>", BODY[3:200]
        session.add(article)
        session.commit()
    assert main(["notes", "rebuild", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"articles": 1, "model": None, "by_model": 0, "kept_facts": 0,
                                                    "pending": 0}
    with Session(get_engine(db_url)) as session:
        article = session.exec(select(Article)).one()
    assert "filler" not in article.notes_html and "Apache 2.0 licence" in article.notes_html
    # The old summary was the body cut short; the lead replaces it (the article page cuts it from the body).
    assert article.summary == ("Acme released Orca 2.1, a 70B parameters model with a 128K context window, under "
                               "the Apache 2.0 licence. The open weights are on its site.")


def test_notes_rebuild_uses_the_model_when_configured(db_url: str, fake: FakeLlm, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    ids = seed(db_url, {"Orca ships": BODY, "Orca waits": BODY})
    fake.script["Orca ships"] = [Reply(GOOD)]
    fake.script["Orca waits"] = [Reply(status=500)]
    monkeypatch.setenv("AGENTOIRE_LLM_URL", fake.url)
    monkeypatch.setenv("AGENTOIRE_LLM_MODEL", MODEL)
    assert main(["notes", "rebuild", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"articles": 2, "model": MODEL, "by_model": 1, "kept_facts": 0, "pending": 1}
    with Session(get_engine(db_url)) as session:
        origins = {a.id: a.notes_origin for a in session.exec(select(Article)).all()}
    assert origins == {ids["Orca ships"]: f"model:{MODEL}", ids["Orca waits"]: "facts"}


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01"])
def test_notes_rebuild_refuses_a_bad_since_in_one_line(sqlite_url: str, since: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notes", "rebuild", "--since", since]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--since" in err
