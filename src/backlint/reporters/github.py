"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(result, **_) -> str:
    out = []
    for f in result.findings:
        props = (f"file={_prop(f.path)},line={f.span.start_line},col={f.span.start_col},"
                 f"endLine={f.span.end_line},endColumn={f.span.end_col},title={_prop('backlint ' + f.rule_id)}")
        out.append(f"::{_LEVEL[f.severity]} {props}::{_data(f.message)}")
    for n in result.notices:
        if n.level == "note":
            continue
        loc = f"file={_prop(n.path)}," if n.path else ""
        out.append(f"::warning {loc}title=backlint::{_data(n.message)}")
    return "\n".join(out) + ("\n" if out else "")
