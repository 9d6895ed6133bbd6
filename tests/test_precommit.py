"""Drive the real `pre-commit` package against this checkout's .pre-commit-hooks.yaml.

`pre-commit try-repo` installs the hook from the checkout (uncommitted changes included) into
its own environment and runs it on the staged files of a throwaway repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BAD_PY, CLEAN_PY

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is required")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "backlint", "--verbose"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def test_hook_fails_on_violation_and_passes_on_clean(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    home = tmp_path / "pc-home"

    (repo / "orders.py").write_text(BAD_PY)
    (repo / "notes.txt").write_text("SELECT * FROM users\n")  # not a file type the hook takes
    _git(repo, "add", "orders.py", "notes.txt")
    bad = _try_repo(repo, home)
    out = bad.stdout + bad.stderr
    assert bad.returncode == 1, out
    assert "sql-string-concat" in out and "orders.py:2:5" in out

    (repo / "orders.py").write_text(CLEAN_PY)
    _git(repo, "add", "orders.py")
    good = _try_repo(repo, home)
    out = good.stdout + good.stderr
    assert good.returncode == 0, out
    assert "Passed" in out
