"""Phase 1: analyse one file. Runs in worker processes; never raises."""

from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass, field
from typing import Any

import pathspec
import tree_sitter as ts

from ..directives import parse_suppressions
from ..discovery import SourceFile
from ..model import Finding, Notice
from ..rules.catalog import Catalog, Rule
from .context import FileContext, fingerprint

BINARY_SNIFF = 8192
MINIFIED_MIN_BYTES = 4096
MINIFIED_AVG_LINE = 400


@dataclass
class FileResult:
    path: str
    language: str
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    suppressed: int = 0
    lines: int = 0
    analysed: bool = False
    cached: bool = False
    # phase 2 inputs (only when a project rule runs): the file's summary for the project index,
    # each project rule's pending items, and the suppressions that phase 2 must still apply
    summary: dict | None = None
    pending: dict = field(default_factory=dict)
    suppressions: list = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """What every worker needs: the catalog, the enabled rules and their effective settings."""

    catalog_dir: str | None
    rule_ids: tuple[str, ...]
    severities: dict[str, str]
    options: dict[str, dict[str, Any]]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    settings: Any
    cache_dir: str | None = None
    cache_key: str = ""
    project_rules: tuple[str, ...] = ()  # rules whose module has pending()/resolve() (phase 2)


_MATCH_CACHE: dict[tuple[str, tuple[str, ...]], Any] = {}
_PFI_CACHE: dict[tuple, list] = {}


def check_module(rule: Rule):
    return importlib.import_module(f"..rules.checks.{rule.check}", __package__)


def _checks(rule: Rule):
    return check_module(rule).check


def _match_queries(language: str, rules: list[Rule], ctx: FileContext):
    """One combined tree-sitter query per language for all `match:` rules (compiled once per
    grammar: a TypeScript file may have been parsed with the tsx grammar)."""
    ts_lang = ctx.tree.language
    key = (language, hash(ts_lang), tuple(r.id for r in rules))
    if key not in _MATCH_CACHE:
        parts, owners = [], []
        for r in rules:
            for mq in r.match:
                if mq.language != language:
                    continue
                q = ts.Query(ts_lang, mq.query)
                parts.append(mq.query)
                owners.extend([(r, mq)] * q.pattern_count)
        combined = ts.Query(ts_lang, "\n".join(parts)) if parts else None
        _MATCH_CACHE[key] = (combined, owners)
    return _MATCH_CACHE[key]


def _run_match(ctx: FileContext, rules: list[Rule]) -> list[Finding]:
    combined, owners = _match_queries(ctx.language, rules, ctx)
    if combined is None:
        return []
    out = []
    for idx, caps in ts.QueryCursor(combined).matches(ctx.tree.root_node):
        rule, mq = owners[idx]
        nodes = caps.get(mq.report_at)
        if not nodes:
            continue
        node = nodes[0]
        if any(n.has_error for ns in caps.values() for n in ns):
            continue  # never report from inside a recovered (ERROR) region
        params = {k: v[0].text.decode("utf-8", "replace") for k, v in caps.items() if v}
        out.append(ctx.finding(rule, node, params, message=mq.message))
    return out


def _read_raw(src: SourceFile, res: FileResult) -> bytes | None:
    try:
        with open(src.path, "rb") as fh:
            return fh.read()
    except OSError as e:
        res.notices.append(Notice("read-error", f"cannot read file: {e.strerror}", src.rel, "warning"))
        return None


def _check_content(data: bytes, src: SourceFile, res: FileResult) -> bytes | None:
    if b"\0" in data[:BINARY_SNIFF]:
        res.notices.append(Notice("binary", "skipped: binary file", src.rel, "note"))
        return None
    if len(data) >= MINIFIED_MIN_BYTES:
        nl = data.count(b"\n") + 1
        if len(data) / nl > MINIFIED_AVG_LINE:
            res.notices.append(Notice("minified", f"skipped: looks minified or generated (average line {len(data) // nl} characters)", src.rel, "note"))
            return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        res.notices.append(Notice("decode-error", f"not valid UTF-8 (byte {e.start}); analysed with replacement characters", src.rel, "warning"))
    return data


