"""SARIF 2.1.0 for GitHub code scanning and IDE viewers (DESIGN §7)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .. import __version__

MAX_RESULTS = 25_000
INFO_URI = "https://github.com/backlint/backlint"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.5", "info": "3.0"}


def _uri(path: str) -> tuple[str, str | None]:
    if path.startswith("/"):
        return Path(path).as_uri(), None
    return quote(path), "%SRCROOT%"


def _region(span, snippet: str | None = None) -> dict:
    r = {"startLine": span.start_line, "startColumn": span.start_col, "endLine": span.end_line, "endColumn": span.end_col}
    if snippet:
        r["snippet"] = {"text": snippet}
    return r


def _location(path: str, span, snippet: str | None = None, message: str | None = None, id_: int | None = None) -> dict:
    uri, base = _uri(path)
    art = {"uri": uri}
    if base:
        art["uriBaseId"] = base
    loc = {"physicalLocation": {"artifactLocation": art, "region": _region(span, snippet)}}
    if message:
        loc["message"] = {"text": message}
    if id_ is not None:
        loc["id"] = id_
    return loc


def rule_descriptor(rule) -> dict:
    docs = rule.docs
    what, why, fix = docs.get("what", ""), docs.get("why", ""), docs.get("fix", "")
    refs = docs.get("references") or []
    help_text = f"{what}\n\nWhy: {why}\n\nFix: {fix}"
    md = f"**{rule.title}**\n\n{what}\n\n**Why it matters.** {why}\n\n**How to fix.** {fix}"
    if refs:
        md += "\n\n" + "\n".join(f"- <{r}>" for r in refs)
    tags = list(rule.tags) + [rule.category]
    if rule.category == "security" and "security" not in tags:
        tags.append("security")
    tags += [f"external/cwe/cwe-{c}" for c in rule.cwes]
    props = {"tags": sorted(set(tags)), "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence],
             "problem.severity": {"error": "error", "warning": "warning", "info": "recommendation"}[rule.severity]}
    if rule.category == "security":
        props["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": what or rule.title},
        "help": {"text": help_text, "markdown": md},
        "helpUri": f"{INFO_URI}/blob/main/rules/{rule.category}/{rule.id}.yaml",
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": props,
    }


def render(result, **_) -> str:
    findings = result.findings[:MAX_RESULTS]
    fired = sorted({f.rule_id for f in findings})
    by_id = {r.id: r for r in result.rules}
    rules = []
    index = {}
    for rid in fired:
        rule = by_id.get(rid)
        if rule is None:
            from ..rules.catalog import load_catalog

            rule = load_catalog().get(rid)
        index[rid] = len(rules)
        rules.append(rule_descriptor(rule))
    results = []
    for f in findings:
        res = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.path, f.span, f.snippet or None)],
            "partialFingerprints": {"backlintFingerprint/v1": f.fingerprint},
            "properties": {"confidence": f.confidence, **f.properties},
        }
        if f.related:
            res["relatedLocations"] = [_location(r.path or f.path, r.span, None, r.message, i + 1) for i, r in enumerate(f.related)]
        if f.fix is not None:
            uri, base = _uri(f.path)
            art = {"uri": uri, **({"uriBaseId": base} if base else {})}
            res["fixes"] = [{"description": {"text": f.fix.description}, "artifactChanges": [{
                "artifactLocation": art,
                "replacements": [{"deletedRegion": _region(sp), "insertedContent": {"text": t}} for sp, t in f.fix.replacements],
            }]}]
        results.append(res)
    notifications = []
    for n in result.notices:
        note = {"level": n.level, "message": {"text": n.message}, "descriptor": {"id": n.kind}}
        if n.path:
            uri, base = _uri(n.path)
            art = {"uri": uri, **({"uriBaseId": base} if base else {})}
            note["locations"] = [{"physicalLocation": {"artifactLocation": art}}]
        if n.rule_id and n.rule_id in by_id:
            note["associatedRule"] = {"id": n.rule_id}
        notifications.append(note)
    if len(result.findings) > MAX_RESULTS:
        notifications.append({"level": "warning", "descriptor": {"id": "results-truncated"},
                              "message": {"text": f"{len(result.findings) - MAX_RESULTS} results were left out: SARIF consumers accept at most {MAX_RESULTS} per run"}})
    root_uri = Path(result.root).resolve().as_uri() + "/"
    run = {
        "tool": {"driver": {"name": "backlint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFO_URI, "rules": rules}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{"executionSuccessful": not any(n.level == "error" and n.kind in ("internal-error", "rule-error") for n in result.notices),
                         "toolExecutionNotifications": notifications}],
    }
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
