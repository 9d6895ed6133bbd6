"""Reporters are pure functions: ScanResult -> text. They never run rules."""

from __future__ import annotations

from typing import Callable

FORMATS = ("text", "json", "sarif", "github", "gitlab")


def renderer(fmt: str) -> Callable:
    if fmt == "text":
        from .text import render
    elif fmt == "json":
        from .json import render
    elif fmt == "sarif":
        from .sarif import render
    elif fmt == "github":
        from .github import render
    elif fmt == "gitlab":
        from .gitlab import render
    else:
        raise ValueError(f"unknown format {fmt}")
    return render
