"""`agentoire catalog import FILE` on files that are partly broken or that claim to be our editors.

One bad row is one reported problem (its line and why), never a traceback that imports nothing; and a
file given on the command line never speaks as agentoire's editors, whatever its entries say. The broken
files are the real lists from `tests/fixtures/catalog/` with one bad row written in at test time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from agentoire_app.catalog.files import DEFAULT_CATALOG
from agentoire_app.catalog.loader import load_default_catalog
from agentoire_app.cli.main import main
from agentoire_app.models import Tool

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"
GENERATIVE = FIXTURES / "steven2358__awesome-generative-ai__README.md"
AGENTS_JSON = FIXTURES / "slavakurilyak__awesome-ai-agents__awesome-agents.json"
# Entry point without `-m`, so Python's runpy warning does not add a stderr line.
ENTRY_POINT = [sys.executable, "-c", "from agentoire_app.cli.main import main; raise SystemExit(main())"]
MALFORMED = "- [Broken](<[https://broken.example](https://broken.example)>) - A row a list really had."


def run_import(path: Path, db_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ENTRY_POINT, "catalog", "import", str(path)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "AGENTOIRE_DB_URL": db_url})


def with_row_after(source: Path, anchor: str, row: str, target: Path) -> int:
    """`source` copied to `target` with `row` as a new line after the line starting with `anchor`;
    returns the new row's 1-based line number."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(anchor)) + 1
    lines.insert(at, row + "\n")
    target.write_text("".join(lines), encoding="utf-8")
    return at + 1


def counts(summary: str) -> dict[str, int]:
    """"file: 3 added, 0 updated, …" → {"added": 3, "updated": 0, …}."""
    parts = summary.split(": ", 1)[1].split(", ")
    return {word: int(number) for number, word in (part.split(" ", 1) for part in parts)}


def test_a_malformed_link_in_a_real_list_is_one_reported_row_not_a_failed_import(
        sqlite_url: str, tmp_path: Path) -> None:
    clean = run_import(GENERATIVE, sqlite_url)
    assert clean.returncode == 0, clean.stderr
    broken_list = tmp_path / "generative.md"
    line = with_row_after(GENERATIVE, "- [ChatGPT](https://chatgpt.com/)", MALFORMED, broken_list)

    result = run_import(broken_list, f"sqlite:///{tmp_path / 'other.db'}")

    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    summary, *problems = result.stdout.splitlines()
    assert counts(summary)["added"] == counts(clean.stdout.splitlines()[0])["added"]
    assert counts(summary)["skipped"] == counts(clean.stdout.splitlines()[0])["skipped"] + 1
    assert any(p.strip().startswith(f"line {line}: unusable link [Broken]") for p in problems), problems


def test_the_same_malformed_link_in_a_table_row_is_skipped_too(sqlite_url: str, tmp_path: Path) -> None:
    llmops = FIXTURES / "tensorchord__Awesome-LLMOps__README.md"
    broken_list = tmp_path / "llmops.md"
    line = with_row_after(llmops, "| [Alpaca](", "| [Broken](<[https://b.example](https://b.example)>) | x | y |",
                          broken_list)
    result = run_import(broken_list, sqlite_url)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"  line {line}: unusable link [Broken](<[https://b.example](https://b.example)>), skipped" in (
        result.stdout.splitlines())
    assert counts(result.stdout.splitlines()[0])["added"] > 100


def test_bad_entries_in_our_format_are_reported_by_line_and_the_good_ones_imported(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "tools:\n"
        "- name: Good Tool\n  homepage: https://good.example\n  tags: [one, two]\n"
        "- name: Tags Not A List\n  homepage: https://tags.example\n  tags: 5\n"
        "- name: {nested: mapping}\n  homepage: https://nested.example\n"
        "- name: Bad Link\n  homepage: '[https://x.example](https://x.example)'\n"
        "- name: Bad Date\n  homepage: https://date.example\n  added: 'not a date'\n",
        encoding="utf-8")
    assert main(["catalog", "import", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert counts(out[0]) == {"added": 2, "updated": 0, "unchanged": 0, "skipped": 3, "problems": 4}
    assert out[1:] == ["  line 5: tags is a int, not a list, skipped",
                       "  line 8: name is a dict, not text, skipped",
                       "  line 10: needs a name and a homepage, skipped",
                       "  line 12: unreadable added date 'not a date' for Bad Date"]


def test_a_bad_entry_in_the_real_awesome_agents_json_is_skipped_alone(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(AGENTS_JSON.read_text(encoding="utf-8"))
    total = len(data["agents"])
    data["agents"][1]["sources"] = "https://not-a-list.example"
    path = tmp_path / "awesome-agents.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1)
                if text.strip().startswith('"project": "Aomni"'))
    assert main(["catalog", "import", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"  line {line}: sources is a str, not a list, skipped" in out
    result = counts(out[0])
    assert result["skipped"] >= 1 and result["added"] + result["skipped"] <= total
    assert result["added"] > total // 2


def test_a_file_in_our_format_cannot_speak_as_our_editors(
        session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_default_catalog(session=session)
    ollama = session.exec(select(Tool).where(Tool.slug == "ollama")).one()
    before = (ollama.homepage, ollama.repository, ollama.tagline, ollama.source, ollama.updated_at)
    path = tmp_path / "third-party.yaml"
    path.write_text(
        "tools:\n"
        "- slug: ollama\n  name: Ollama\n  homepage: https://ollama.evil.example\n"
        "  tagline: Run models (a better fork)\n  source: agentoire\n"
        "- slug: newcomer\n  name: Newcomer\n  homepage: https://newcomer.example\n  source: agentoire\n",
        encoding="utf-8")

    assert main(["catalog", "import", str(path)]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("file:third-party.yaml: 1 added, 0 updated, 1 unchanged")
    assert "  line 2: kept the curated homepage of Ollama; the file says https://ollama.evil.example" in out
    session.expire_all()
    ollama = session.exec(select(Tool).where(Tool.slug == "ollama")).one()
    assert (ollama.homepage, ollama.repository, ollama.tagline, ollama.source, ollama.updated_at) == before
    newcomer = session.exec(select(Tool).where(Tool.slug == "newcomer")).one()
    assert newcomer.source == "file:third-party.yaml"


def test_importing_a_copy_of_the_shipped_catalog_changes_nothing_and_reports_no_conflict(
        session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_default_catalog(session=session)
    copy = tmp_path / "tools.yaml"
    copy.write_bytes(DEFAULT_CATALOG.read_bytes())
    assert main(["catalog", "import", str(copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("file:tools.yaml: 0 added, 0 updated, 375 unchanged")
    assert not [line for line in out if "kept the curated" in line]
    assert {t.source for t in session.exec(select(Tool)).all()} == {"agentoire"}


def test_a_list_that_disagrees_on_a_curated_homepage_says_so(
        session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_default_catalog(session=session)
    aider = session.exec(select(Tool).where(Tool.slug == "aider")).one()
    path = tmp_path / "list.md"
    path.write_text("# L\n\n## Coding\n\n- [Aider](https://github.com/Aider-AI/aider/tree/main/x) - Pair coding.\n",
                    encoding="utf-8")
    assert main(["catalog", "import", str(path)]) == 0
    out = capsys.readouterr().out
    session.expire_all()
    assert session.exec(select(Tool).where(Tool.slug == "aider")).one().homepage == aider.homepage
    assert f"kept the curated homepage of {aider.name}; the file says https://github.com/Aider-AI/aider/tree/main/x" in out
