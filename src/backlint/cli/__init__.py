"""The `backlint` command. Exit codes: 0 clean, 1 findings at/above fail-on, 2 usage/config/internal error."""

from .main import main

__all__ = ["main"]
