"""Load the rule catalog. The YAML files are the only home of rule metadata."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# the C-accelerated safe loader when libyaml is present (10x faster); never the unsafe ones
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from ..model import CONFIDENCES, SEVERITIES

CATEGORIES = ("security", "performance", "architecture", "correctness", "maintainability")
STATUSES = ("preview", "stable", "deprecated")
LANGUAGES = ("python", "javascript", "typescript", "go", "java", "ruby", "php", "csharp", "sql", "dotenv")
TARGETS = ("embedded-sql", "sql-file", "code")
ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
OPTION_TYPES = {"int": int, "float": (int, float), "bool": bool, "str": str, "list": list}


class CatalogError(Exception):
    pass


@dataclass(frozen=True)
class MatchQuery:
    language: str
    query: str
    report_at: str = "report"
    message: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    severity: str
    confidence: str
    status: str
    tags: tuple[str, ...]
    message: str
    docs: dict[str, Any]
    languages: tuple[str, ...]
    targets: tuple[str, ...] = ()
    check: str | None = None
    match: tuple[MatchQuery, ...] = ()
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def cwes(self) -> list[str]:
        return [t.split("-", 1)[1] for t in self.tags if t.startswith("cwe-")]

    def default_options(self) -> dict[str, Any]:
        return {k: v.get("default") for k, v in self.options.items()}


def catalog_dir() -> Path:
    """The rules/ directory: shipped inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    shipped = here / "_catalog"
    if shipped.is_dir():
        return shipped
    checkout = here.parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    raise CatalogError(f"rule catalog not found (looked in {shipped} and {checkout})")


def _rule_from_dict(data: Any, path: Path) -> Rule:
    where = f"{path.name}"
    if not isinstance(data, dict):
        raise CatalogError(f"{where}: a rule file must be a mapping")
    required = ("id", "title", "category", "severity", "confidence", "status", "message", "docs", "languages")
    missing = [k for k in required if k not in data]
    if missing:
        raise CatalogError(f"{where}: missing keys {', '.join(missing)}")
    rid = data["id"]
    if not isinstance(rid, str) or not ID_RE.match(rid):
        raise CatalogError(f"{where}: id {rid!r} is not kebab-case")
    if path.stem != rid:
        raise CatalogError(f"{where}: file stem must equal the id {rid!r}")
    for key, allowed in (("category", CATEGORIES), ("severity", SEVERITIES),
                         ("confidence", CONFIDENCES), ("status", STATUSES)):
        if data[key] not in allowed:
            raise CatalogError(f"{where}: {key} {data[key]!r} not one of {', '.join(allowed)}")
    if path.parent.name != data["category"]:
        raise CatalogError(f"{where}: lives in {path.parent.name}/ but its category is {data['category']}")
    langs = tuple(data["languages"])
    for lang in langs:
        if lang not in LANGUAGES:
            raise CatalogError(f"{where}: unknown language {lang!r}")
    targets = tuple(data.get("targets") or ())
    for t in targets:
        if t not in TARGETS:
            raise CatalogError(f"{where}: unknown target {t!r}")
    matches = []
    for lang, spec in (data.get("match") or {}).items():
        if lang not in langs:
            raise CatalogError(f"{where}: match query for {lang} which the rule does not claim")
        specs = spec if isinstance(spec, list) else [spec]
        for s in specs:
            if isinstance(s, str):
                s = {"query": s}
            matches.append(MatchQuery(lang, s["query"], s.get("report-at", "report"), s.get("message")))
    if not data.get("check") and not matches:
        raise CatalogError(f"{where}: a rule needs `check:` or `match:`")
    options = data.get("options") or {}
    for name, spec in options.items():
        if not isinstance(spec, dict) or spec.get("type") not in OPTION_TYPES:
            raise CatalogError(f"{where}: option {name!r} needs a type ({', '.join(OPTION_TYPES)})")
    return Rule(
        id=rid, title=data["title"], category=data["category"], severity=data["severity"],
        confidence=data["confidence"], status=data["status"], tags=tuple(data.get("tags") or ()),
        message=data["message"], docs=dict(data["docs"]), languages=langs, targets=targets,
        check=data.get("check"), match=tuple(matches), options=dict(options),
        aliases=tuple(data.get("aliases") or ()), source=str(path),
    )


class Catalog:
    def __init__(self, rules: list[Rule]):
        self.rules: dict[str, Rule] = {}
        self.aliases: dict[str, str] = {}
        for r in sorted(rules, key=lambda r: r.id):
            if r.id in self.rules:
                raise CatalogError(f"duplicate rule id {r.id}")
            self.rules[r.id] = r
        for r in self.rules.values():
            for a in r.aliases:
                if a in self.rules or a in self.aliases:
                    raise CatalogError(f"alias {a} of {r.id} clashes")
                self.aliases[a] = r.id

    def __iter__(self):
        return iter(self.rules.values())

    def __len__(self):
        return len(self.rules)

    def resolve(self, rid: str) -> str | None:
        if rid in self.rules:
            return rid
        return self.aliases.get(rid)

    def get(self, rid: str) -> Rule | None:
        real = self.resolve(rid)
        return self.rules.get(real) if real else None


def load_rule_file(path: Path) -> Rule:
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_SAFE_LOADER)
    return _rule_from_dict(data, path)


@functools.lru_cache(maxsize=4)
def load_catalog(directory: str | None = None) -> Catalog:
    root = Path(directory) if directory else catalog_dir()
    rules = [load_rule_file(p) for p in sorted(root.glob("*/*.yaml"))]
    return Catalog(rules)
