"""Every benchmark script starts: `bench/X.py --help` imports all it needs and says how to run it. A bench is
run by hand, seldom, so an import that moved (a test helper it borrows, a renamed module) would otherwise
go unnoticed until someone needs the figure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
# Modules the scripts import, and `run_all.py`, which takes no options and runs every bench.
NOT_SCRIPTS = {"_common.py", "load_client.py", "run_all.py"}
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name not in NOT_SCRIPTS)


def test_every_bench_is_either_a_script_or_named_as_a_module() -> None:
    assert len(SCRIPTS) >= 10 and all((BENCH / name).is_file() for name in NOT_SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_bench_starts_and_says_how_to_run_it(script: str) -> None:
    result = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True,
                            timeout=120, cwd=BENCH.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("usage:"), result.stdout[:200]
