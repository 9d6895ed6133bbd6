"""Phase 2: the project index (DESIGN §3). Joins per-file summaries, keyed by function and
class/method name, so rules can resolve a call to the function that runs the query.

Name-based resolution is a heuristic: it resolves only when the answer is unambiguous (one
function of that name in the project, or a receiver that names the class), and prefers a
precise miss to a guessed hit. Building and resolving are linear in the number of functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FnRef:
    path: str
    name: str
    cls: str | None
    line: int
    db: dict | None  # direct query: {"line", "callee", "kind"}
    calls: tuple[str, ...]


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _receiver_hint(receiver: str | None) -> str | None:
    if not receiver:
        return None
    last = re.split(r"[.\->:]+", receiver.strip("$@ "))[-1]
    last = re.sub(r"\(.*\)$", "", last)
    return _norm(last) or None


class ProjectIndex:
    def __init__(self, summaries: dict[str, dict]):
        self.by_name: dict[str, list[FnRef]] = {}
        self.by_class: dict[str, list[FnRef]] = {}
        self.models: dict[str, dict[str, str]] = {}
        self._db_memo: dict[tuple, tuple[FnRef, dict] | None] = {}
        for path, summ in sorted(summaries.items()):
            if not summ:
                continue
            for f in summ.get("functions", ()):
                ref = FnRef(path, f["name"], f.get("class"), f["line"], f.get("db"), tuple(f.get("calls", ())))
                self.by_name.setdefault(ref.name, []).append(ref)
                if ref.cls:
                    self.by_class.setdefault(_norm(ref.cls), []).append(ref)
            for cls, rels in (summ.get("models") or {}).items():
                self.models.setdefault(cls, {}).update(rels)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_name.values())

    def resolve(self, method: str, receiver: str | None, caller_path: str | None = None) -> FnRef | None:
        """The one project function a call `receiver.method(...)` / `method(...)` runs, or None."""
        cands = self.by_name.get(method, [])
        if not cands:
            return None
        hint = _receiver_hint(receiver)
        if hint and hint not in ("self", "this", "cls", "super", "static", "parent"):
            named = [c for c in cands if c.cls and _class_matches(_norm(c.cls), hint)]
            if len(named) == 1:
                return named[0]
            if len(named) > 1:
                return None
        if len(cands) == 1:
            return cands[0]
        if receiver in (None, "self", "this", "$this", "cls", "static", "self::", "@"):
            same = [c for c in cands if c.path == caller_path]
            if len(same) == 1:
                return same[0]
        return None

    def query_of(self, fn: FnRef, depth: int = 0) -> tuple[FnRef, dict] | None:
        """(function that runs the query, its query) if fn queries the database directly or
        through calls that resolve unambiguously (at most 3 levels deep)."""
        key = (fn.path, fn.name, fn.line)
        if key in self._db_memo:
            return self._db_memo[key]
        self._db_memo[key] = None  # cycles resolve to "no"
        out = None
        if fn.db is not None:
            out = (fn, fn.db)
        elif depth < 3:
            for name in fn.calls:
                if name == fn.name:
                    continue
                cands = self.by_name.get(name, [])
                if len(cands) != 1:
                    continue
                sub = self.query_of(cands[0], depth + 1)
                if sub is not None:
                    out = sub
                    break
        self._db_memo[key] = out
        return out


def names_class(receiver: str | None, cls: str | None) -> bool:
    """The receiver's text names the class (`orderRepository` for `OrderRepository`)."""
    hint = _receiver_hint(receiver)
    return bool(cls and hint and _class_matches(_norm(cls), hint))


def _class_matches(cls: str, hint: str) -> bool:
    if cls == hint:
        return True
    for a, b in ((cls, hint), (hint, cls)):
        for suffix in ("repository", "repo", "service", "dao", "store", "gateway", "manager", "model", "client"):
            if a.endswith(suffix) and b.endswith(("repository", "repo", "service", "dao", "store", "gateway", "manager", "model", "client")):
                if a[: -len(suffix)] and a[: -len(suffix)] == re.sub(r"(repository|repo|service|dao|store|gateway|manager|model|client)$", "", b):
                    return True
    return False
