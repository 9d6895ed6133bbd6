"""Lazy registry: a language's grammar and adapter are loaded on first use, once per process."""

from __future__ import annotations

import importlib

_MODULES = {
    "python": "python", "javascript": "javascript", "typescript": "typescript", "go": "go",
    "java": "java", "ruby": "ruby", "php": "php", "csharp": "csharp",
}
_CACHE: dict[str, object] = {}


def all_languages() -> list[str]:
    return list(_MODULES)


def adapter_for(language: str):
    """The adapter instance for a host language, or None for sql / unknown."""
    if language not in _MODULES:
        return None
    ad = _CACHE.get(language)
    if ad is None:
        mod = importlib.import_module(f".{_MODULES[language]}.adapter", __package__)
        ad = mod.Adapter()
        _CACHE[language] = ad
    return ad
