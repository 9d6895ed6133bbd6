"""The README stays true: its rule table is the catalog, its first commands are what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from backlint.cli.main import markdown_table
from backlint.rules.catalog import load_catalog

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_rule_table_is_generated_from_the_catalog():
    m = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", README, re.S)
    assert m, "README lacks the rules markers"
    assert m.group(1).strip() == markdown_table(list(load_catalog())).strip(), \
        "README rule table is stale: regenerate with `backlint rule --all --format markdown`"


def test_readme_opens_with_install_and_test_commands():
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert "pip install" in blocks[0] and "backlint check" in blocks[0]
    assert "pytest" in blocks[1]


# -- the four ways: every snippet is executed ---------------------------------------------------
import json
import shlex
import subprocess
import sys

import pytest
import yaml

from helpers import BAD_PY, run_cli

SECTION = README[README.index("## Four ways to use it"):README.index("### Configuration")]


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", SECTION, re.S)


def _commands(block: str) -> list[list[str]]:
    out = []
    for line in block.splitlines():
        line = line.split("  #")[0].strip()
        if line.startswith("backlint "):
            out.append(shlex.split(line)[1:])
    return out


def _project(tmp_path):
    for d in ("app", "db"):
        (tmp_path / d).mkdir()
    (tmp_path / "app" / "orders.py").write_text(BAD_PY)
    (tmp_path / "db" / "report.sql").write_text("SELECT * FROM orders;\n")
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    git("add", ".")
    git("commit", "-qm", "init")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    return tmp_path


def test_pre_commit_snippet_is_a_valid_config(tmp_path):
    snippet = _blocks("yaml")[0]
    (tmp_path / ".pre-commit-config.yaml").write_text(snippet)
    p = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                       cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert yaml.safe_load(snippet)["repos"][0]["hooks"][0]["id"] == "backlint"


def test_workflow_snippet_is_what_init_writes():
    from backlint.cli.init import WORKFLOW

    wf = _blocks("yaml")[1]
    assert wf == WORKFLOW
    steps = yaml.safe_load(wf)["jobs"]["backlint"]["steps"]
    runs = [s["run"] for s in steps if "run" in s and s["run"].startswith("backlint ")]
    assert runs and any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)


@pytest.mark.parametrize("index", range(4))
def test_shell_snippets_run(tmp_path, index):
    blocks = _blocks("sh")
    assert len(blocks) == 4
    proj = _project(tmp_path)
    cmds = _commands(blocks[index])
    assert cmds
    if index == 0:  # the CI block also runs the workflow's check line
        from backlint.cli.init import WORKFLOW

        cmds += [shlex.split(l.split("run:", 1)[1].strip())[1:] for l in WORKFLOW.splitlines() if "run: backlint" in l]
    for args in cmds:
        p = run_cli(*args, cwd=proj)
        assert p.returncode in (0, 1), f"backlint {' '.join(args)} -> {p.returncode}: {p.stderr}"
    for out in ("backlint.sarif", ".backlint/results.sarif", "audit.sarif"):
        if (proj / out).exists():
            assert json.loads((proj / out).read_text())["version"] == "2.1.0"
    if index == 2:
        assert (proj / "backlint-report.html").read_text().startswith("<!doctype html>")
