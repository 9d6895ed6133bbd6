"""backlint: static analysis for backend anti-patterns."""

__version__ = "0.1.0"
