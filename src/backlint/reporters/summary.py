"""Audit summary: findings by rule, category, language and top directories."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from ..discovery import language_for


def render_summary(result, top: int = 10) -> str:
    if not result.findings:
        return ""
    lines = ["", "Audit summary"]
    cats = {r.id: r.category for r in result.rules}

    def table(title: str, counter: Counter) -> None:
        lines.append(f"  by {title}:")
        for k, v in counter.most_common(top):
            lines.append(f"    {v:>6}  {k}")

    table("rule", Counter(f.rule_id for f in result.findings))
    table("category", Counter(cats.get(f.rule_id, "?") for f in result.findings))
    table("language", Counter(language_for(f.path) or "?" for f in result.findings))
    table("directory", Counter(str(PurePosixPath(f.path).parent) for f in result.findings))
    table("file", Counter(f.path for f in result.findings))
    return "\n".join(lines) + "\n"
