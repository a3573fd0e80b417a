"""Run every benchmark in turn (`make bench`); each prints its own table.

The scripts that start the app (setup.py, ui.py) build the frontend in the work tree's `.web`, whose
bundle carries the server's port: run benchmarks one at a time and not beside the browser tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ("ingest.py", "notes.py", "directory.py", "palette.py", "ui.py", "setup.py")


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n=== bench/{script} ===", flush=True)
        if subprocess.run([sys.executable, str(BENCH / script)], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
