"""Orchestrate a scan: select rules, discover files, analyse them in a process pool, collect."""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..config.settings import Settings
from ..discovery import Discovery, SourceFile
from ..model import Finding, Notice
from ..rules.catalog import CATEGORIES, Catalog, Rule, load_catalog
from .analyse import FileResult, Plan, analyse_file

MAX_RESULTS = 25_000
IN_PROCESS_BELOW = 24  # a pre-commit run on a few files should not pay for a pool


@dataclass
class ScanResult:
    root: Path
    rules: list[Rule]  # the rules that ran
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    suppressed: int = 0
    elapsed: float = 0.0
    truncated: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    cached_files: int = 0
    baselined: int = 0
    outside_diff: int = 0


def select_rules(catalog: Catalog, settings: Settings, mode: str = "check") -> list[Rule]:
    include_preview = mode == "audit" or settings.preview

    def expand(selectors) -> set[str]:
        out = set()
        for s in selectors:
            if s == "ALL":
                out.update(catalog.rules)
            elif s in CATEGORIES:
                out.update(r.id for r in catalog if r.category == s)
            else:
                rid = catalog.resolve(s)
                if rid:
                    out.add(rid)
        return out

    if settings.select is None:
        chosen = {r.id for r in catalog if r.status == "stable" or (include_preview and r.status == "preview")}
    else:
        explicit = {catalog.resolve(s) for s in settings.select if catalog.resolve(s)}
        chosen = {rid for rid in expand(settings.select)
                  if rid in explicit or catalog.rules[rid].status == "stable"
                  or (include_preview and catalog.rules[rid].status == "preview")}
    chosen |= expand(settings.extend_select)
    chosen -= expand(settings.ignore)
    return [catalog.rules[r] for r in sorted(chosen)]


def make_plan(catalog_dir: str | None, rules: list[Rule], settings: Settings, cache_dir: str | None = None) -> Plan:
    sev = {rid: rs.severity for rid, rs in settings.rules.items() if rs.severity}
    opts = {}
    for r in rules:
        o = r.default_options()
        rs = settings.rules.get(r.id)
        if rs is not None:
            o.update(rs.options)
        opts[r.id] = o
    pfi = tuple((g, tuple(ids)) for g, ids in settings.per_file_ignores.items())
    project = tuple(r.id for r in rules if r.check and r.check != "engine" and _is_project_rule(r))
    key = ""
    if cache_dir:
        from .cache import code_stamp

        key = "|".join([code_stamp(), repr(tuple(r.id for r in rules)), repr(sorted(sev.items())),
                        repr(sorted((k, sorted(v.items(), key=repr)) for k, v in opts.items())), repr(pfi),
                        str(settings.sql_dialect)])
    return Plan(catalog_dir, tuple(r.id for r in rules), sev, opts, pfi, settings, cache_dir, key, project)


def _is_project_rule(rule: Rule) -> bool:
    from .analyse import check_module

    try:
        mod = check_module(rule)
    except Exception:
        return False  # a broken rule module is reported per file as a rule error, not a crash
    return hasattr(mod, "pending") and hasattr(mod, "resolve")


# -- workers -----------------------------------------------------------------------------------
_W_PLAN: Plan | None = None
_W_CATALOG: Catalog | None = None


def _init_worker(plan: Plan) -> None:
    global _W_PLAN, _W_CATALOG
    _W_PLAN = plan
    _W_CATALOG = load_catalog(plan.catalog_dir)


def _work(batch: list[SourceFile]) -> list[FileResult]:
    assert _W_PLAN is not None and _W_CATALOG is not None
    return [analyse_file(f, _W_PLAN, _W_CATALOG) for f in batch]


def _batches(files: list[SourceFile], jobs: int) -> list[list[SourceFile]]:
    # big files first so one straggler does not hold the pool; then round-robin into batches
    order = sorted(files, key=lambda f: -f.size)
    n = max(1, min(len(order), jobs * 8))
    out: list[list[SourceFile]] = [[] for _ in range(n)]
    for i, f in enumerate(order):
        out[i % n].append(f)
    return [b for b in out if b]


def _run_pool(files: list[SourceFile], plan: Plan, jobs: int, progress: Callable[[int], None] | None) -> list[FileResult]:
    results: dict[str, FileResult] = {}
    pending = _batches(files, jobs)
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(plan,)) as ex:
            futures = [(b, ex.submit(_work, b)) for b in pending]
            for b, fut in futures:
                for r in fut.result():
                    results[r.path] = r
                if progress:
                    progress(len(b))
    except BrokenProcessPool:
        # a worker died (a crash in native code): retry the rest one file per process
        left = [f for f in files if f.rel not in results]
        for f in left:
            try:
                with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(plan,)) as ex:
                    r = ex.submit(_work, [f]).result()[0]
            except BrokenProcessPool:
                r = FileResult(f.rel, f.language, notices=[Notice("internal-error", "the analyser crashed on this file; skipped", f.rel, "error")])
            results[r.path] = r
            if progress:
                progress(1)
    return [results[f.rel] for f in files if f.rel in results]


