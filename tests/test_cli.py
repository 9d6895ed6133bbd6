"""Exit codes, config, selection and usage errors, through the real command."""

from __future__ import annotations

import json

import pytest

from helpers import BAD_PY, CLEAN_PY, run_cli


def test_exit_0_on_clean_and_1_on_findings(tmp_path):
    (tmp_path / "clean.py").write_text(CLEAN_PY)
    assert run_cli("check", "clean.py", cwd=tmp_path).returncode == 0
    (tmp_path / "bad.py").write_text(BAD_PY)
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1


def test_fail_on_threshold(tmp_path):
    (tmp_path / "w.py").write_text('def f(c):\n    c.execute("SELECT * FROM users")\n')  # warning only
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1
    assert run_cli("check", ".", "--fail-on", "error", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nfail-on = "error"\n')
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    assert run_cli("check", ".", "--fail-on", "warning", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize("config,needle", [
    ('[tool.backlint]\nselct = ["select-star"]\n', "unknown key `selct`"),
    ('[tool.backlint]\nfail-on = "fatal"\n', "`fail-on` must be one of"),
    ('[tool.backlint]\nselect = ["no-such-rule"]\n', "unknown rule or category 'no-such-rule'"),
    ('[tool.backlint]\nsql-dialect = "klingon"\n', "`sql-dialect`"),
    ('[tool.backlint.rules.select-star]\nseverity = "loud"\n', "severity` must be one of"),
    ('[tool.backlint.rules.select-star]\nthreshold = 3\n', "has no option `threshold`"),
    ('[tool.backlint\n', "invalid TOML"),
    ('[tool.backlint]\nper-file-ignores = ["x"]\n', "per-file-ignores"),
])
def test_bad_config_is_one_line_and_exit_2(tmp_path, config, needle):
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "a.py").write_text(CLEAN_PY)
    p = run_cli("check", ".", cwd=tmp_path)
    assert p.returncode == 2
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("backlint: error:") and needle in err, err
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize("args,needle", [
    (["check", "--format", "xml"], "xml"),
    (["check", "--select", "nope"], "unknown rule or category 'nope'"),
    (["check", "--jobs", "0"], "--jobs"),
    (["check", "--sql-dialect", "klingon"], "sql-dialect"),
    (["frobnicate"], "frobnicate"),
    (["rule", "no-such-rule"], "unknown rule"),
    (["check", "--config", "missing.toml"], "missing.toml"),
])
def test_bad_cli_argument_is_one_line_and_exit_2(tmp_path, args, needle):
    p = run_cli(*args, cwd=tmp_path)
    assert p.returncode == 2, p
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1 and needle in err, err


def test_backlint_toml_select_ignore_and_severity(tmp_path):
    (tmp_path / "a.py").write_text(BAD_PY + '\ndef g(c):\n    c.execute("SELECT * FROM users")\n')
    (tmp_path / "backlint.toml").write_text('ignore = ["sql-string-concat"]\n[rules.select-star]\nseverity = "error"\n')
    d = json.loads(run_cli("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert {f["rule"] for f in d["findings"]} == {"select-star"}
    assert d["findings"][0]["severity"] == "error"


def test_per_file_ignores_and_exclude(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t.py").write_text(BAD_PY)
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "g.py").write_text(BAD_PY)
    (tmp_path / "a.py").write_text(BAD_PY)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.backlint]\nextend-exclude = ["gen/"]\n[tool.backlint.per-file-ignores]\n"tests/**" = ["security"]\n')
    d = json.loads(run_cli("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert {f["path"] for f in d["findings"]} == {"a.py"}


def test_select_category_and_extend_select(tmp_path):
    (tmp_path / "a.py").write_text(BAD_PY + '\ndef g(c):\n    c.execute("SELECT * FROM users")\n')
    d = json.loads(run_cli("check", ".", "--format", "json", "--select", "performance", cwd=tmp_path).stdout)
    assert {f["rule"] for f in d["findings"]} == {"select-star"}
    d = json.loads(run_cli("check", ".", "--format", "json", "--select", "performance", "--extend-select", "sql-string-concat", cwd=tmp_path).stdout)
    assert {f["rule"] for f in d["findings"]} == {"select-star", "sql-string-concat"}


def test_suppressions_in_text_and_json(tmp_path):
    (tmp_path / "a.py").write_text('def f(c):\n    c.execute("SELECT * FROM users")  # backlint: ignore[select-star] export\n')
    p = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    d = json.loads(p.stdout)
    assert d["findings"] == [] and d["summary"]["suppressed"] == 1 and p.returncode == 0


def test_rule_command(tmp_path):
    p = run_cli("rule", "sql-string-concat", cwd=tmp_path)
    assert p.returncode == 0 and "What it finds" in p.stdout and "How to fix it" in p.stdout and "cwe-89" in p.stdout
    p = run_cli("rule", "--all", cwd=tmp_path)
    assert p.returncode == 0
    for rid in ("sql-string-concat", "select-star", "write-without-where", "unused-suppression"):
        assert rid in p.stdout


def test_audit_exits_0_unless_strict(tmp_path):
    (tmp_path / "a.py").write_text(BAD_PY)
    p = run_cli("audit", ".", cwd=tmp_path)
    assert p.returncode == 0 and "Audit summary" in p.stdout and "by rule:" in p.stdout
    assert run_cli("audit", ".", "--strict", cwd=tmp_path).returncode == 1


def test_version_and_help(tmp_path):
    p = run_cli("--version", cwd=tmp_path)
    assert p.returncode == 0 and "backlint" in p.stdout
    assert run_cli("check", "--help", cwd=tmp_path).returncode == 0
