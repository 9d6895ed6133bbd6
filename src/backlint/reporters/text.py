"""Human output: path:line:col  severity  rule-id  message, a code frame, a summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m"}


def _c(s: str, key: str, color: bool) -> str:
    return f"{_COLORS[key]}{s}{_COLORS['reset']}" if color else s


def _source_lines(root: Path, rel: str, cache: dict) -> list[str] | None:
    if rel not in cache:
        p = Path(rel) if Path(rel).is_absolute() else root / rel
        try:
            cache[rel] = p.read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            cache[rel] = None
    return cache[rel]


def render(result, color: bool = False, show_notices: bool = False, frames: bool = True, redact=None) -> str:
    out: list[str] = []
    cache: dict = {}
    for f in result.findings:
        loc = f"{f.path}:{f.span.start_line}:{f.span.start_col}"
        out.append(f"{_c(loc, 'bold', color)}  {_c(f.severity, f.severity, color)}  {f.rule_id}  {f.message}")
        if frames and f.properties.get("redacted"):
            # never read a secret back from disk: show the rule's redacted snippet instead
            out.append(_c(f"  {f.span.start_line} | ", "dim", color) + f.snippet.splitlines()[0][:200] if f.snippet else "")
        elif frames:
            lines = _source_lines(result.root, f.path, cache)
            if lines and 0 < f.span.start_line <= len(lines):
                line = lines[f.span.start_line - 1]
                if redact is not None:
                    line = redact(f, line)
                if len(line) > 200:
                    line = line[:200] + "…"
                num = str(f.span.start_line)
                out.append(_c(f"  {num} | ", "dim", color) + line.rstrip())
                start = f.span.start_col - 1
                width = (f.span.end_col - f.span.start_col) if f.span.end_line == f.span.start_line else max(1, len(line) - start)
                width = max(1, min(width, max(1, len(line) - start), 120))
                out.append(_c(" " * (len(num) + 2) + " | ", "dim", color) + " " * min(start, 200) + _c("^" * width, f.severity, color))
    notes = [n for n in result.notices if n.level == "note"]
    loud = [n for n in result.notices if n.level != "note"]
    for n in loud + (notes if show_notices else []):
        where = f"{n.path}: " if n.path else ""
        out.append(f"{where}{_c(n.level, 'warning' if n.level != 'note' else 'dim', color)}: {n.message}")
    if notes and not show_notices:
        kinds = Counter(n.kind for n in notes)
        out.append(_c("skipped or partly analysed: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + " (--show-notices for details)", "dim", color))
    sev = Counter(f.severity for f in result.findings)
    total = len(result.findings)
    if total:
        parts = ", ".join(f"{sev[s]} {s}{'s' if sev[s] != 1 and s != 'info' else ''}" for s in ("error", "warning", "info") if sev[s])
        summary = f"Found {total} finding{'s' if total != 1 else ''} ({parts})"
    else:
        summary = "No findings"
    summary += f" in {result.files} file{'s' if result.files != 1 else ''} ({result.lines} lines) in {result.elapsed:.2f}s"
    if result.suppressed:
        summary += f"; {result.suppressed} suppressed"
    if getattr(result, "baselined", 0):
        summary += f"; {result.baselined} in the baseline"
    if getattr(result, "outside_diff", 0):
        summary += f"; {result.outside_diff} on unchanged lines"
    if getattr(result, "cached_files", 0):
        summary += f"; {result.cached_files} from cache"
    out.append(_c(summary, "bold", color))
    return "\n".join(out) + "\n"
