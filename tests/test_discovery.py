from __future__ import annotations

from backlint.config.settings import Settings
from backlint.discovery import Discovery, language_for


def _rels(tmp_path, **kw):
    d = Discovery(Settings(root=tmp_path, **kw))
    return {f.rel for f in d.discover([tmp_path])}, d.notices


def test_languages_by_extension():
    cases = {"a.py": "python", "a.js": "javascript", "a.mjs": "javascript", "a.cjs": "javascript", "a.jsx": "javascript",
             "a.ts": "typescript", "a.tsx": "typescript", "a.go": "go", "A.java": "java", "a.rb": "ruby",
             "a.php": "php", "a.cs": "csharp", "a.sql": "sql", ".env": "dotenv", ".env.production": "dotenv", "prod.env": "dotenv", "a.txt": None, "Makefile": None}
    assert {k: language_for(k) for k in cases} == cases


def test_gitignore_default_excludes_and_notices(tmp_path):
    for rel in ["src/app.py", "src/gen/out.py", "node_modules/lib/index.js", "vendor/x.php", ".venv/lib/y.py",
                "build/z.js", "src/keep.log.py", "README.md", "db/q.sql", "web/app.min.js"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("gen/\n*.log.py\n")
    rels, notices = _rels(tmp_path)
    assert rels == {"src/app.py", "db/q.sql"}
    skipped = {n.path for n in notices if n.kind == "excluded"}
    assert {"node_modules", "vendor", ".venv", "build"} <= skipped
    assert any(n.kind == "minified" and n.path == "web/app.min.js" for n in notices)


def test_nested_gitignore_and_respect_flag(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / ".gitignore").write_text("local_*.py\n")
    (tmp_path / "pkg" / "local_x.py").write_text("")
    (tmp_path / "pkg" / "y.py").write_text("")
    assert _rels(tmp_path)[0] == {"pkg/y.py"}
    assert _rels(tmp_path, respect_gitignore=False)[0] == {"pkg/y.py", "pkg/local_x.py"}


def test_exclude_replaces_defaults_and_applies_to_explicit_files(tmp_path):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "v.php").write_text("<?php\n")
    (tmp_path / "skip.py").write_text("")
    rels, _ = _rels(tmp_path, exclude=("skip.py",))
    assert rels == {"vendor/v.php"}
    d = Discovery(Settings(root=tmp_path, exclude=("skip.py",)))
    assert d.discover([tmp_path / "skip.py"]) == []


def test_size_limit(tmp_path):
    (tmp_path / "big.py").write_text("x" * 3000)
    rels, notices = _rels(tmp_path, max_file_size_kb=2)
    assert rels == set() and any(n.kind == "too-large" for n in notices)