def _phase2(results: list[FileResult], plan: Plan, catalog: Catalog, out: ScanResult) -> list[Finding]:
    """Join the summaries into the project index, let project rules resolve their pending
    items, then apply the suppressions phase 1 deferred (and report the unused ones)."""
    from ..model import Span, finding_from_dict
    from .analyse import _fingerprint, check_module
    from .index import ProjectIndex

    index = ProjectIndex({r.path: r.summary for r in results if r.summary})
    pending = {r.path: r.pending for r in results if r.pending}
    found: list[Finding] = []
    for rid in plan.project_rules:
        rule = catalog.rules[rid]
        items = {p: v[rid] for p, v in pending.items() if rid in v}
        try:
            new = list(check_module(rule).resolve(rule, index, items))
        except Exception as e:
            out.notices.append(Notice("rule-error", f"rule {rid} failed in the project phase: {type(e).__name__}: {str(e)[:200]}", None, "error", rid))
            continue
        for f in new:
            if rid in plan.severities:
                f.severity = plan.severities[rid]
        found.extend(new)
    by_path: dict[str, list[Finding]] = {}
    for f in found:
        by_path.setdefault(f.path, []).append(f)
    kept: list[Finding] = []
    unused_rule = catalog.rules.get("unused-suppression")
    report_unused = unused_rule is not None and "unused-suppression" in plan.rule_ids
    for r in results:
        fs = by_path.pop(r.path, [])
        used = [rec.get("phase1_used", False) for rec in r.suppressions]
        for f in fs:
            hit = False
            for i, rec in enumerate(r.suppressions):
                if f.rule_id in rec["ids"] and (rec["kind"] == "file-ignore" or rec["target"] in (f.span.start_line, f.anchor_line)):
                    used[i] = hit = True
            if hit:
                out.suppressed += 1
            else:
                kept.append(f)
        if report_unused:
            for rec, u in zip(r.suppressions, used):
                if not u:
                    sp = Span(*rec["span"])
                    kept.append(Finding("unused-suppression", r.path, sp,
                                        f"suppression `{rec['kind']}[{', '.join(rec['ids'])}]` suppresses nothing; remove it",
                                        plan.severities.get("unused-suppression", unused_rule.severity), unused_rule.confidence,
                                        snippet="", fingerprint_basis=f"{rec['kind']}{rec['ids']}", anchor_line=sp.start_line))
    for fs in by_path.values():
        kept.extend(fs)
    _fingerprint(kept)
    return kept


def scan(paths: list[Path], settings: Settings, mode: str = "check", jobs: int | None = None,
         catalog_dir: str | None = None, progress: Callable[[int], None] | None = None,
         on_files: Callable[[int], None] | None = None, use_cache: bool = False) -> ScanResult:
    t0 = time.perf_counter()
    catalog = load_catalog(catalog_dir)
    rules = select_rules(catalog, settings, mode)
    cache_dir = None
    if use_cache:
        from .cache import ensure_dir

        d = ensure_dir(settings.root)
        cache_dir = str(d) if d is not None else None
    plan = make_plan(catalog_dir, rules, settings, cache_dir)
    disc = Discovery(settings)
    files = disc.discover(paths)
    if on_files:
        on_files(len(files))
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(files) < IN_PROCESS_BELOW:
        results = []
        for f in files:
            results.append(analyse_file(f, plan, catalog))
            if progress:
                progress(1)
    else:
        results = _run_pool(files, plan, jobs, progress)
    out = ScanResult(settings.root, rules)
    out.notices.extend(disc.notices)
    for r in results:
        out.findings.extend(r.findings)
        out.notices.extend(r.notices)
        out.suppressed += r.suppressed
        if r.cached:
            out.cached_files += 1
        if r.analysed:
            out.files += 1
            out.lines += r.lines
            out.languages[r.language] = out.languages.get(r.language, 0) + 1
    if plan.project_rules:
        out.findings.extend(_phase2(results, plan, catalog, out))
    out.findings.sort(key=Finding.sort_key)
    if len(out.findings) > MAX_RESULTS:
        out.truncated = len(out.findings) - MAX_RESULTS
    out.elapsed = time.perf_counter() - t0
    return out
