"""Search by meaning: lexical results first; when they are few, the nearest articles and tools by meaning
follow, marked related. Real news items (fixtures/stories) on SQLite and PostgreSQL, the real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from directory_seed import article, categories, source, tool
from sqlmodel import Session, col, func, select
from stories_items import items

from agentoire_app.ingest.clean import html_to_text
from agentoire_app.meaning.articles import embed_missing_articles
from agentoire_app.meaning.indexes import build_indexes, current_index
from agentoire_app.meaning.model import load_embedder
from agentoire_app.meaning.vectors import VectorIndex, ids_array
from agentoire_app.models import Article, ArticleVector
from agentoire_app.models.text import shorten
from agentoire_app.services.palette import palette_search
from agentoire_app.services.related import WIDEN_BELOW, search_articles_with_related
from agentoire_app.services.search import search_articles

REPO = Path(__file__).resolve().parent.parent
MINIMAX = "Chinese AI firm MiniMax expected to price Hong Kong IPO at top of range, sources say"


@pytest.fixture
def meaning_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_SEMANTIC", "1")


@pytest.fixture
def news(session: Session, meaning_on: None) -> Session:
    """Every real item of the stories fixture as an article, a few tools, and this worker's indexes built."""
    src = source(session)
    categories(session)
    for i, item in enumerate(items()):
        article(session, src, html_to_text(item["title"]), days=i, summary=shorten(html_to_text(item["description"])))
    tool(session, "Whisper", tagline="Speech recognition model")
    tool(session, "Otter", tagline="AI meeting notes and transcripts")
    tool(session, "Ollama", tagline="Run models locally")
    assert build_indexes(session=session)
    return session


def titles(rows: list[tuple[Article, object, bool]], *, related: bool) -> list[str]:
    return [a.title for a, _s, is_related in rows if is_related is related]


@pytest.mark.parametrize("query", ["open weights chinese models", "China's open-source bet"])
def test_the_example_query_finds_the_chinese_model_maker_by_meaning(news: Session, query: str) -> None:
    assert search_articles(query, session=news) == []
    rows = search_articles_with_related(query, session=news)
    assert MINIMAX in titles(rows, related=True)
    palette = [h for h in palette_search(query, session=news) if h.group == "news"]
    assert MINIMAX in [h.title for h in palette if h.related]


@pytest.mark.parametrize(("query", "expected"), [
    ("graphics card scarcity", "Nvidia Reportedly Combatting GPU Shortages By Bringing Back Discontinued Graphics Card"),
    ("fake church leaders", "Deepfake AI Pastors Are Stealing From Churchgoers: Report"),
])
def test_real_pairs_with_no_word_in_common_are_found(news: Session, query: str, expected: str) -> None:
    rows = search_articles_with_related(query, session=news)
    assert titles(rows, related=False) == []
    assert expected in titles(rows, related=True)


def test_a_query_with_many_lexical_hits_is_not_widened(news: Session) -> None:
    rows = search_articles_with_related("robot", session=news, limit=50)
    assert len(rows) >= WIDEN_BELOW
    assert titles(rows, related=True) == []
    assert not any(h.related for h in palette_search("robot", session=news))


def test_few_lexical_hits_come_first_and_related_ones_never_repeat_them(news: Session) -> None:
    rows = search_articles_with_related("lawn mower", session=news)
    lexical = titles(rows, related=False)
    assert 0 < len(lexical) < WIDEN_BELOW
    assert [related for _a, _s, related in rows] == sorted(related for _a, _s, related in rows)
    assert not set(lexical) & set(titles(rows, related=True))


def test_related_articles_keep_the_category_filter(news: Session) -> None:
    first = news.exec(select(Article).where(Article.title.startswith("Nvidia Reportedly"))).one()  # type: ignore[attr-defined]
    first.category = "research"
    news.add(first)
    news.commit()
    rows = search_articles_with_related("graphics card scarcity", session=news, category="research")
    assert [a.title for a, _s, _r in rows] == [first.title]


def test_tools_are_widened_by_name_and_tagline(news: Session) -> None:
    hits = [h for h in palette_search("transcribe audio", session=news) if h.group == "tools"]
    assert hits and hits[0].title == "Otter" and all(h.related for h in hits)


def test_switched_off_the_search_is_lexical(news: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_SEMANTIC", "0")
    assert search_articles_with_related("open weights chinese models", session=news) == []
    assert palette_search("open weights chinese models", session=news) == []


MODEL_ABSENT = """
import json, logging, sys
sys.modules["wordllama"] = None  # `import wordllama` now fails, as when the package is not installed
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
from sqlmodel import Session
from agentoire_app.db import get_engine
from agentoire_app.meaning.indexes import build_indexes
from agentoire_app.services.palette import palette_search
from agentoire_app.services.related import search_articles_with_related
with Session(get_engine()) as session:
    built = build_indexes(session=session)
    news = [[a.title, related] for a, _s, related in search_articles_with_related(sys.argv[1], session=session)]
    palette = [[h.title, h.related] for h in palette_search(sys.argv[1], session=session)]
print(json.dumps({"built": built, "news": news, "palette": palette}))
"""


@pytest.mark.parametrize("query", ["open weights chinese models", "lawn mower"])
def test_without_the_model_package_the_search_is_lexical_and_says_so(news: Session, query: str) -> None:
    done = subprocess.run([sys.executable, "-c", MODEL_ABSENT, query], cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120, check=True)
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["built"] is False
    assert answer["news"] == [[a.title, False] for a, _s in search_articles(query, session=news)]
    assert not any(related for _title, related in answer["palette"])
    assert "wordllama package is not installed; search is lexical only" in done.stderr


def test_each_article_is_embedded_once_and_its_vector_goes_with_it(news: Session) -> None:
    articles = news.exec(select(func.count(col(Article.id)))).one()
    assert news.exec(select(func.count(col(ArticleVector.article_id)))).one() == articles
    embedder = load_embedder()
    assert embedder is not None
    assert embed_missing_articles(embedder, session=news) == 0
    gone = news.exec(select(Article).where(Article.title == MINIMAX)).one()
    news.delete(gone)
    news.commit()
    assert news.get(ArticleVector, gone.id) is None


def test_a_new_article_reaches_the_index_without_waiting_on_the_search(news: Session) -> None:
    src = news.exec(select(Article)).first()
    assert src is not None
    added = Article(slug="open-weights", source_id=src.source_id, guid="open-weights", title="Open weights",
                    summary="Labs publish model weights for anyone to run.")
    news.add(added)
    news.commit()
    before = current_index("articles", session=news)  # notices the new row, rebuilds in the background
    assert before is not None and added.id not in before.ids
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        index = current_index("articles", session=news)
        if index is not None and added.id in index.ids:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the new article never reached the index")


def test_nearest_is_most_similar_first_above_the_floor_without_the_excluded() -> None:
    matrix = np.array([[1, 0], [0.6, 0.8], [0, 1], [0.8, 0.6]], dtype=np.float32)
    index = VectorIndex(ids=ids_array([10, 11, 12, 13]), matrix=matrix)
    query = np.array([1, 0], dtype=np.float32)
    assert [i for i, _s in index.nearest(query, limit=3, floor=0.5)] == [10, 13, 11]
    assert [i for i, _s in index.nearest(query, limit=3, floor=0.7)] == [10, 13]
    assert [i for i, _s in index.nearest(query, limit=2, floor=0.0, exclude={10})] == [13, 11]
    assert VectorIndex.empty().nearest(query, limit=3, floor=0.0) == []
