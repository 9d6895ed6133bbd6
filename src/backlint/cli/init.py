"""`backlint init`: a commented config, a pre-commit entry and a CI workflow. Never overwrites
without --force."""

from __future__ import annotations

from pathlib import Path

from .. import __version__

CONFIG_BODY = """\
# Rules to run: rule ids or categories (security, performance, architecture, correctness,
# maintainability). Default: every stable rule. `backlint rule --all` lists them.
# select = ["security", "performance"]
# extend-select = []
# ignore = []

# Paths to skip on top of the defaults (node_modules/, vendor/, virtualenvs, build output).
# extend-exclude = ["migrations/", "*.generated.ts"]

# Lowest severity that fails `backlint check`: error | warning | info
fail-on = "warning"

# sqlglot dialect for SQL found in strings and .sql files (postgres, mysql, tsql, sqlite, ...)
# sql-dialect = "postgres"
"""

PER_RULE = """
# Silence rules for some paths:
# [{prefix}per-file-ignores]
# "tests/**" = ["sql-string-concat"]

# Per-rule severity and options:
# [{prefix}rules.select-star]
# severity = "info"
"""

PRE_COMMIT = f"""\
repos:
  - repo: https://github.com/backlint/backlint
    rev: v{__version__}
    hooks:
      - id: backlint
"""

WORKFLOW = """\
name: backlint
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
  security-events: write
jobs:
  backlint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install backlint
      # New findings fail the build; the baseline (if committed) hides known ones.
      - run: backlint check . --format github -o sarif:backlint.sarif -o github:-
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: backlint.sarif
          category: backlint
"""


def run_init(root: Path, force: bool = False, use_toml: bool = False) -> list[str]:
    done: list[str] = []
    plans: list[tuple[Path, str, str]] = []  # (path, mode, content): mode write | append
    pyproject = root / "pyproject.toml"
    if use_toml or not pyproject.exists():
        if (root / "backlint.toml").exists() and not force:
            raise FileExistsError("backlint.toml exists (use --force to overwrite)")
        plans.append((root / "backlint.toml", "write", "# backlint configuration\n" + CONFIG_BODY + PER_RULE.format(prefix="")))
    else:
        text = pyproject.read_text(encoding="utf-8")
        if "[tool.backlint]" in text and not force:
            raise FileExistsError("pyproject.toml already has [tool.backlint] (use --force to add another, or edit it)")
        body = "\n[tool.backlint]\n" + CONFIG_BODY + PER_RULE.format(prefix="tool.backlint.")
        plans.append((pyproject, "append", body))
    pc = root / ".pre-commit-config.yaml"
    if pc.exists():
        if "id: backlint" in pc.read_text(encoding="utf-8") and not force:
            raise FileExistsError(".pre-commit-config.yaml already has the backlint hook (use --force)")
        text = pc.read_text(encoding="utf-8")
        entry = PRE_COMMIT.split("\n", 1)[1]
        plans.append((pc, "append" if "repos:" in text else "write", entry if "repos:" in text else PRE_COMMIT))
    else:
        plans.append((pc, "write", PRE_COMMIT))
    plans.append((root / ".github" / "workflows" / "backlint.yml", "write", WORKFLOW))
    for path, mode, _ in plans:
        if mode == "write" and path.exists() and not force:
            raise FileExistsError(f"{path.relative_to(root)} exists (use --force to overwrite)")
    for path, mode, content in plans:
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode == "append":
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(content)
            done.append(f"added backlint to {path.relative_to(root)}")
        else:
            path.write_text(content, encoding="utf-8")
            done.append(f"wrote {path.relative_to(root)}")
    return done
