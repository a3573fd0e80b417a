"""`agentoire catalog import FILE` and `agentoire tools list [--json]`, and the data-source registry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from agentoire_app.catalog.loader import load_default_catalog
from agentoire_app.catalog.sources import (
    AGENTOIRE,
    AWESOME_AI_AGENTS,
    AWESOME_GENERATIVE_AI,
    AWESOME_LLMOPS,
    list_data_sources,
    tool_counts_by_source,
)
from agentoire_app.cli.main import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"
CONTRACT_KEYS = {"slug", "name", "tagline", "homepage", "repository", "category", "tags", "pricing",
                 "open_source", "added_at", "source",
                 # what the tool checks last read (null until read)
                 "stars", "latest_version", "latest_release_at", "archived", "link_status", "checked_at"}
# Entry point without `-m`, so Python's runpy warning does not add a second stderr line.
ENTRY_POINT = [sys.executable, "-c", "from agentoire_app.cli.main import main; raise SystemExit(main())"]


def refused_in_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_a_missing_file_is_refused_in_one_line(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such file" in refused_in_one_line(capsys, ["catalog", "import", "/no/such/catalog.yaml"])


def test_a_directory_is_refused_in_one_line(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "directory" in refused_in_one_line(capsys, ["catalog", "import", str(tmp_path)])


@pytest.mark.parametrize(("name", "content"), [
    ("broken.json", "{not json"),
    ("broken.yaml", "tools: [unclosed"),
    ("notes.md", "# Notes\n\nJust prose, no links.\n"),
    ("plain.txt", "hello world\n"),
    ("other.yaml", "people:\n  - ada\n"),
    ("binary.json", None),
])
def test_unreadable_or_unrecognised_files_are_refused_in_one_line(
        sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | None) -> None:
    path = tmp_path / name
    if content is None:
        path.write_bytes(b"\xff\xfe\x00\x81garbage")
    else:
        path.write_text(content, encoding="utf-8")
    refused_in_one_line(capsys, ["catalog", "import", str(path)])


def test_a_missing_file_through_the_real_entry_point_exits_2_without_a_traceback(sqlite_url: str) -> None:
    result = subprocess.run([*ENTRY_POINT, "catalog", "import", "/no/such/list.md"], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "AGENTOIRE_DB_URL": sqlite_url})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["agentoire: /no/such/list.md: no such file"]


def test_import_prints_a_summary_and_the_problems_then_the_second_run_changes_nothing(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "tensorchord__Awesome-LLMOps__README.md")
    assert main(["catalog", "import", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("tensorchord/Awesome-LLMOps: ") and " added, 0 updated" in out[0]
    assert any(line.startswith("  line ") for line in out[1:])
    assert main(["catalog", "import", path]) == 0
    again = capsys.readouterr().out.splitlines()[0]
    assert again.startswith("tensorchord/Awesome-LLMOps: 0 added, 0 updated, ")


def test_tools_list_json_has_exactly_the_contract_keys(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    load_default_catalog(session=session)  # what every start does
    assert main(["tools", "list", "--json"]) == 0
    tools = json.loads(capsys.readouterr().out)
    assert len(tools) == 375
    assert all(set(tool) == CONTRACT_KEYS for tool in tools)
    ollama = next(t for t in tools if t["slug"] == "ollama")
    assert ollama["source"] == "agentoire" and ollama["open_source"] is True
    assert ollama["added_at"].startswith("20") and "T00:00:00" in ollama["added_at"]
    assert tools == sorted(tools, key=lambda t: t["added_at"], reverse=True)


def test_tools_list_for_people_and_a_bad_category(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tools", "list", "--limit", "0"]) == 0
    assert capsys.readouterr().out.startswith("slug")
    refused_in_one_line(capsys, ["tools", "list", "--category", "nope"])


def test_every_source_is_registered_with_its_licence_text() -> None:
    sources = {s.key: s for s in list_data_sources()}
    assert list(sources) == [AGENTOIRE, AWESOME_AI_AGENTS, AWESOME_LLMOPS, AWESOME_GENERATIVE_AI]
    mit = sources[AWESOME_AI_AGENTS]
    assert mit.license == "MIT" and "Copyright (c) 2024 Slava Kurilyak" in mit.notice
    assert "Permission is hereby granted" in mit.notice
    for key in (AWESOME_LLMOPS, AWESOME_GENERATIVE_AI):
        assert sources[key].license == "CC0-1.0" and "CC0 1.0 Universal" in sources[key].notice
    assert (FIXTURES / "slavakurilyak__awesome-ai-agents__LICENSE").read_text() == mit.notice
    assert all(s.url.startswith("https://") and s.name for s in sources.values())


def test_tool_counts_per_source(session: Session) -> None:
    assert tool_counts_by_source(session=session) == dict.fromkeys(
        (AGENTOIRE, AWESOME_AI_AGENTS, AWESOME_LLMOPS, AWESOME_GENERATIVE_AI), 0)
    load_default_catalog(session=session)
    counts = tool_counts_by_source(session=session)
    assert counts[AGENTOIRE] == 375 and counts[AWESOME_LLMOPS] == 0