def _ignored_by_path(rel: str, plan: Plan) -> set[str]:
    key = plan.per_file_ignores
    specs = _PFI_CACHE.get(key)
    if specs is None:
        specs = [(pathspec.GitIgnoreSpec.from_lines([glob]), ids) for glob, ids in plan.per_file_ignores]
        _PFI_CACHE[key] = specs
    out: set[str] = set()
    for spec, ids in specs:
        if spec.match_file(rel):
            out.update(ids)
    return out


def analyse_file(src: SourceFile, plan: Plan, catalog: Catalog) -> FileResult:
    res = FileResult(src.rel, src.language)
    data = _read_raw(src, res)
    if data is None:
        return res
    entry = None
    if plan.cache_dir:
        from . import cache

        entry = cache.entry_path(plan.cache_dir, plan.cache_key, src.rel, data)
        hit = cache.load(entry)
        if hit is not None:
            return hit
    _analyse_guarded(src, data, plan, catalog, res)
    if entry is not None:
        from . import cache

        cache.store(entry, res)
    return res


def _analyse_guarded(src: SourceFile, data: bytes, plan: Plan, catalog: Catalog, res: FileResult) -> None:
    try:
        _analyse(src, data, plan, catalog, res)
    except RecursionError:
        res.notices.append(Notice("internal-error", "file too deeply nested to analyse; skipped", src.rel, "warning"))
    except Exception as e:  # the scan must go on whatever one file does
        res.notices.append(Notice("internal-error", f"internal error while analysing: {type(e).__name__}: {_safe(e)}", src.rel, "error"))


def _safe(e: BaseException) -> str:
    msg = str(e).splitlines()[0] if str(e) else ""
    return msg[:200]


_EXCL_CACHE: dict[tuple[str, ...], Any] = {}


def _excluded_by_option(rel: str, options: dict[str, Any]) -> bool:
    """The generic rule option `exclude-paths` (gitignore-style globs): files where a rule's
    findings are expected by design (e.g. whole-table backfills in schema migrations)."""
    globs = options.get("exclude-paths")
    if not globs:
        return False
    key = tuple(globs)
    spec = _EXCL_CACHE.get(key)
    if spec is None:
        spec = _EXCL_CACHE[key] = pathspec.GitIgnoreSpec.from_lines(list(globs))
    return spec.match_file(rel)


def _rule_selected(rule: Rule, ignored: set[str]) -> bool:
    return rule.id not in ignored and rule.category not in ignored and "ALL" not in ignored and not (set(rule.aliases) & ignored)


def _analyse(src: SourceFile, data: bytes, plan: Plan, catalog: Catalog, res: FileResult) -> None:
    data = _check_content(data, src, res)
    if data is None:
        return
    res.lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    ignored = _ignored_by_path(src.rel, plan)
    rules = [catalog.rules[r] for r in plan.rule_ids]
    rules = [r for r in rules if src.language in r.languages and _rule_selected(r, ignored)
             and not _excluded_by_option(src.rel, plan.options.get(r.id, {}))]
    if src.language == "sql":
        rules = [r for r in rules if "sql-file" in r.targets]
    ctx = FileContext(src.rel, src.language, data, plan.settings, plan.options)
    res.analysed = True
    if ctx.adapter is not None and ctx.tree.root_node.has_error:
        res.notices.append(Notice("partial-parse", "partially parsed (syntax the grammar does not know); analysed the valid parts", src.rel, "note"))
    findings: list[Finding] = []
    match_rules = [r for r in rules if r.match and ctx.adapter is not None]
    if match_rules:
        try:
            findings.extend(_run_match(ctx, match_rules))
        except Exception as e:
            res.notices.append(Notice("rule-error", f"match queries failed: {type(e).__name__}: {_safe(e)}", src.rel, "error"))
    for rule in rules:
        if not rule.check or rule.check == "engine":
            continue
        try:
            findings.extend(_checks(rule)(ctx, rule))
        except RecursionError:
            res.notices.append(Notice("rule-error", f"rule {rule.id} gave up: input too deeply nested", src.rel, "warning", rule.id))
        except Exception as e:
            detail = type(e).__name__ if "secrets" in rule.tags else f"{type(e).__name__}: {_safe(e)}"
            res.notices.append(Notice("rule-error", f"rule {rule.id} failed: {detail}", src.rel, "error", rule.id))
            if plan.settings is not None and getattr(plan.settings, "debug", False):
                traceback.print_exc()
    project = [r for r in rules if r.id in plan.project_rules]
    if ctx.adapter is not None and (project or plan.project_rules):
        ctx.adapter.classify_db_calls(ctx.facts)
        res.summary = ctx.adapter.summary(ctx.facts)
        for rule in project:
            try:
                items = check_module(rule).pending(ctx, rule)
                if items:
                    res.pending[rule.id] = items
            except Exception as e:
                res.notices.append(Notice("rule-error", f"rule {rule.id} failed: {type(e).__name__}: {_safe(e)}", src.rel, "error", rule.id))
    for f in findings:
        if f.rule_id in plan.severities:
            f.severity = plan.severities[f.rule_id]
    findings = _apply_suppressions(ctx, findings, rules, catalog, plan, res)
    _fingerprint(findings)
    res.findings = sorted(findings, key=Finding.sort_key)


