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
