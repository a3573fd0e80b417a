"""The `agentoire` command as a script sees it: exit status 2 and one line for bad input, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

AGENTOIRE = [str(Path(sys.executable).parent / "agentoire")]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AGENTOIRE, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def assert_one_line_refusal(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("argv", [
    [],
    ["no-such-command"],
    ["news", "list", "--limit", "many"],
    ["serve", "--port", "http"],
    ["tools", "list", "--no-such-flag"],
])
def test_bad_arguments_exit_2_with_one_line(argv: list[str], sqlite_url: str) -> None:
    assert_one_line_refusal(run_cli(*argv))


def test_a_setting_that_does_not_parse_is_one_line(sqlite_url: str) -> None:
    assert_one_line_refusal(run_cli("tools", "list", env={"AGENTOIRE_REFRESH_SECONDS": "soon"}))


def test_serve_refuses_a_port_out_of_range(sqlite_url: str) -> None:
    result = run_cli("serve", "--port", "70000")
    assert_one_line_refusal(result)
    assert "--port" in result.stderr


def test_every_command_works_on_a_fresh_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = run_cli("tools", "list", "--json", env={"AGENTOIRE_DB_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("[")
    assert (tmp_path / "fresh.db").exists()
