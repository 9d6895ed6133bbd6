"""Plain data shared by every stage of the pipeline (no behaviour, no imports of other stages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines, 1-based columns counted in Unicode code points."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    start_byte: int = 0
    end_byte: int = 0


@dataclass(frozen=True)
class Related:
    span: Span
    message: str
    path: str | None = None


@dataclass(frozen=True)
class Fix:
    description: str
    replacements: tuple[tuple[Span, str], ...]


@dataclass
class Finding:
    rule_id: str
    path: str  # posix path relative to the scan root
    span: Span
    message: str
    severity: str
    confidence: str
    snippet: str = ""  # the matched source, already redacted when the rule handles secrets
    fingerprint: str = ""  # filled by the engine: hash of normalised code + occurrence index
    fingerprint_basis: str = ""  # what the hash is computed from (defaults to the snippet)
    anchor_line: int = 0  # first line of the statement holding the finding (annotations)
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    properties: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (self.path, self.span.start_line, self.span.start_col, self.rule_id, self.message)


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not a finding: a skipped or partly analysed file."""

    kind: str  # binary, too-large, minified, decode-error, partial-parse, read-error, rule-error, ...
    message: str
    path: str | None = None
    level: str = "warning"  # error | warning | note (SARIF notification levels)
    rule_id: str | None = None


# -- (de)serialisation for the result cache (JSON only: a cache file planted in a repository
#    must never be able to execute code, so no pickle) ------------------------------------------
def span_to_list(s: Span) -> list[int]:
    return [s.start_line, s.start_col, s.end_line, s.end_col, s.start_byte, s.end_byte]


def span_from_list(v: list[int]) -> Span:
    return Span(*v)


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id, "path": f.path, "span": span_to_list(f.span), "message": f.message,
        "severity": f.severity, "confidence": f.confidence, "snippet": f.snippet, "fingerprint": f.fingerprint,
        "fingerprint_basis": f.fingerprint_basis, "anchor_line": f.anchor_line,
        "related": [[span_to_list(r.span), r.message, r.path] for r in f.related],
        "fix": None if f.fix is None else [f.fix.description, [[span_to_list(s), t] for s, t in f.fix.replacements]],
        "properties": f.properties,
    }


def finding_from_dict(d: dict[str, Any]) -> Finding:
    fix = None
    if d.get("fix"):
        fix = Fix(d["fix"][0], tuple((span_from_list(s), t) for s, t in d["fix"][1]))
    return Finding(
        rule_id=d["rule_id"], path=d["path"], span=span_from_list(d["span"]), message=d["message"],
        severity=d["severity"], confidence=d["confidence"], snippet=d["snippet"], fingerprint=d["fingerprint"],
        fingerprint_basis=d["fingerprint_basis"], anchor_line=d["anchor_line"],
        related=tuple(Related(span_from_list(s), m, p) for s, m, p in d["related"]), fix=fix,
        properties=dict(d.get("properties") or {}),
    )


def notice_to_dict(n: Notice) -> dict[str, Any]:
    return {"kind": n.kind, "message": n.message, "path": n.path, "level": n.level, "rule_id": n.rule_id}


def notice_from_dict(d: dict[str, Any]) -> Notice:
    return Notice(d["kind"], d["message"], d.get("path"), d.get("level", "warning"), d.get("rule_id"))
