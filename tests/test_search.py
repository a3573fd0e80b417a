"""Search behind one interface: the same ranking cases on SQLite FTS5 and PostgreSQL full-text."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from directory_seed import article, categories, source, tool
from sqlmodel import Session

from agentoire_app.models import Tool
from agentoire_app.services.directory import search_tools
from agentoire_app.services.search import fts5_query, query_terms, search_articles, tsquery


@pytest.fixture
def catalog(session: Session) -> Session:
    categories(session)
    tool(session, "Chain", tagline="A tiny utility", category="coding", tags=["python"])
    tool(session, "LangChain", tagline="Build LLM applications", category="agents", tags=["python", "rag"],
         description="Framework for chaining prompts")
    tool(session, "Chain Reactor", tagline="Reactive pipelines", category="coding")
    tool(session, "Open Chain Tools", tagline="Utilities", category="other")
    tool(session, "Haystack", tagline="Search pipelines", category="agents", tags=["rag"],
         description="Compose retrieval chain components and pipelines")
    tool(session, "Ollama", tagline="Run models locally", category="models", tags=["local", "llm"],
         open_source=True, pricing="open-source")
    tool(session, "Café Writer", tagline="Writing assistant", category="other")
    return session


def names(tools: list[Tool]) -> list[str]:
    return [t.name for t in tools]


def test_exact_name_then_prefix_then_word_then_description(catalog: Session) -> None:
    found = names(search_tools("chain", session=catalog))
    assert found[0] == "Chain"
    assert found[1] == "Chain Reactor"
    assert set(found[2:4]) == {"LangChain", "Open Chain Tools"} or found[2] == "Open Chain Tools"
    assert found.index("Haystack") > found.index("Open Chain Tools")


def test_typing_a_prefix_finds_the_tool(catalog: Session) -> None:
    assert names(search_tools("lang", session=catalog))[0] == "LangChain"
    assert names(search_tools("ol", session=catalog)) == ["Ollama"]


def test_every_word_must_match(catalog: Session) -> None:
    assert names(search_tools("run locally", session=catalog)) == ["Ollama"]
    assert search_tools("run nothing-like-this", session=catalog) == []


def test_tags_and_tagline_are_searched(catalog: Session) -> None:
    assert set(names(search_tools("rag", session=catalog))) == {"LangChain", "Haystack"}
    assert names(search_tools("writing assistant", session=catalog)) == ["Café Writer"]


def test_accents_fold_on_sqlite_and_match_exactly_on_both(catalog: Session) -> None:
    assert names(search_tools("café", session=catalog)) == ["Café Writer"]


def test_search_takes_the_directory_filters(catalog: Session) -> None:
    assert names(search_tools("chain", session=catalog, category="agents")) == ["LangChain", "Haystack"]
    assert names(search_tools("pipelines", session=catalog, tag="rag")) == ["Haystack"]
    assert names(search_tools("o", session=catalog, open_source=True)) == ["Ollama"]
    assert len(search_tools("chain", session=catalog, limit=2)) == 2
    assert names(search_tools("chain", session=catalog, limit=1, offset=1)) == ["Chain Reactor"]


@pytest.mark.parametrize("hostile", [
    '"', '""', "'", "*", "chain*", '"chain', "NEAR(chain lang)", "chain NEAR lang", "chain OR lang",
    "chain AND", "NOT", "-chain", "a:b", "name:chain", "(", ")", "^", "\\", "%", "_", "!", "&", "|",
    "lang & chain", "'; DROP TABLE tool; --", "\x00", "🦜🔗", "日本語", "x" * 5000, "chain " * 100, "   ",
])
def test_hostile_queries_never_error(catalog: Session, hostile: str) -> None:
    search_tools(hostile, session=catalog)
    search_articles(hostile, session=catalog)
    assert catalog.scalar(sa.select(sa.func.count()).select_from(Tool)) == 7


def test_operator_words_are_plain_words(catalog: Session) -> None:
    tool(catalog, "Near Field", tagline="NFC helper")
    assert names(search_tools("near", session=catalog)) == ["Near Field"]
    assert names(search_tools("NEAR field", session=catalog)) == ["Near Field"]


def test_the_index_follows_updates_and_deletes(catalog: Session) -> None:
    ollama = search_tools("ollama", session=catalog)[0]
    ollama.name = "Llamafile"
    catalog.add(ollama)
    catalog.commit()
    assert search_tools("ollama", session=catalog) == []
    assert names(search_tools("llamaf", session=catalog)) == ["Llamafile"]
    catalog.delete(ollama)
    catalog.commit()
    assert search_tools("llamafile", session=catalog) == []


def test_articles_rank_title_over_summary_and_filter(catalog: Session) -> None:
    src = source(catalog)
    article(catalog, src, "Models everywhere", summary="Ollama ships a new release", days=3)
    article(catalog, src, "Ollama 1.0 released", summary="A milestone", days=1, category="release")
    article(catalog, src, "Unrelated", summary="Nothing to see", days=2)
    found = [a.title for a, _ in search_articles("ollama", session=catalog)]
    assert found == ["Ollama 1.0 released", "Models everywhere"]
    newest = [a.title for a, _ in search_articles("ollama", session=catalog, sort="newest")]
    assert newest == ["Models everywhere", "Ollama 1.0 released"]
    assert [a.title for a, _ in search_articles("oll", session=catalog, category="release")] == [
        "Ollama 1.0 released"]
    assert search_articles("", session=catalog) == []


def test_query_terms_are_words_only() -> None:
    assert query_terms('  "Lang*Chain" NEAR(x) ') == ["lang", "chain", "near", "x"]
    assert fts5_query(["lang", "chain"]) == '"lang"* "chain"*'
    assert tsquery(["lang"]) == "'lang':*"
    assert query_terms("🦜") == []
    assert len(query_terms("a " * 100)) == 8
