"""Bad input never crashes a scan and never loses results (each case gets a notice)."""

from __future__ import annotations

import json
import sys

import pytest

from backlint.config.settings import Settings
from backlint.engine import scan

from helpers import BAD_PY, run_cli


def _scan(tmp_path, **kw):
    return scan([tmp_path], Settings(root=tmp_path, **kw), jobs=1)


def _kinds(result):
    return {(n.path, n.kind) for n in result.notices}


def _has_good_finding(result):
    return any(f.path == "ok.py" and f.rule_id == "sql-string-concat" for f in result.findings)


def test_binary_file_is_skipped_with_notice(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    r = _scan(tmp_path)
    assert ("blob.py", "binary") in _kinds(r)
    assert _has_good_finding(r)


def test_invalid_utf8_is_analysed_with_notice(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / "latin1.py").write_bytes(
        b"# caf\xe9\ndef g(cur, x):\n    cur.execute(\"DELETE FROM t WHERE a = '\" + x + \"'\")\n")
    r = _scan(tmp_path)
    assert ("latin1.py", "decode-error") in _kinds(r)
    assert any(f.path == "latin1.py" and f.rule_id == "sql-string-concat" and f.span.start_line == 3 for f in r.findings)
    assert _has_good_finding(r)


def test_oversized_file_is_skipped_with_notice(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    big = tmp_path / "big.py"
    line = "x = 'padding padding padding padding padding padding padding padding'\n"
    big.write_text(line * (5 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size >= 5 * 1024 * 1024
    r = _scan(tmp_path)
    assert ("big.py", "too-large") in _kinds(r)
    assert _has_good_finding(r)


def test_minified_file_is_skipped_with_notice(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / "app.js").write_text("var a=1;" * 2000)
    (tmp_path / "lib.min.js").write_text("var a=1;")
    r = _scan(tmp_path)
    kinds = _kinds(r)
    assert ("app.js", "minified") in kinds and ("lib.min.js", "minified") in kinds
    assert _has_good_finding(r)


@pytest.mark.parametrize("name,content", [
    ("deep.py", "x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n"),
    ("deep.js", "const x = " + "[" * 10_000 + "]" * 10_000 + ";\n"),
    ("deep2.py", "x = " + " + ".join(["'a'"] * 10_000) + "\n"),
    ("deep.sql", "SELECT " + "(" * 10_000 + "1" + ")" * 10_000 + " FROM t;\n"),
    # long multi-line concatenations (one term per line, so not skipped as minified)
    ("chain.py", "x = (" + " +\n    ".join(['"a"'] * 3000) + ")\n"),
    ("chain.go", "package main\nvar x = " + " +\n\t".join(['"a"'] * 3000) + "\n"),
    ("chain.js", "const x = " + " +\n  ".join(['"a"'] * 3000) + ";\n"),
    ("chain.java", "class A { String x = " + " +\n  ".join(['"a"'] * 3000) + "; }\n"),
    ("chain.cs", "class A { string x = " + " +\n  ".join(['"a"'] * 3000) + "; }\n"),
    ("chain.rb", "x = " + " +\n  ".join(['"a"'] * 3000) + "\n"),
    ("chain.php", "<?php\n$x = " + " .\n  ".join(['"a"'] * 3000) + ";\n"),
])
def test_deep_nesting_never_stops_the_scan(tmp_path, name, content):
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / name).write_text(content)
    r = _scan(tmp_path)
    assert _has_good_finding(r)
    assert not any(n.kind == "internal-error" and n.level == "error" for n in r.notices), r.notices


def test_syntax_error_is_partial_not_fatal(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / "broken.py").write_text(
        "def good(cur, x):\n    cur.execute(\"SELECT id FROM t WHERE a = '\" + x + \"'\")\n\n"
        "def broken(:\n    return )(\n")
    r = _scan(tmp_path)
    assert ("broken.py", "partial-parse") in _kinds(r)
    assert any(f.path == "broken.py" and f.span.start_line == 2 for f in r.findings)
    assert _has_good_finding(r)


def test_error_node_inside_a_match_does_not_report(tmp_path):
    # `+ ?x` is recovered with an ERROR node inside the call: evidence that holds recovered
    # syntax is not trusted, so the call is not reported
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / "err.py").write_text("def f(cur, x):\n    cur.execute(\"SELECT id FROM t WHERE a = 1\" + ?x)\n")
    r = _scan(tmp_path)
    assert ("err.py", "partial-parse") in _kinds(r)
    assert not any(f.path == "err.py" for f in r.findings)
    assert _has_good_finding(r)


def test_unreadable_file_gets_notice(tmp_path, monkeypatch):
    (tmp_path / "ok.py").write_text(BAD_PY)
    secret = tmp_path / "locked.py"
    secret.write_text(BAD_PY)
    import builtins

    real_open = builtins.open

    def fake_open(file, *a, **kw):
        if str(file).endswith("locked.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *a, **kw)

    monkeypatch.setattr(builtins, "open", fake_open)
    r = _scan(tmp_path)
    assert ("locked.py", "read-error") in _kinds(r)
    assert _has_good_finding(r)


def test_rule_that_raises_is_isolated(tmp_path, monkeypatch):
    (tmp_path / "ok.py").write_text(BAD_PY + 'def g(c):\n    c.execute("SELECT * FROM users")\n')
    from backlint.rules.checks import select_star

    def boom(ctx, rule):
        raise ValueError("synthetic failure")
        yield  # pragma: no cover

    monkeypatch.setattr(select_star, "check", boom)
    r = _scan(tmp_path)
    assert any(n.kind == "rule-error" and n.rule_id == "select-star" and "synthetic failure" in n.message for n in r.notices)
    assert _has_good_finding(r)  # the other rules still report


def test_missing_path_is_exit_2_with_one_line(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    p = run_cli("check", "ok.py", "nope.py", "--format", "json", cwd=tmp_path)
    assert p.returncode == 2
    doc = json.loads(p.stdout)
    assert any(f["path"] == "ok.py" for f in doc["findings"])  # results not lost
    assert any(n["kind"] == "missing-path" for n in doc["notices"])


def test_notices_reach_sarif_notifications(tmp_path):
    (tmp_path / "ok.py").write_text(BAD_PY)
    (tmp_path / "blob.py").write_bytes(b"\x00" * 64)
    (tmp_path / "broken.py").write_text("def broken(:\n")
    p = run_cli("check", ".", "--format", "sarif", cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    run = json.loads(p.stdout)["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    ids = {(n["descriptor"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for n in notes}
    assert ("binary", "blob.py") in ids and ("partial-parse", "broken.py") in ids
    assert run["results"], "findings of the good file are kept"


def test_parallel_scan_matches_serial(tmp_path):
    for i in range(40):
        (tmp_path / f"m{i}.py").write_text(BAD_PY if i % 3 == 0 else "x = 1\n")
    (tmp_path / "blob.py").write_bytes(b"\x00" * 64)
    serial = scan([tmp_path], Settings(root=tmp_path), jobs=1)
    parallel = scan([tmp_path], Settings(root=tmp_path), jobs=2)
    key = lambda r: sorted((f.path, f.span.start_line, f.rule_id, f.fingerprint) for f in r.findings)
    assert key(serial) == key(parallel) and len(serial.findings) == 14
    assert _kinds(serial) == _kinds(parallel)
