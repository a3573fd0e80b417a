"""The `agentoire` command. One module per command group; `main` wires them together."""

from .main import main

__all__ = ["main"]
