"""How a command says the input was wrong: raise `UsageError`, and `main` exits 2 with one line."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input from the person at the keyboard: reported in one line, exit status 2."""
