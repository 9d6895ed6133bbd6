"""GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import json

_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}
_CATEGORY = {"security": "Security", "performance": "Performance", "architecture": "Complexity",
             "correctness": "Bug Risk", "maintainability": "Clarity"}


def render(result, **_) -> str:
    issues = []
    cats = {r.id: r.category for r in result.rules}
    for f in result.findings:
        issues.append({
            "description": f.message,
            "check_name": f.rule_id,
            "fingerprint": f"{f.rule_id}:{f.path}:{f.fingerprint}",
            "severity": _SEVERITY[f.severity],
            "categories": [_CATEGORY.get(cats.get(f.rule_id, ""), "Bug Risk")],
            "location": {"path": f.path, "lines": {"begin": f.span.start_line, "end": f.span.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
