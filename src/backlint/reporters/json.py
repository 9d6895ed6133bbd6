"""Machine-readable JSON: findings, notices and a summary."""

from __future__ import annotations

import json as _json

from .. import __version__


def finding_dict(f) -> dict:
    return {
        "rule": f.rule_id, "path": f.path, "line": f.span.start_line, "column": f.span.start_col,
        "end_line": f.span.end_line, "end_column": f.span.end_col, "severity": f.severity,
        "confidence": f.confidence, "message": f.message, "snippet": f.snippet,
        "fingerprint": f.fingerprint,
        "related": [{"path": r.path or f.path, "line": r.span.start_line, "column": r.span.start_col, "message": r.message} for r in f.related],
        **({"properties": f.properties} if f.properties else {}),
    }


def render(result, **_) -> str:
    doc = {
        "tool": "backlint", "version": __version__,
        "summary": {"files": result.files, "lines": result.lines, "findings": len(result.findings),
                    "suppressed": result.suppressed, "baselined": result.baselined,
                    "outside_diff": result.outside_diff, "cached_files": result.cached_files, "elapsed_seconds": round(result.elapsed, 3),
                    "rules": [r.id for r in result.rules]},
        "findings": [finding_dict(f) for f in result.findings],
        "notices": [{"kind": n.kind, "level": n.level, "path": n.path, "message": n.message, **({"rule": n.rule_id} if n.rule_id else {})} for n in result.notices],
    }
    return _json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
