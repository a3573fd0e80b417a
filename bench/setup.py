"""Cold and warm start of `make run`, next to a static file server on the same machine.

Usage: .venv/bin/python bench/setup.py [--repo PATH] [--keep]

1. Clones the repository (its committed `main`) into a fresh temporary directory.
2. Cold: runs `make run` there (venv, install, migrations, catalog, frontend build, serve) and times
   until the home page answers 200 (goal < 180 s).
3. Warm: stops it and runs `make run` again; times until the home page answers (goal < 20 s).
4. Baseline: saves the home page's HTML to a file and times `python -m http.server` from start to its
   first answer on the same machine.

The pip and npm caches of this machine are used as any developer's would be; `--no-cache` clears
neither, it only reports that the figures include them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from _common import free_port, report, wait_for_url

REPO = Path(__file__).resolve().parent.parent


def start(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def timed_make_run(workdir: Path, port: int, log: Path, timeout: float) -> tuple[float, subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "AGENTOIRE_DB"))}
    env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":") if ".venv" not in p)
    env.update(PORT=str(port), AGENTOIRE_REFRESH_SECONDS="0")
    t0 = time.monotonic()
    proc = start(["make", "run"], workdir, env, log)
    wait_for_url(f"http://127.0.0.1:{port}/", timeout=timeout, must_contain="<html")
    return time.monotonic() - t0, proc


def static_baseline(html: bytes) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "index.html").write_bytes(html)
        port = free_port()
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                                cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_url(f"http://127.0.0.1:{port}/index.html", timeout=30)
            return time.monotonic() - t0
        finally:
            proc.terminate()
            proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(REPO))
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="agentoire-bench-"))
    clone = workdir / "agentoire"
    log = workdir / "make-run.log"
    subprocess.run(["git", "clone", "-q", args.repo, str(clone)], check=True)
    port = free_port()
    try:
        cold, proc = timed_make_run(clone, port, log, timeout=900)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            html = response.read()
        stop(proc)
        warm, proc = timed_make_run(clone, port, log, timeout=300)
        stop(proc)
        static = static_baseline(html)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report([
        ("figure", "seconds", "goal / baseline"),
        ("cold `make run` on a fresh clone → first page", f"{cold:.1f}", "< 180 s"),
        ("warm restart → first page", f"{warm:.1f}", "< 20 s"),
        ("static file server start → first answer", f"{static:.2f}", "baseline"),
        ("warm / static", f"{warm / static:.0f}×", ""),
    ])
    print(f"log: {log if args.keep else '(removed; pass --keep)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
