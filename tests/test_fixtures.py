"""THE generic test: every fixture, run through the real engine, against its annotations.

`expect: <id>` must fire on the target line, `ok: <id>` must not, and every finding must be
annotated. `todo-expect` / `todo-ok` are known misses / false positives: strict xfail, so a
fix that makes one pass fails here with "promote me".
"""

from __future__ import annotations

import pytest

from fixture_support import Fixture, all_fixtures, run_fixture

FIXTURES = all_fixtures()


def _lines(findings, rule_id):
    out = {}
    for f in findings:
        if f.rule_id == rule_id:
            out.setdefault(f.span.start_line, f)
            out.setdefault(f.anchor_line, f)
    return out


@pytest.mark.parametrize("fx", FIXTURES, ids=[f.id for f in FIXTURES])
def test_fixture(fx: Fixture) -> None:
    res, annotations, enabled = run_fixture(fx)
    problems = []
    for n in res.notices:
        if n.kind in ("rule-error", "internal-error"):
            problems.append(f"{fx.id}: engine notice: {n.message}")
    relevant = [a for a in annotations if a.rule_id in enabled]
    if fx.kind == "bad" and not any(a.kind == "expect" and a.rule_id == fx.rule_id for a in relevant):
        problems.append(f"{fx.id}: a bad fixture needs at least one `expect: {fx.rule_id}`")
    if fx.kind == "good" and any(a.kind == "expect" and a.rule_id == fx.rule_id for a in relevant):
        problems.append(f"{fx.id}: a good fixture must not contain `expect: {fx.rule_id}`")
    matched = set()
    for a in relevant:
        hits = [f for f in res.findings if f.rule_id == a.rule_id and a.line in (f.span.start_line, f.anchor_line)]
        if a.kind == "expect":
            if not hits:
                problems.append(f"{fx.id}:{a.line} missing {a.rule_id}")
            matched.update(id(f) for f in hits)
        elif a.kind == "ok":
            for f in hits:
                problems.append(f"{fx.id}:{a.line} unexpected {a.rule_id} (marked ok): {f.message}")
                matched.add(id(f))
        elif a.kind in ("todo-expect", "todo-ok"):
            matched.update(id(f) for f in hits)  # judged by test_todo
    for f in res.findings:
        if id(f) not in matched:
            problems.append(f"{fx.id}:{f.span.start_line} unexpected {f.rule_id}: {f.message}")
    assert not problems, "\n".join(problems)


def _todos():
    out = []
    for fx in FIXTURES:
        text = fx.path.read_text(encoding="utf-8", errors="replace")
        if "todo-expect:" not in text and "todo-ok:" not in text:
            continue
        _, annotations, enabled = run_fixture(fx)
        for a in annotations:
            if a.kind in ("todo-expect", "todo-ok"):
                out.append(pytest.param(fx, a, id=f"{fx.id}:{a.line}:{a.kind}:{a.rule_id}",
                                        marks=pytest.mark.xfail(strict=True, reason="known gap; if this passes, promote the annotation")))
    return out


@pytest.mark.parametrize("fx,annotation", _todos())
def test_todo(fx, annotation) -> None:
    res, _, _ = run_fixture(fx)
    hits = [f for f in res.findings if f.rule_id == annotation.rule_id and annotation.line in (f.span.start_line, f.anchor_line)]
    if annotation.kind == "todo-expect":
        assert hits, f"{fx.id}:{annotation.line} still missing {annotation.rule_id}"
    else:
        assert not hits, f"{fx.id}:{annotation.line} still reports {annotation.rule_id}"
