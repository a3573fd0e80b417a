"""Ingest sits below services: its modules import models, db, settings, net, the pure text work of `notes`
and each other, nothing above, and never hide an import inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import agentoire_app.ingest

INGEST = Path(agentoire_app.ingest.__file__).parent
ALLOWED = {"models", "db", "settings", "net", "notes", "ingest"}


def _agentoire_imports(tree: ast.Module) -> list[tuple[str, int]]:
    """(first package under agentoire_app, line) for each import of our own code in an ingest module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                found.append(("ingest", node.lineno))
            elif node.level == 2:
                found.append((module.split(".")[0] or (node.names[0].name if node.names else ""), node.lineno))
            elif module.startswith("agentoire_app"):
                found.append((module.split(".")[1] if "." in module else "", node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name.split(".")[1], node.lineno) for alias in node.names
                      if alias.name.startswith("agentoire_app.")]
    return found


def test_no_ingest_module_imports_services_or_anything_above_it() -> None:
    wrong = [f"{path.name}:{line} imports {package}" for path in sorted(INGEST.glob("*.py"))
             for package, line in _agentoire_imports(ast.parse(path.read_text(encoding="utf-8")))
             if package not in ALLOWED]
    assert wrong == []


def test_no_ingest_module_imports_inside_a_function() -> None:
    hidden = [f"{path.name}:{inner.lineno}" for path in sorted(INGEST.glob("*.py"))
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
              for inner in ast.walk(node) if isinstance(inner, ast.Import | ast.ImportFrom)]
    assert hidden == []
