"""Shared helpers for the CLI-level tests: run the real command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "backlint", *args], cwd=cwd, capture_output=True, text=True,
                          env=e, timeout=timeout)


def sarif_of(proc: subprocess.CompletedProcess) -> dict:
    return json.loads(proc.stdout)


BAD_PY = 'def f(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = \'" + name + "\'")\n'
CLEAN_PY = 'def f(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = %s", (name,))\n'
