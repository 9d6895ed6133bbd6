"""Adoption workflow: baselines, diff-aware gating, GitLab output, init, the result cache, audit HTML."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from helpers import BAD_PY, CLEAN_PY, run_cli

TWO = BAD_PY + "\n\ndef g(c):\n    c.execute(\"SELECT * FROM users\")\n"


def _findings(tmp_path, *extra):
    p = run_cli("check", ".", "--format", "json", *extra, cwd=tmp_path)
    return p, json.loads(p.stdout)


def test_baseline_hides_known_and_survives_shifts(tmp_path):
    (tmp_path / "a.py").write_text(TWO)
    p = run_cli("baseline", "create", cwd=tmp_path)
    assert p.returncode == 0 and "wrote 2 findings" in p.stdout
    doc = json.loads((tmp_path / ".backlint-baseline.json").read_text())
    assert doc["tool"] == "backlint" and len(doc["findings"]) == 2
    assert all(set(e) == {"path", "rule", "fingerprint"} for e in doc["findings"])  # no lines, no messages
    p, d = _findings(tmp_path)
    assert p.returncode == 0 and d["findings"] == [] and d["summary"]["baselined"] == 2
    # lines added above, code moved down: nothing resurrects
    (tmp_path / "a.py").write_text("import os\n\n\nVALUE = 1\n\n" + TWO)
    p, d = _findings(tmp_path)
    assert p.returncode == 0 and d["findings"] == []
    # a second copy of the same mistake in the same file is new
    (tmp_path / "a.py").write_text(TWO + "\n\ndef h(c):\n    c.execute(\"SELECT * FROM users\")\n")
    p, d = _findings(tmp_path)
    assert p.returncode == 1 and [f["rule"] for f in d["findings"]] == ["select-star"]
    assert d["findings"][0]["line"] == 10
    # --no-baseline shows everything
    _, d = _findings(tmp_path, "--no-baseline")
    assert len(d["findings"]) == 3


def test_baseline_update_drops_fixed_entries_and_never_adds(tmp_path):
    (tmp_path / "a.py").write_text(TWO)
    run_cli("baseline", "create", cwd=tmp_path)
    (tmp_path / "a.py").write_text(CLEAN_PY + "\n\ndef g(c):\n    c.execute(\"SELECT * FROM users\")\n\n\ndef k(c):\n    c.execute(\"DELETE FROM t\")\n")
    p = run_cli("baseline", "update", cwd=tmp_path)
    assert p.returncode == 0 and "kept 1, dropped 1" in p.stdout
    doc = json.loads((tmp_path / ".backlint-baseline.json").read_text())
    assert [e["rule"] for e in doc["findings"]] == ["select-star"]
    p, d = _findings(tmp_path)
    assert [f["rule"] for f in d["findings"]] == ["write-without-where"]


def test_baseline_is_stable_and_sorted(tmp_path):
    (tmp_path / "b.py").write_text(TWO)
    (tmp_path / "a.py").write_text(TWO)
    run_cli("baseline", "create", cwd=tmp_path)
    first = (tmp_path / ".backlint-baseline.json").read_text()
    assert run_cli("baseline", "create", cwd=tmp_path).returncode == 2  # never overwrites silently
    run_cli("baseline", "create", "--force", cwd=tmp_path)
    assert (tmp_path / ".backlint-baseline.json").read_text() == first
    paths = [e["path"] for e in json.loads(first)["findings"]]
    assert paths == sorted(paths)


def test_bad_baseline_is_exit_2(tmp_path):
    (tmp_path / "a.py").write_text(TWO)
    (tmp_path / "bl.json").write_text("{not json")
    p = run_cli("check", ".", "--baseline", "bl.json", cwd=tmp_path)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_reports_only_changed_lines(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "t@example.invalid")
    _git(tmp_path, "config", "user.name", "t")
    (tmp_path / "a.py").write_text(TWO)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    _git(tmp_path, "checkout", "-qb", "feature")
    (tmp_path / "a.py").write_text(TWO + "\n\ndef h(c, x):\n    c.execute(\"DELETE FROM t WHERE a = '\" + x + \"'\")\n")
    (tmp_path / "new.py").write_text('def n(c):\n    c.execute("UPDATE t SET a = 1")\n')
    p, d = _findings(tmp_path, "--diff", "main")
    got = sorted((f["path"], f["line"], f["rule"]) for f in d["findings"])
    assert got == [("a.py", 10, "sql-string-concat"), ("new.py", 2, "write-without-where")]
    assert d["summary"]["outside_diff"] == 2
    p = run_cli("check", ".", "--diff", "no-such-ref", cwd=tmp_path)
    assert p.returncode == 2 and "git" in p.stderr


def test_gitlab_code_quality(tmp_path):
    (tmp_path / "a.py").write_text(TWO)
    p = run_cli("check", ".", "--format", "gitlab", cwd=tmp_path)
    issues = json.loads(p.stdout)
    assert {i["check_name"] for i in issues} == {"sql-string-concat", "select-star"}
    for i in issues:
        assert set(i) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert i["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert i["location"]["path"] == "a.py" and i["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_init_writes_and_never_overwrites(tmp_path):
    p = run_cli("init", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    for f in ("backlint.toml", ".pre-commit-config.yaml", ".github/workflows/backlint.yml"):
        assert (tmp_path / f).is_file(), f
    assert "upload-sarif" in (tmp_path / ".github/workflows/backlint.yml").read_text()
    # the written config is valid: a scan runs with it
    (tmp_path / "a.py").write_text(CLEAN_PY)
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    before = (tmp_path / "backlint.toml").read_text()
    p = run_cli("init", cwd=tmp_path)
    assert p.returncode == 2 and "exists" in p.stderr
    assert (tmp_path / "backlint.toml").read_text() == before
    assert run_cli("init", "--force", cwd=tmp_path).returncode == 0


def test_init_appends_to_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert run_cli("init", cwd=tmp_path).returncode == 0
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "x"\n') and "[tool.backlint]" in text
    (tmp_path / "a.py").write_text(CLEAN_PY)
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    assert run_cli("init", cwd=tmp_path).returncode == 2


def test_cache_warm_run_skips_parsing_and_invalidates(tmp_path):
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(TWO)
    _, cold = _findings(tmp_path)
    assert cold["summary"]["cached_files"] == 0
    assert (tmp_path / ".backlint_cache" / ".gitignore").read_text().strip().endswith("*")
    _, warm = _findings(tmp_path)
    assert warm["summary"]["cached_files"] == 5
    strip = lambda d: [{k: v for k, v in f.items()} for f in d["findings"]]
    assert strip(cold) == strip(warm)
    (tmp_path / "m0.py").write_text(CLEAN_PY)
    _, changed = _findings(tmp_path)
    assert changed["summary"]["cached_files"] == 4 and len(changed["findings"]) == 8
    _, other_cfg = _findings(tmp_path, "--select", "select-star")
    assert other_cfg["summary"]["cached_files"] == 0  # config is part of the key
    _, nocache = _findings(tmp_path, "--no-cache")
    assert nocache["summary"]["cached_files"] == 0


def test_damaged_cache_entry_is_a_miss(tmp_path):
    (tmp_path / "a.py").write_text(TWO)
    _findings(tmp_path)
    for f in (tmp_path / ".backlint_cache").rglob("*.json"):
        f.write_text("{garbage")
    p, d = _findings(tmp_path)
    assert p.returncode == 1 and len(d["findings"]) == 2 and d["summary"]["cached_files"] == 0


def test_audit_html_is_self_contained(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text(TWO)
    p = run_cli("audit", ".", "--html", "report.html", "-o", "sarif:audit.sarif", cwd=tmp_path)
    assert p.returncode == 0
    html = (tmp_path / "report.html").read_text()
    assert "<svg" in html and "Findings by rule" in html and "Hotspots" in html
    assert 'data-rule="sql-string-concat"' in html and "Why and how to fix" in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", html), "no network assets"
    assert "src/a.py:2:5" in html
    assert json.loads((tmp_path / "audit.sarif").read_text())["runs"][0]["results"]
    assert "by language:" in p.stdout and "by directory:" in p.stdout and "by file:" in p.stdout


def test_audit_runs_preview_rules_and_check_does_not(tmp_path, monkeypatch):
    # a preview rule in a private catalog copy
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    cat = tmp_path / "cat"
    shutil.copytree(root / "rules", cat)
    y = (cat / "performance" / "select-star.yaml").read_text().replace("status: stable", "status: preview")
    (cat / "performance" / "select-star.yaml").write_text(y)
    from backlint.config.settings import Settings
    from backlint.engine.runner import select_rules
    from backlint.rules.catalog import load_catalog

    c = load_catalog(str(cat))
    assert "select-star" not in {r.id for r in select_rules(c, Settings(root=tmp_path), "check")}
    assert "select-star" in {r.id for r in select_rules(c, Settings(root=tmp_path), "audit")}
    assert "select-star" in {r.id for r in select_rules(c, Settings(root=tmp_path, preview=True), "check")}
