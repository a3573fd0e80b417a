"""The layers are checkable: the import contracts in pyproject.toml hold (the same `lint-imports` that
`make test` runs), an upward import breaks them, and no module hides an import inside a function to dodge
a cycle (the CLI alone imports lazily, and only where its module docstring gives the start-up-time reason)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import agentoire_app

PACKAGE = Path(agentoire_app.__file__).parent
ROOT = PACKAGE.parent
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": str(Path(sys.executable).parent)},
                          capture_output=True, text=True, timeout=240)


def test_the_import_contracts_hold() -> None:
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "agentoire_app", ignore=shutil.ignore_patterns("__pycache__", "data"))
    (tmp_path / "agentoire_app" / "services" / "upward.py").write_text("from ..state import help\n")
    run = _lint_imports(tmp_path)
    assert run.returncode != 0
    assert "agentoire_app.services.upward -> agentoire_app.state.help" in run.stdout


def test_api_importing_the_models_breaks_the_api_contract(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "agentoire_app", ignore=shutil.ignore_patterns("__pycache__", "data"))
    (tmp_path / "agentoire_app" / "api" / "direct.py").write_text("from ..models import Tool\n")
    run = _lint_imports(tmp_path)
    assert run.returncode != 0
    assert "agentoire_app.api is not allowed to import agentoire_app.models" in run.stdout


def _imports_inside_functions(path: Path) -> list[int]:
    return [inner.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for inner in ast.walk(node) if isinstance(inner, ast.Import | ast.ImportFrom)]


def test_no_module_imports_inside_a_function_but_the_cli_with_its_reason() -> None:
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = _imports_inside_functions(path)
        if not lines:
            continue
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if path.parent.name == "cli" and "start-up" in docstring:
            continue
        hidden += [f"{path.relative_to(PACKAGE)}:{line}" for line in lines]
    assert hidden == []
