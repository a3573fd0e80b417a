"""slavakurilyak/awesome-ai-agents' structured list, in its JSON and YAML forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from agentoire_app.catalog.awesome_agents import parse_awesome_agents
from agentoire_app.catalog.files import CatalogFileError, read_catalog_file
from agentoire_app.catalog.loader import import_catalog_file
from agentoire_app.catalog.sources import AWESOME_AI_AGENTS
from agentoire_app.catalog.taxonomy import CATEGORY_SLUGS
from agentoire_app.models import Tool

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"
JSON_LIST = FIXTURES / "slavakurilyak__awesome-ai-agents__awesome-agents.json"
YAML_LIST = FIXTURES / "slavakurilyak__awesome-ai-agents__awesome-agents.yaml"


@pytest.mark.parametrize("path", [JSON_LIST, YAML_LIST], ids=["json", "yaml"])
def test_both_forms_read_the_same_239_entries(path: Path) -> None:
    parsed = read_catalog_file(path)
    assert parsed.source == AWESOME_AI_AGENTS
    assert len(parsed.records) + parsed.skipped == 239
    assert 225 <= len(parsed.records) <= 239
    assert all(r.category in CATEGORY_SLUGS for r in parsed.records)
    assert all(r.homepage.startswith(("http://", "https://")) for r in parsed.records)


def test_json_and_yaml_name_the_same_projects_in_the_same_order() -> None:
    """The two forms drift a little in wording (a few descriptions, one website) but list the same projects."""
    from_json, from_yaml = read_catalog_file(JSON_LIST), read_catalog_file(YAML_LIST)
    assert [r.name for r in from_json.records] == [r.name for r in from_yaml.records]


def test_entries_without_a_website_or_repository_are_reported_with_their_line() -> None:
    parsed = read_catalog_file(JSON_LIST)
    assert parsed.skipped == 7
    assert all(p.startswith("line ") and "skipped" in p for p in parsed.problems)


def test_website_is_the_homepage_and_a_github_repo_is_the_repository() -> None:
    data = {"agents": [
        {"project": "Both", "project_description": "An SDK for building agents.", "project_is_open_source": True,
         "sources": [{"source": "github", "source_url": "https://github.com/acme/both"},
                     {"source": "website", "source_url": "https://both.example.com/"}],
         "categories": ["Development Frameworks"]},
        {"project": "Repo Only", "project_description": "Voice provider.", "project_is_open_source": False,
         "sources": [{"source": "github profile", "source_url": "https://github.com/acme"},
                     {"source": "github", "source_url": "https://github.com/acme/repo-only/tree/main"}],
         "categories": ["Voice Providers"]},
        {"project": "Social Only", "project_description": "", "project_is_open_source": False,
         "sources": [{"source": "twitter", "source_url": "https://twitter.com/social"}], "categories": []},
    ]}
    parsed = parse_awesome_agents(data, "")
    both, repo_only = parsed.records
    assert (both.homepage, both.repository) == ("https://both.example.com/", "https://github.com/acme/both")
    assert both.category == "agent-frameworks" and both.open_source
    assert (repo_only.homepage, repo_only.repository) == ("https://github.com/acme/repo-only",) * 2
    assert repo_only.open_source and repo_only.category == "audio-speech"
    assert parsed.skipped == 1 and "Social Only" in parsed.problems[0]


def test_a_vague_category_falls_back_to_the_description() -> None:
    data = {"agents": [{"project": "Coder", "project_description": "An AI agent for code review of pull requests",
                        "project_is_open_source": False, "categories": ["AI Agents"],
                        "sources": [{"source": "website", "source_url": "https://coder.example.com"}]}]}
    assert parse_awesome_agents(data, "").records[0].category == "coding-agents"


def test_importing_twice_changes_nothing_and_slugs_are_unique(session: Session) -> None:
    first = import_catalog_file(JSON_LIST, session=session)
    assert 215 <= first.added <= 232
    assert first.updated == 0
    assert any("listed again" in p for p in first.problems)  # Open Interpreter, DeepGram, ...
    tools = session.exec(select(Tool)).all()
    assert len({t.slug for t in tools}) == len(tools) == first.added
    assert {t.source for t in tools} == {AWESOME_AI_AGENTS}
    assert all(t.domain and not t.domain.startswith("www.") for t in tools)
    second = import_catalog_file(JSON_LIST, session=session)
    assert (second.added, second.updated, second.unchanged) == (0, 0, first.added)
    other_form = import_catalog_file(YAML_LIST, session=session)  # same projects, slightly drifted text
    assert other_form.added == 0 and other_form.updated <= 5


def test_the_categories_file_is_not_a_tool_list() -> None:
    with pytest.raises(CatalogFileError, match="unrecognised"):
        read_catalog_file(FIXTURES / "slavakurilyak__awesome-ai-agents__awesome-categories.yaml")
