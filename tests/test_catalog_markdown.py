"""Awesome-list Markdown: every oddity real lists contain is read sensibly or reported, never raised.

Each snippet below is a few lines of our own, one per oddity found in the real lists; the real
lists are imported end to end at the bottom of the file (on SQLite and PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from agentoire_app.catalog.files import read_catalog_file
from agentoire_app.catalog.loader import (
    import_catalog_file,
    load_default_catalog,
    store_records,
)
from agentoire_app.catalog.markdown import parse_markdown
from agentoire_app.catalog.records import ParsedCatalog
from agentoire_app.catalog.sources import AWESOME_GENERATIVE_AI, AWESOME_LLMOPS
from agentoire_app.catalog.taxonomy import CATEGORY_SLUGS
from agentoire_app.models import Tool

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"
LLMOPS = FIXTURES / "tensorchord__Awesome-LLMOps__README.md"
GENERATIVE = FIXTURES / "steven2358__awesome-generative-ai__README.md"


def parse(text: str) -> ParsedCatalog:
    return parse_markdown(text, fallback_source="file:test.md")


def names(parsed: ParsedCatalog) -> list[str]:
    return [r.name for r in parsed.records]


# --- one snippet per oddity ---------------------------------------------------------------------------

def test_a_table_of_contents_is_not_imported() -> None:
    parsed = parse("# My list\n\n## Contents\n\n- [Coding](#coding)\n  - [Agents](#agents)\n\n"
                   "## Coding\n\n- [Aider](https://aider.chat) - Pair programming in the terminal.\n")
    assert names(parsed) == ["Aider"]
    assert parsed.ignored == 2


def test_more_lists_and_contributing_sections_are_skipped_with_their_subsections() -> None:
    parsed = parse("# L\n\n## Tools\n\n- [Ollama](https://ollama.com) - Local models.\n\n## More lists\n\n"
                   "- [Awesome X](https://github.com/a/awesome-x) - Another list.\n\n### Lists on ChatGPT\n\n"
                   "- [Awesome ChatGPT](https://github.com/b/awesome-chatgpt) - Yet another.\n\n"
                   "## Contributing\n\n- [Guidelines](CONTRIBUTING.md)\n")
    assert names(parsed) == ["Ollama"]
    assert parsed.problems == []


def test_odd_heading_nesting_still_gives_each_row_its_nearest_heading() -> None:
    parsed = parse("# L\n\n## Audio\n\n#### Speech-to-text\n\n- [Whisper](https://github.com/openai/whisper) - STT.\n\n"
                   "### Video\n\n- [Runway](https://runwayml.com) - Video generation.\n\n"
                   "## Search\n\n- [Exa](https://exa.ai) - Search API.\n")
    by_name = {r.name: r for r in parsed.records}
    assert by_name["Whisper"].category == "audio-speech"
    assert by_name["Runway"].category == "image-video"
    assert by_name["Exa"].category == "research-search"


def test_a_table_row_with_a_missing_cell_is_kept_and_reported() -> None:
    parsed = parse("# L\n\n## Observability\n\n| Project | Details | Repository |\n| --- | --- | --- |\n"
                   "| [Langfuse](https://github.com/langfuse/langfuse) | Open-source tracing. |\n")
    assert names(parsed) == ["Langfuse"]
    assert parsed.records[0].description == "Open-source tracing."
    assert any("line 7" in p and "2 of 3 cells" in p for p in parsed.problems)


def test_a_star_badge_of_an_old_repository_loses_to_the_project_link() -> None:
    parsed = parse("# L\n\n## Data\n\n| Project | Details | Repository |\n| --- | --- | --- |\n"
                   "| [deeplake](https://github.com/activeloopai/deeplake) | Datasets. | "
                   "![GitHub Badge](https://img.shields.io/github/stars/activeloopai/Hub.svg?style=flat-square) |\n")
    record = parsed.records[0]
    assert record.repository == "https://github.com/activeloopai/deeplake"
    assert record.homepage == "https://github.com/activeloopai/deeplake"
    assert any("activeloopai/Hub" in p for p in parsed.problems)


def test_a_star_badge_gives_the_repository_of_a_project_linked_to_its_website() -> None:
    parsed = parse("# L\n\n## Serving\n\n| Project | Details | Repository |\n| --- | --- | --- |\n"
                   "| [vLLM](https://docs.vllm.ai) | Fast serving. | "
                   "![GitHub Badge](https://img.shields.io/github/stars/vllm-project/vllm.svg?style=flat-square) |\n")
    record = parsed.records[0]
    assert record.homepage == "https://docs.vllm.ai"
    assert record.repository == "https://github.com/vllm-project/vllm"
    assert record.open_source and record.category == "model-runtimes"


def test_a_link_without_a_scheme_gets_https_and_a_note() -> None:
    parsed = parse("# L\n\n## Tools\n\n- [Ray Tune](github.com/ray-project/ray/tree/master/python/ray/tune) - Tuning.\n")
    record = parsed.records[0]
    assert record.homepage.startswith("https://github.com/ray-project/ray")
    assert record.repository == "https://github.com/ray-project/ray"
    assert any("no scheme" in p for p in parsed.problems)


def test_stray_text_after_a_link_is_dropped_and_reported() -> None:
    parsed = parse("# L\n\n## Federated\n\n| Project | Details |\n| --- | --- |\n"
                   "| [awesome-fl](https://github.com/weimingwill/awesome-federated-learning)acc | Materials. |\n"
                   "\n- [Tool](https://tool.example.com)xyz - Does things.\n")
    assert names(parsed) == ["awesome-fl", "Tool"]
    assert parsed.records[1].description == "Does things."
    assert sum("stray text" in p for p in parsed.problems) == 2


def test_an_unclosed_bold_marker_does_not_swallow_the_row() -> None:
    parsed = parse("# L\n\n## Chatbots\n\n- **[Claude](https://claude.ai) - An assistant from Anthropic.\n")
    assert names(parsed) == ["Claude"]
    assert parsed.records[0].description == "An assistant from Anthropic."


@pytest.mark.parametrize("separator", [" - ", " – ", " — ", ": ", " "])
def test_every_description_separator_is_understood(separator: str) -> None:
    parsed = parse(f"# L\n\n## Tools\n\n- [Aider](https://aider.chat){separator}AI pair programming.\n")
    assert parsed.records[0].description == "AI pair programming."


def test_a_row_with_no_description_is_still_a_tool() -> None:
    parsed = parse("# L\n\n## Tools\n\n- [Aider](https://aider.chat)\n")
    assert names(parsed) == ["Aider"] and parsed.records[0].description == ""


def test_emoji_in_names_are_dropped_from_name_and_slug() -> None:
    parsed = parse("# L\n\n## Agents\n\n- [🦜️🔗 LangChain](https://www.langchain.com) - Framework for agents.\n"
                   "- 🤖 [AutoGPT ⚡](https://agpt.co) - Autonomous agents.\n")
    assert names(parsed) == ["LangChain", "AutoGPT"]
    assert [r.slug for r in parsed.records] == ["langchain", "autogpt"]


def test_opensource_hashtags_mark_open_source_and_give_the_repository() -> None:
    parsed = parse("# L\n\n## Text\n\n### Models\n\n- [Qwen](https://qwenlm.github.io/) - Models by Alibaba. "
                   "[#opensource](https://github.com/QwenLM/Qwen)\n- [Llama](https://www.llama.com/) - Meta's. #opensource\n")
    qwen, llama = parsed.records
    assert qwen.open_source and qwen.repository == "https://github.com/QwenLM/Qwen"
    assert qwen.description == "Models by Alibaba."
    assert llama.open_source and llama.description == "Meta's."
    assert qwen.category == "models"


def test_a_table_row_without_a_link_is_skipped_and_reported() -> None:
    parsed = parse("# L\n\n## Tools\n\n| Project | Details |\n| --- | --- |\n| Nameless | no link here |\n")
    assert parsed.records == [] and parsed.skipped == 1
    assert parsed.problems == ["line 7: table row without a project link, skipped"]


def test_a_table_that_lists_no_projects_is_ignored() -> None:
    parsed = parse("# L\n\n## Licences\n\n| source | licence |\n| --- | --- |\n| [x](https://x.org) | MIT |\n")
    assert parsed.records == [] and parsed.problems == []


def test_the_same_tool_in_two_sections_is_one_tool_in_the_first_category(session: Session) -> None:
    parsed = parse("# L\n\n## Observability\n\n- [Langfuse](https://langfuse.com) - Tracing.\n\n"
                   "## Developer tools\n\n- [Langfuse](https://langfuse.com/) - Prompt management, differently put.\n")
    result = store_records(parsed, session=session)
    assert (result.added, result.skipped) == (1, 1)
    assert any("line 9" in p and "listed again" in p and "observability" in p for p in result.problems)
    tool = session.exec(select(Tool)).one()
    assert tool.category == "observability" and tool.description == "Tracing."


def test_two_different_tools_with_one_name_get_distinct_slugs(session: Session) -> None:
    parsed = parse("# L\n\n## Lists\n\n- [Infinity](https://github.com/michaelfeil/infinity) - Embedding server.\n"
                   "- [Infinity](https://github.com/infiniflow/infinity) - AI-native database.\n"
                   "- [Fiddler AI](https://www.fiddler.ai) - Monitoring.\n"
                   "- [Fiddler AI](https://fiddler.example.org) - Something else entirely.\n")
    result = store_records(parsed, session=session)
    assert result.added == 4
    slugs = sorted(t.slug for t in session.exec(select(Tool)).all())
    assert slugs == ["fiddler-ai", "fiddler-ai-fiddler-example-org", "infinity", "infinity-infiniflow"]


def test_several_products_behind_one_company_homepage_stay_separate(session: Session) -> None:
    parsed = parse("# L\n\n## Models\n\n- [ChatGPT](https://openai.com/) - Chat.\n"
                   "- [DALL·E](https://openai.com/) - Images.\n- [Sora](https://openai.com/) - Video.\n")
    result = store_records(parsed, session=session)
    assert result.added == 3
    tools = session.exec(select(Tool)).all()
    assert {t.domain for t in tools} == {"openai.com"}
    assert sorted(t.slug for t in tools) == ["chatgpt", "dalle", "sora"]


def test_a_list_never_overwrites_a_curated_tool(session: Session, tmp_path: Path) -> None:
    load_default_catalog(session=session)
    curated = session.exec(select(Tool).where(Tool.slug == "aider")).one()
    before = (curated.tagline, curated.description, curated.category, curated.source, curated.updated_at)
    path = tmp_path / "list.md"
    path.write_text("# L\n\n## Other\n\n- [Aider](https://aider.chat/) - A list's own words about it.\n"
                    "- [Brand New Tool](https://brand-new.example.com) - Not in our catalog.\n", encoding="utf-8")
    result = import_catalog_file(path, session=session)
    assert (result.added, result.unchanged) == (1, 1)
    session.expire_all()
    curated = session.exec(select(Tool).where(Tool.slug == "aider")).one()
    assert (curated.tagline, curated.description, curated.category, curated.source, curated.updated_at) == before
    new = session.exec(select(Tool).where(Tool.slug == "brand-new-tool")).one()
    assert new.source == "file:list.md"


# --- the real lists -----------------------------------------------------------------------------------

def test_llmops_list_parses_its_tables_under_nested_headings() -> None:
    parsed = read_catalog_file(LLMOPS)
    assert parsed.source == AWESOME_LLMOPS
    assert 330 <= len(parsed.records) <= 370  # the README says ~365 rows, 15 of them in "Awesome Lists"
    assert parsed.ignored >= 15  # contents links and the "Awesome Lists" table
    assert all(r.category in CATEGORY_SLUGS for r in parsed.records)
    imported = {r.name for r in parsed.records}
    assert "Awesome Argo" not in imported and "Table of Contents" not in imported
    assert {"vllm", "Langfuse", "Milvus"} <= imported
    assert any("2 of 3 cells" in p for p in parsed.problems)
    assert any("star badge" in p for p in parsed.problems)


def test_generative_ai_list_parses_its_bullets_and_skips_reading_lists() -> None:
    parsed = read_catalog_file(GENERATIVE)
    assert parsed.source == AWESOME_GENERATIVE_AI
    assert 280 <= len(parsed.records) <= 354  # ~354 bullets, of which ~59 are reading, milestones, more lists
    imported = {r.name for r in parsed.records}
    assert "Generative AI: A Creative New World" not in imported  # recommended reading
    assert "Learn Prompting" not in imported and "Awesome ChatGPT" not in imported
    assert {"Claude", "Midjourney", "Eleven Labs"} <= imported
    by_name = {r.name: r for r in parsed.records}
    assert by_name["Midjourney"].category == "image-video"
    assert by_name["Eleven Labs"].category == "audio-speech"


@pytest.mark.parametrize(("path", "low", "high"), [(LLMOPS, 300, 365), (GENERATIVE, 270, 354)],
                         ids=["llmops", "generative-ai"])
def test_importing_a_real_list_twice_changes_nothing(session: Session, path: Path, low: int, high: int) -> None:
    first = import_catalog_file(path, session=session)
    assert low <= first.added <= high
    slugs = [t.slug for t in session.exec(select(Tool)).all()]
    assert len(slugs) == len(set(slugs)) == first.added
    stamps = {t.slug: t.updated_at for t in session.exec(select(Tool)).all()}
    second = import_catalog_file(path, session=session)
    assert (second.added, second.updated) == (0, 0)
    assert second.unchanged == first.added
    session.expire_all()
    assert {t.slug: t.updated_at for t in session.exec(select(Tool)).all()} == stamps


def test_real_lists_on_top_of_the_catalog_keep_curated_tools_and_add_the_rest(session: Session) -> None:
    load_default_catalog(session=session)
    for path in (LLMOPS, GENERATIVE):
        result = import_catalog_file(path, session=session)
        assert result.unchanged > 0  # tools we already curate
    tools = session.exec(select(Tool)).all()
    assert len({t.slug for t in tools}) == len(tools)
    assert sum(t.source == "agentoire" for t in tools) == 375
    assert {t.category for t in tools} <= CATEGORY_SLUGS


def test_a_curated_entry_takes_over_a_tool_a_list_added_first(session: Session) -> None:
    parsed = parse("# L\n\n## Serving\n\n- [llamacpp](https://github.com/ggml-org/llama.cpp) - Inference in C.\n")
    assert store_records(parsed, session=session).added == 1
    load_default_catalog(session=session)
    session.expire_all()
    rows = [t for t in session.exec(select(Tool)).all() if "llama.cpp" in t.repository]
    assert [(t.slug, t.source, t.name) for t in rows] == [("llama-cpp", "agentoire", "llama.cpp")]


@pytest.mark.parametrize(("link", "homepage"), [
    ("https://github.com/mlflow/mlflow/tree/master", "https://github.com/mlflow/mlflow"),
    ("https://github.com/acme/tool/", "https://github.com/acme/tool"),
    ("https://github.com/acme/tool/blob/main/README.md", "https://github.com/acme/tool"),
    ("https://github.com/modelcontextprotocol/servers/tree/main/src/fetch",
     "https://github.com/modelcontextprotocol/servers/tree/main/src/fetch"),
])
def test_a_github_link_is_the_repository_and_the_homepage(link: str, homepage: str) -> None:
    record = parse(f"# L\n\n## Tools\n\n- [Tool]({link}) - A tool.\n").records[0]
    assert record.homepage == homepage
    assert record.repository == "/".join(homepage.split("/")[:5])
    assert record.open_source and record.pricing == "open-source"
