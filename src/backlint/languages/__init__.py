"""Language adapters over py-tree-sitter: parse once, comments, and the shared facts."""

from .registry import adapter_for, all_languages

__all__ = ["adapter_for", "all_languages"]
