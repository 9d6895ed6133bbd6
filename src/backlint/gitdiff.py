"""Diff-aware gating: which lines were added or changed since a git ref (its merge base)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitError(Exception):
    pass


def _git(root: Path, *args: str) -> str:
    try:
        p = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise GitError("--diff needs git on PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} timed out") from None
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["failed"])[-1]
        raise GitError(f"git {args[0]}: {msg}")
    return p.stdout


def changed_lines(root: Path, ref: str) -> tuple[dict[str, set[int]], set[str]]:
    """({path relative to root: added/changed line numbers}, {new untracked paths}).

    Compared with the merge base of REF and HEAD, against the working tree, so uncommitted and
    staged edits count as changed."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    base = _git(root, "merge-base", ref, "HEAD").strip()
    diff = _git(top, "diff", "--no-color", "--no-ext-diff", "-U0", "--relative", base, "--")
    lines: dict[str, set[int]] = {}
    current = None
    for ln in diff.splitlines():
        if ln.startswith("+++ "):
            target = ln[4:]
            current = None if target == "/dev/null" else target[2:] if target.startswith("b/") else target
            if current is not None:
                lines.setdefault(current, set())
            continue
        m = _HUNK.match(ln)
        if m and current is not None:
            start, count = int(m.group(1)), int(m.group(2) or "1")
            lines[current].update(range(start, start + count))
    untracked = set(_git(top, "ls-files", "--others", "--exclude-standard").splitlines())
    rel_root = root.resolve().relative_to(top.resolve()) if root.resolve() != top.resolve() else None

    def rel(p: str) -> str | None:
        if rel_root is None:
            return p
        prefix = rel_root.as_posix() + "/"
        return p[len(prefix):] if p.startswith(prefix) else None

    out = {}
    for p, ls in lines.items():
        r = rel(p)
        if r is not None:
            out[r] = ls
    return out, {r for r in (rel(p) for p in untracked) if r is not None}


def on_changed_lines(finding, changed: dict[str, set[int]], untracked: set[str]) -> bool:
    if finding.path in untracked:
        return True
    ls = changed.get(finding.path)
    if not ls:
        return False
    span = range(finding.span.start_line, finding.span.end_line + 1)
    return any(l in ls for l in span) or finding.anchor_line in ls