def _apply_suppressions(ctx: FileContext, findings: list[Finding], rules: list[Rule], catalog: Catalog,
                        plan: Plan, res: FileResult) -> list[Finding]:
    if b"backlint" not in ctx.source:
        return findings
    sups = parse_suppressions(ctx.comments)
    if not sups:
        return findings
    ran = {r.id for r in rules}
    used = [False] * len(sups)
    kept = []
    deferred = set(plan.project_rules)
    if deferred:
        for s in sups:
            if not s.error and any((catalog.resolve(x) or x) in deferred for x in s.rule_ids):
                c = s.comment
                res.suppressions.append({"kind": s.kind, "ids": [catalog.resolve(x) or x for x in s.rule_ids],
                                         "target": s.target_line, "span": list(_span_list(ctx, c)),
                                         "phase1_used": False})
    for f in findings:
        hit = False
        for i, s in enumerate(sups):
            if s.error:
                continue
            ids = {catalog.resolve(x) or x for x in s.rule_ids}
            if f.rule_id not in ids:
                continue
            if s.kind == "file-ignore" or s.target_line in (f.span.start_line, f.anchor_line):
                used[i] = True
                hit = True
        if hit:
            res.suppressed += 1
        else:
            kept.append(f)
    unused_rule = catalog.rules.get("unused-suppression")
    # a suppression naming a project rule is judged in phase 2, when its findings exist
    for rec in res.suppressions:
        for s, u in zip(sups, used):
            if u and s.comment.line == _line_of(rec):
                rec["phase1_used"] = True
    if unused_rule is not None and "unused-suppression" in plan.rule_ids and "unused-suppression" not in _ignored_by_path(ctx.path, plan):
        for s, u in zip(sups, used):
            if u:
                continue
            if not s.error and any((catalog.resolve(x) or x) in deferred for x in s.rule_ids):
                continue
            c = s.comment
            span = ctx.span(c.start_byte, c.end_byte)
            if s.error:
                msg = f"malformed suppression: {s.error}"
            else:
                ids = [catalog.resolve(x) or x for x in s.rule_ids]
                unknown = [x for x in s.rule_ids if catalog.resolve(x) is None]
                if unknown:
                    msg = f"suppression names unknown rule {unknown[0]}"
                elif not any(i in ran for i in ids):
                    continue  # the rule did not run on this file: we cannot tell whether it is needed
                else:
                    msg = f"suppression `{s.kind}[{', '.join(s.rule_ids)}]` suppresses nothing; remove it"
            f = ctx.finding(unused_rule, span, message=msg)
            f.severity = plan.severities.get(unused_rule.id, unused_rule.severity)
            kept.append(f)
    return kept


def _span_list(ctx: FileContext, c) -> list[int]:
    sp = ctx.span(c.start_byte, c.end_byte)
    return [sp.start_line, sp.start_col, sp.end_line, sp.end_col, sp.start_byte, sp.end_byte]


def _line_of(rec: dict) -> int:
    return rec["span"][0]


def _fingerprint(findings: list[Finding]) -> None:
    seen: dict[str, int] = {}
    for f in sorted(findings, key=Finding.sort_key):
        base = fingerprint(f.rule_id, f.path, f.fingerprint_basis)
        n = seen.get(base, 0)
        seen[base] = n + 1
        f.fingerprint = f"{base}:{n}"
